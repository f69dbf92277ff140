"""Shared fixtures: a small site copied into a temp dir, and golden-file comparison."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.__main__ import main

from .browser import launch, serve_site
from .quality import tool

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


# Variables that CI services set and that change what the generator writes (annotations, links).
CI_VARIABLES = ("GITHUB_ACTIONS", "GITHUB_REPOSITORY", "GITLAB_CI", "CI_PROJECT_URL", "COMMIT_URL", "SITE_URL")


@pytest.fixture(autouse=True)
def outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same environment, on a laptop or in GitHub's or GitLab's CI."""
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def make_root(tmp_path: Path, overlay: Path | None = None) -> Path:
    """A project root in tmp_path holding the mini fixture's content, with `overlay`'s files on top."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", root)
    if overlay is not None and (overlay / "content").exists():
        shutil.copytree(overlay / "content", root / "content", dirs_exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "theme", root / "theme")
    return root


def assert_golden(path: Path, actual: str) -> None:
    """Compare with a golden file; UPDATE_GOLDEN=1 rewrites it instead (review the diff!)."""
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert actual == path.read_text(encoding="utf-8")


# The real site, built once per test session, served on 127.0.0.1 and opened in Chromium.


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["--root", str(ROOT), "build", "--site", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def base(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launch() as running:
        yield running


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, injected into pages by the accessibility tests."""
    return tool("axe-core/axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def progress_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The progress fixture (reports over several periods, amendments) built once and served on 127.0.0.1."""
    root = make_root(tmp_path_factory.mktemp("progress-site"), FIXTURES / "progress")
    out = root.parent / "site"
    assert main(["--root", str(root), "build", "--site", str(out)]) == 0
    with serve_site(out) as url:
        yield url
