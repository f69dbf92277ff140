"""The CI definitions: valid, calling only the README's commands, never deploying what failed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from generator.base.annotations import GITLAB_REPORT

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
