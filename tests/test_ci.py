"""The CI definitions: valid, calling only the README's commands, never deploying what failed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from generator.base.annotations import GITLAB_REPORT
from generator.base.template_cache import FOLDER as TEMPLATE_CACHE
from generator.pages.cards import FONT
from generator.publish.generate import CARD_CACHE

from .conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
# What CI may run: the README's commands, making the checkout usable inside a container, and
# compressing the built files for GitLab Pages (which serves only compressed copies made beforehand).
ALLOWED = re.compile(
    r'^(make (check|site|test)|git config --global --add safe\.directory "\$GITHUB_WORKSPACE"'
    r"|find site -type f .* -exec gzip -f -k -9 -n \{\} \+)$"
)


def readme_targets() -> set[str]:
    return set(re.findall(r"\bmake (\w+)", (ROOT / "README.md").read_text(encoding="utf-8")))


def test_github_workflow_passes_actionlint() -> None:
    actionlint = shutil.which("actionlint") or str(Path(__file__).resolve().parents[1] / ".venv/bin/actionlint")
    result = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github/workflows/site.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("steps.pages.outputs", "steps.pagez.outputs"))
    actionlint = shutil.which("actionlint") or str(ROOT / ".venv/bin/actionlint")
    result = subprocess.run([actionlint, "-no-color", str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert 'property "pagez" is not defined' in result.stdout


def github() -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


def test_github_runs_only_readme_commands_and_deploys_only_after_tests() -> None:
    workflow = github()
    jobs = workflow["jobs"]
    for job in jobs.values():
        for step in job["steps"]:
            if "run" in step:
                assert ALLOWED.match(step["run"].strip()), step["run"]
                if step["run"].startswith("make "):
                    assert step["run"].split()[1] in readme_targets()
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["fetch-depth"] == 0  # full history for the change history
    pull_request = [name for name, job in jobs.items() if "pull_request'" in job.get("if", "") and "==" in job["if"]]
    assert pull_request == ["check"]
    assert [s["run"] for s in jobs["check"]["steps"] if "run" in s][-2:] == ["make check", "make site"]
    assert not any("deploy" in s.get("uses", "") for s in jobs["check"]["steps"])
    runs = [s["run"] for s in jobs["build"]["steps"] if "run" in s]
    assert runs[-3:] == ["make check", "make test", "make site"]
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}
    paths = workflow["on"]["push"]["paths"]
    for folder in ("content/**", "generator/**", "theme/**", "mkdocs.yml"):
        assert folder in paths


def test_gitlab_pipeline_mirrors_the_workflow() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"check", "test", "pages"}
    for job in jobs.values():
        assert job["stage"] in pipeline["stages"]
        for line in job["script"]:
            assert ALLOWED.match(line), line
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    merge_request = jobs["check"]
    assert [r["if"] for r in merge_request["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert merge_request["artifacts"]["reports"]["codequality"] == GITLAB_REPORT
    assert "pages" not in merge_request
    for name in ("test", "pages"):
        assert [r["if"] for r in jobs[name]["rules"]] == ["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]
        assert "content/**/*" in jobs[name]["rules"][0]["changes"]
    assert jobs["test"]["script"] == ["make check", "make test"]
    assert jobs["pages"]["needs"] == ["test"]  # a failing test keeps the last good site published
    assert jobs["pages"]["script"][0] == "make site"
    assert jobs["pages"]["pages"]["publish"] == "site"
    assert pipeline["stages"].index("deploy") > pipeline["stages"].index("test")


# What a build keeps between runs, as the generator names it: the drawn cards and the compiled templates.
KEPT = {CARD_CACHE.as_posix(), TEMPLATE_CACHE.relative_to(ROOT.resolve()).as_posix()}


def builds_the_site(commands: list[str]) -> bool:
    """`make site`, or `make test`, whose tests build the real site (tests/conftest.py) in this checkout."""
    return any(line in ("make site", "make test") for line in commands)


def test_the_lockfile_pins_the_card_font() -> None:
    """The caches are keyed on the lockfile: the font the cards are drawn in is a package it pins."""
    import fontpkg_noto_sans  # type: ignore[import-untyped]  # no stubs: a font package

    assert FONT.is_relative_to(Path(fontpkg_noto_sans.ROOT))
    assert re.search(r"^fontpkg-noto-sans==[\d.]+$", (ROOT / "requirements.lock").read_text(), re.MULTILINE)


def test_github_keeps_the_cards_and_templates_of_earlier_runs() -> None:
    jobs = github()["jobs"]
    building = {name: job for name, job in jobs.items() if builds_the_site([s.get("run", "") for s in job["steps"]])}
    assert set(building) == {"check", "build"}
    for job in jobs.values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]  # a major version
    for name, job in building.items():
        steps = job["steps"]
        (cache,) = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/cache@")]
        first_make = next(i for i, step in enumerate(steps) if step.get("run", "").startswith("make "))
        assert cache < first_make, name  # restored before anything builds
        inputs = steps[cache]["with"]
        assert set(inputs["path"].split()) == KEPT, name
        key = inputs["key"]
        assert "hashFiles('requirements.lock')" in key
        # A new key each run (a cache is never updated under a key that hit), found again by its start.
        unique = key.rindex("-${{ github.run_id }}")
        restore = inputs["restore-keys"].splitlines()
        assert restore[0] == key[: unique + 1]
        assert all(key.startswith(prefix) for prefix in restore)


def test_gitlab_keeps_the_cards_and_templates_of_earlier_pipelines() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    building = {name: job for name, job in jobs.items() if builds_the_site(job["script"])}
    assert set(building) == {"check", "test", "pages"}
    for name, job in building.items():
        cache = job["cache"]
        assert {path.rstrip("/") for path in cache["paths"]} == KEPT, name
        assert cache["key"]["files"] == ["requirements.lock"]
        assert not cache.get("unprotect")  # a merge request's cache never reaches the deploying branch
