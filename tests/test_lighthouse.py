"""Lighthouse gate (mobile profile): accessibility, best practices and SEO score 100 and performance at least
95 on the home page, a task page and the finder with results.

The site is built here with SITE_URL set to its own address, as CI builds the published site: search
engines (and Lighthouse's SEO audit) only accept absolute hreflang alternates. It is served gzip-compressed
like GitHub Pages serves it, because Lighthouse's simulated mobile network charges the bytes transferred."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.__main__ import main

from .browser import CHROMIUM_ARGS, chromium_path, serve_site
from .conftest import ROOT
from .quality import tool
from .test_links import check_site

pytestmark = [pytest.mark.browser, pytest.mark.tools]

PAGES = {"home": "/", "task": "/ke-hoach/da-nang-2021/3-d/", "finder": "/tra-cuu/?q=dat%20dai"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Lighthouse launches Chromium itself: new headless mode (the old one lacks what some audits measure) and the
# same no-network flags as the browser tests.
FLAGS = " ".join(["--headless=new", *(flag for flag in CHROMIUM_ARGS if flag != "--headless")])


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    out = tmp_path_factory.mktemp("published") / "site"
    with serve_site(out, compress=True) as url, pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", url + "/")
        assert main(["--root", str(ROOT), "build", "--site", str(out)]) == 0
        yield out, url


def lighthouse(url: str, report: Path) -> dict[str, int]:
    """Run Lighthouse on `url`; return each category's score out of 100."""
    command = ["node", str(tool("lighthouse/cli/index.js")), url, "--quiet", "--output=json"]
    command += [f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}"]
    environment = dict(os.environ, CHROME_PATH=chromium_path())
    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    assert not result.get("runtimeError"), result.get("runtimeError")
    return {name: round(100 * result["categories"][name]["score"]) for name in CATEGORIES}


def failing_audits(report: Path) -> list[str]:
    result = json.loads(report.read_text(encoding="utf-8"))
    lines = []
    for category in result["categories"].values():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"{category['id']}: {ref['id']} {audit['score']} {audit.get('displayValue', '')}")
    return lines


@pytest.mark.parametrize("kind", list(PAGES))
def test_lighthouse_scores(published: tuple[Path, str], kind: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    scores = lighthouse(published[1] + PAGES[kind], report)
    print(f"\nlighthouse {kind}: " + ", ".join(f"{name} {scores[name]}" for name in CATEGORIES))
    low = {name: score for name, score in scores.items() if score < MINIMUM[name]}
    assert not low, f"{low}\n" + "\n".join(failing_audits(report))


def test_absolute_links_of_the_published_site_resolve(published: tuple[Path, str]) -> None:
    """With SITE_URL, canonical and hreflang links are absolute: they too must reach existing pages."""
    site, url = published
    report = check_site(site, origin=url + "/")
    assert report.internal > 0
    assert report.broken == []
    assert not [link for link in report.external if link.startswith(url)]
