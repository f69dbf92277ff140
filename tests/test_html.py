"""Valid HTML gate: the W3C Nu HTML Checker (vnu) finds no error on any generated page."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .quality import tool

pytestmark = pytest.mark.tools

# Errors we accept, each with the reason; an entry matches a message only when its text and the extract
# of the offending markup both match, so the same error anywhere else still fails.
ACCEPTED = [
    (
        # Material's base.html (not a partial) writes autocomplete="off" on its two checkbox toggles
        # (drawer, search). HTML allows autocomplete only on text-like inputs, but Firefox restores the
        # checked state of checkboxes across reloads and back/forward unless autocomplete="off" is set (MDN,
        # <input type="checkbox">), which would reopen the menu drawer. Dropping it means copying base.html.
        "Attribute “autocomplete” is only allowed when the input type is",
        ('data-md-toggle="drawer"', 'data-md-toggle="search"'),
    ),
]


def vnu(target: Path) -> list[dict[str, Any]]:
    """Run the checker over a file or a folder (HTML files only); return its error messages."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing\n  hint: run `make tools` (installs Debian's default-jre-headless)")
    command = [java, "-jar", str(tool("vnu-jar/build/dist/vnu.jar"))]
    command += ["--errors-only", "--format", "json", "--skip-non-html", str(target)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    # vnu writes its JSON report to standard error and exits 1 when it found errors.
    report = json.loads(run.stderr)
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def accepted(message: dict[str, Any]) -> bool:
    extract = message.get("extract", "")
    return any(
        message["message"].startswith(text) and any(markup in extract for markup in extracts)
        for text, extracts in ACCEPTED
    )


def test_every_page_is_valid_html(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    messages = vnu(site)
    errors = [m for m in messages if not accepted(m)]
    print(f"\nvnu: {len(pages)} pages, {len(messages) - len(errors)} accepted errors, {len(errors)} other errors")
    for text, count in Counter(m["message"] for m in errors).most_common():
        print(f"  {count} × {text}")
    where = [f"{m['url'].split(site.name + '/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors[:30]]
    assert not errors, "\n".join(where)


def test_the_checker_reports_errors(tmp_path: Path) -> None:
    """The gate can fail: an invalid page is reported, and an accepted message elsewhere is not excused."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="vi"><head><title>x</title></head><body>'
        '<input type="checkbox" id="x" autocomplete="off"><label for="nowhere">y</label></body></html>',
        encoding="utf-8",
    )
    messages = vnu(tmp_path)
    assert len(messages) == 2
    assert not any(accepted(m) for m in messages)
