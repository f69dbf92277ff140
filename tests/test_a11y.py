"""Accessibility gate: axe-core finds no WCAG 2.1 A/AA violation on any page kind, in both languages and
both colour schemes, at desktop and phone width (the header and tables change layout on phones)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from .quality import FINDER_RESULT, GATE_PAGES, LANGUAGE_ROOTS

pytestmark = [pytest.mark.browser, pytest.mark.tools]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# The scheme Material shows: its palette follows the system preference (mkdocs.yml).
SCHEMES = {"light": "default", "dark": "slate"}


def axe_violations(page: Page, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("lang", list(LANGUAGE_ROOTS))
@pytest.mark.parametrize("kind", list(GATE_PAGES))
def test_no_wcag_violation(browser: Browser, base: str, axe_source: str, kind: str, lang: str, scheme: str) -> None:
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light", viewport=WIDTHS["desktop"])
    page = context.new_page()
    page.goto(base + LANGUAGE_ROOTS[lang] + GATE_PAGES[kind])
    if kind == "finder":
        page.wait_for_selector(FINDER_RESULT)
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    found = []
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        found += [f"[{width}] {line}" for line in describe(axe_violations(page, axe_source)).splitlines()]
    context.close()
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)


def test_axe_reports_what_it_should(browser: Browser, base: str, axe_source: str) -> None:
    """The gate can fail: a picture without a text alternative and grey-on-grey text are reported."""
    page = browser.new_page()
    page.goto(base + "/")
    page.evaluate("""() => {
      const article = document.querySelector("article");
      article.insertAdjacentHTML("beforeend", '<img src="assets/images/favicon.png"><p style="color:#aaa;background:#bbb">faint</p>');
    }""")
    assert {v["id"] for v in axe_violations(page, axe_source)} >= {"image-alt", "color-contrast"}
    page.close()
