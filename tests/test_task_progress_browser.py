"""The progress pages of the fixture site in Chromium: they fit a phone, axe finds nothing in either colour
scheme, and the language switch lands on the same page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from .test_a11y import SCHEMES, WIDTHS, axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.tools]

PAGES = {
    "late task": "ke-hoach/beta-2021/1-b/",
    "moved deadline": "ke-hoach/beta-2021/1-c/",
    "cancelled task": "ke-hoach/beta-2021/2-c/",
    "added task": "ke-hoach/beta-2021/2-f/",
    "amendment log": "ke-hoach/beta-2021/dieu-chinh/",
    "agency scorecard": "co-quan/beta/so-tu-phap/",
}
ROOTS = {"vi": "/", "en": "/en/"}


@pytest.mark.parametrize("lang", list(ROOTS))
@pytest.mark.parametrize("kind", list(PAGES))
def test_progress_page_fits_a_phone_and_axe_finds_nothing(
    browser: Browser, progress_base: str, axe_source: str, kind: str, lang: str
) -> None:
    found = []
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light", viewport=WIDTHS["desktop"])
        page = context.new_page()
        page.goto(progress_base + ROOTS[lang] + PAGES[kind])
        assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
        for name, size in WIDTHS.items():  # desktop first, as test_a11y: the header's tabs fade in on load
            page.set_viewport_size(size)
            found += [f"[{scheme} {name}] {line}" for line in describe(axe_violations(page, axe_source)).splitlines()]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTHS["phone"]["width"], f"{scheme}: the page is {width}px wide at 390 px"
        context.close()
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)


@pytest.mark.parametrize("kind", list(PAGES))
def test_language_switch_keeps_the_progress_page(browser: Browser, progress_base: str, kind: str) -> None:
    page = browser.new_page()
    page.goto(progress_base + "/" + PAGES[kind])
    page.wait_for_load_state("networkidle")
    page.locator(".lang-switch__link").click()
    page.wait_for_load_state("networkidle")
    assert page.url == progress_base + "/en/" + PAGES[kind]
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".lang-switch__link").click()
    page.wait_for_load_state("networkidle")
    assert page.url == progress_base + "/" + PAGES[kind]
    page.close()
