"""Progress pages of the progress fixture in headless Chromium: phone width, both colour schemes with axe,
the language switch, and charts with their tables read without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .test_a11y import SCHEMES, WIDTHS, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.tools]

PAGES = {
    "period": "ke-hoach/beta-2021/tien-do/2021-Q1/",
    "period-without-reports": "ke-hoach/beta-2021/tien-do/2021-Y/",
    "periods": "ke-hoach/beta-2021/tien-do/",
    "periods-without-reports": "ke-hoach/alpha-2021/tien-do/",
    "plan": "ke-hoach/beta-2021/",
    "pillar": "linh-vuc/thu-tuc-hanh-chinh/",
}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_fits_a_phone_without_sideways_scrolling(browser: Browser, progress_base: str, kind: str, lang: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.goto(progress_base + ("/" if lang == "vi" else "/en/") + PAGES[kind])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide"
    for bar in page.locator("svg.chart-bar").all():  # the bars scale down with the column, never past it
        box = bar.bounding_box()
        assert box is not None
        assert 0 < box["width"] <= 390
    context.close()


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["period", "pillar", "periods"])
def test_no_wcag_violation(
    browser: Browser, progress_base: str, axe_source: str, kind: str, lang: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light", viewport=WIDTHS["desktop"])
    page = context.new_page()
    page.goto(progress_base + ("/" if lang == "vi" else "/en/") + PAGES[kind])
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    found = []
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        found += [f"[{width}] {line}" for line in describe(axe_violations(page, axe_source)).splitlines()]
    context.close()
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_bar_colours_follow_the_scheme_and_counts_stay_readable(
    browser: Browser, progress_base: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light")
    page = context.new_page()
    page.goto(progress_base + "/" + PAGES["period"])
    fill = page.evaluate("getComputedStyle(document.querySelector('.chart-completed')).fill")
    ink = page.evaluate("getComputedStyle(document.querySelector('.chart-count')).fill")
    context.close()
    expected = {"light": ("rgb(150, 213, 166)", "rgb(17, 17, 17)"), "dark": ("rgb(30, 106, 53)", "rgb(245, 245, 245)")}
    assert (fill, ink) == expected[scheme]


@pytest.mark.parametrize("kind", ["period", "pillar"])
def test_chart_and_table_without_javascript(browser: Browser, progress_base: str, kind: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(progress_base + "/en/" + PAGES[kind])
    bars = page.locator("svg.chart-bar[role=img]")
    assert bars.count() >= 1
    assert bars.first.is_visible()
    box = bars.first.bounding_box()
    assert box is not None
    assert box["width"] > 200
    assert box["height"] > 10
    assert page.locator(".chart-summary, .city-progress").first.is_visible()
    table = page.locator(".chart-table table")
    assert table.is_visible()
    assert table.get_attribute("aria-hidden") is None
    assert "Total" in table.inner_text()
    context.close()


@pytest.mark.parametrize("kind", ["period", "periods"])
def test_language_switch_lands_on_the_same_period(browser: Browser, progress_base: str, kind: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(progress_base + "/" + PAGES[kind])
    page.wait_for_load_state("networkidle")
    page.locator(".lang-switch__link").click()
    page.wait_for_load_state("networkidle")
    assert page.url == progress_base + "/en/" + PAGES[kind]
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
