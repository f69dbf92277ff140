"""The compiled report's printable page in headless Chromium and the HTML checker: no WCAG violation, no
sideways scrolling on a phone, and printed on A4 nothing is wider than the text between the margins."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.compiled_print import page_html
from generator.pages.compiled_report import TEXT_WIDTH, compile_report

from .conftest import FIXTURES, make_root
from .test_a11y import WIDTHS, axe_violations, describe
from .test_html import vnu

pytestmark = [pytest.mark.browser, pytest.mark.tools]

PAGES = ["ke-hoach/beta-2021/tien-do/2021-Q1/ban-in/", "ke-hoach/beta-2021/tien-do/2021-H1/ban-in/"]
CSS_PX_PER_MM = 96 / 25.4


@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_violation(browser: Browser, progress_base: str, axe_source: str, path: str) -> None:
    page = browser.new_page()
    page.goto(f"{progress_base}/{path}")
    found = []
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        found += [f"[{width}] {line}" for line in describe(axe_violations(page, axe_source)).splitlines()]
    page.close()
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)


@pytest.mark.parametrize("path", PAGES)
def test_fits_a_phone_and_the_a4_text_width(browser: Browser, progress_base: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{progress_base}/{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Printed: the page box is A4 less the margins; every table and block stays inside it.
    text_width = int(TEXT_WIDTH * CSS_PX_PER_MM)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": text_width, "height": 1000})
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= text_width + 1
    assert page.locator("nav.screen").is_hidden()
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    page.close()


def test_the_printable_page_is_valid_html(tmp_path: Path) -> None:
    root = make_root(tmp_path, FIXTURES / "progress")
    content, _ = load_content(root)
    report = compile_report(Site(content), "beta-2021", "2021-H1")
    assert report is not None
    (tmp_path / "page.html").write_text(page_html(report), encoding="utf-8")
    messages = vnu(tmp_path / "page.html")
    assert not messages, [m["message"] for m in messages]
