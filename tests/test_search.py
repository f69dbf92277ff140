"""Search in real Chromium: Vietnamese-aware matching, filters, sorting and the view kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page

from .browser import serve_site

pytestmark = pytest.mark.browser

# (query, a task expected among the first five results). Typed with and without tone marks, with d for đ.
VIETNAMESE = [
    ("dat dai", "Đà Nẵng 3.g"),
    ("đất đai", "Đà Nẵng 7.q.4"),
    ("dất đai", "Đà Nẵng 7.q.4"),
    ("thu tuc hanh chinh", "Đà Nẵng 3.g"),
    ("noi vu", "Hải Phòng 3"),
    ("buu chinh cong ich", "Đà Nẵng 3.d"),
    ("bưu chính", "Đà Nẵng 3.d"),
    ("60%", "Đà Nẵng 7.c"),
    ("ISO 9001", "Hải Phòng 27"),
    ("Quý IV", "Đà Nẵng 1.g"),
    ("Quy IV", "Đà Nẵng 7.p"),
    ("chatbot", "Đà Nẵng 7.g"),
    ("1022", "Đà Nẵng 7.l"),
    ("tinh gian bien che", "Đà Nẵng 4.e"),
    ("Trung tâm Phục vụ hành chính công", "Hải Phòng 14"),
    ("107/2020", "Hải Phòng 17"),
    ("ngoai ngu", "Đà Nẵng 5.b"),
    ("Cục Thuế", "Hải Phòng 24"),
    ("danh gia xep hang", "Đà Nẵng 1.a"),
    ("Sở Tư pháp", "Đà Nẵng 1.h"),
    ("3943/QĐ-UBND", "Hải Phòng 1"),  # the plan's decision number, the only searched part of the citation
]
ENGLISH = [
    ("postal", "Da Nang 3.d"),
    ("land", "Da Nang 7.q.4"),
    ("ISO 9001", "Da Nang 4.g"),
    ("60%", "Da Nang 7.c"),
    ("chatbot", "Da Nang 7.g"),
    ("camera", "Da Nang 3.m"),
    ("equitization", "Da Nang 6.d"),
    ("staff streamlining", "Da Nang 4.e"),
    ("Public Administration Service Centre", "Hai Phong 14"),
    ("Tax Department", "Hai Phong 24"),
    ("foreign language", "Da Nang 5.b"),
    ("1022", "Da Nang 7.l"),
    ("Q4 2021", "Da Nang 1.g"),
    ("PAR Index", "Hai Phong 4"),
    ("SIPAS", "Da Nang 3.h.2.2"),
    ("simplification", "Da Nang 3.c"),
]


def wait_for_results(page: Page) -> list[str]:
    # The finder's page may still be loading (after a click on a link to it): no count yet is "not yet".
    page.wait_for_function(
        "(() => { const c = document.getElementById('finder-count'); const t = c && c.textContent;"
        " return t && !t.includes('…'); })()"
    )
    page.wait_for_function("document.querySelectorAll('.finder-result').length > 0 || "
                           "!document.getElementById('finder-count').textContent.match(/\\d/)")  # fmt: skip
    return [x.inner_text() for x in page.query_selector_all(".finder-result__title")]


def titles(browser: Browser, base: str, path: str) -> tuple[Page, list[str]]:
    page = browser.new_context().new_page()
    page.goto(base + path)
    return page, wait_for_results(page)


@pytest.mark.parametrize(("query", "expected"), VIETNAMESE)
def test_vietnamese_query(browser: Browser, base: str, query: str, expected: str) -> None:
    page, found = titles(browser, base, f"/tra-cuu/?q={quote(query)}")
    assert expected in found[:5], found[:5]
    page.context.close()


@pytest.mark.parametrize(("query", "expected"), ENGLISH)
def test_english_query(browser: Browser, base: str, query: str, expected: str) -> None:
    page, found = titles(browser, base, f"/en/tra-cuu/?q={quote(query)}")
    assert expected in found[:5], found[:5]
    page.context.close()


def test_d_typed_for_đ_finds_the_same_tasks(browser: Browser, base: str) -> None:
    page, with_d = titles(browser, base, "/tra-cuu/?q=dat+dai")
    _, with_đ = titles(browser, base, f"/tra-cuu/?q={quote('đất đai')}")
    assert sorted(with_d) == sorted(with_đ)
    assert with_đ[0] == "Đà Nẵng 7.q.4", "the exact spelling ranks first"
    page.context.close()


def test_result_shows_city_number_task_lead_and_deadline(browser: Browser, base: str) -> None:
    page, _ = titles(browser, base, "/tra-cuu/?q=chatbot")
    text = page.locator(".finder-result").first.inner_text()
    assert "Đà Nẵng 7.g" in text
    assert "Đẩy mạnh Ứng dụng chatbot" in text
    assert "Chủ trì: Sở Thông tin và Truyền thông" in text
    assert "Thời hạn: Thường xuyên" in text
    page.locator(".finder-result a").first.click()
    assert page.url.endswith("/ke-hoach/da-nang-2021/7-g/")
    page.context.close()


def test_filters_sort_reload_and_back_button(browser: Browser, base: str) -> None:
    page, everything = titles(browser, base, "/tra-cuu/")
    assert page.inner_text("#finder-count") == "133 nhiệm vụ"
    assert everything[0] == "Đà Nẵng 1.a", "without a query, tasks come in printed order"
    page.get_by_label("Hải Phòng (38)").check()
    page.wait_for_url("**/tra-cuu/?city=hai-phong")
    wait_for_results(page)
    assert page.inner_text("#finder-count") == "38 nhiệm vụ"
    page.get_by_label("Sắp xếp").select_option(label="Theo thời hạn")
    page.wait_for_url("**/tra-cuu/?sort=deadline&city=hai-phong")
    first = wait_for_results(page)[0]
    assert first == "Hải Phòng 1.a", "due 12/2020: the earliest deadline of the plan"
    page.reload()
    assert wait_for_results(page)[0] == "Hải Phòng 1.a"
    assert page.get_by_label("Hải Phòng (38)").is_checked()
    page.go_back()
    page.wait_for_url("**/tra-cuu/?city=hai-phong")
    wait_for_results(page)
    assert page.input_value("#finder-sort") == ""
    page.go_back()
    page.wait_for_url("**/tra-cuu/")
    wait_for_results(page)
    assert page.inner_text("#finder-count") == "133 nhiệm vụ"
    page.context.close()


def test_a_search_with_a_query_fetches_no_sort_order_until_one_is_chosen(browser: Browser, base: str) -> None:
    """The sort orders are not in Pagefind's metadata but in a file of their own (stable_index.ORDERS): a
    search with a query is shown by relevance without it; the list without a query and a chosen order load it."""
    page = browser.new_context().new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "/tra-cuu/?q=cai+cach+hanh+chinh")
    relevance = wait_for_results(page)
    count = page.inner_text("#finder-count")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if "/pagefind/orders." in url]
    page.get_by_label("Sắp xếp").select_option(label="Theo thời hạn")
    page.wait_for_url("**/tra-cuu/?q=cai+cach+hanh+chinh&sort=deadline")
    by_deadline = wait_for_results(page)
    assert [url for url in requests if url.endswith("/pagefind/orders.vi.json")]
    assert page.inner_text("#finder-count") == count
    assert by_deadline != relevance
    page.goto(base + "/en/tra-cuu/")
    assert wait_for_results(page)[0] == "Da Nang 1.a", "without a query, tasks come in printed order"
    assert [url for url in requests if url.endswith("/pagefind/orders.en.json")]
    page.context.close()


def test_filters_combine_and_count(browser: Browser, base: str) -> None:
    page, found = titles(browser, base, "/tra-cuu/?city=hai-phong&budget=yes")
    assert sorted(found) == sorted(["Hải Phòng 7", "Hải Phòng 13.a", "Hải Phòng 14", "Hải Phòng 16",
                                    "Hải Phòng 17", "Hải Phòng 18"])  # fmt: skip
    page, found = titles(browser, base, "/tra-cuu/?quarter=conditional&city=hai-phong")
    assert "Hải Phòng 14" in found
    page, found = titles(browser, base, "/tra-cuu/?month=2021-04")
    assert set(found) >= {"Đà Nẵng 1.a", "Đà Nẵng 1.b", "Đà Nẵng 3.i"}
    page.context.close()


def test_agency_and_pillar_pages_open_the_finder_prefiltered(browser: Browser, base: str) -> None:
    page = browser.new_context().new_page()
    page.goto(base + "/co-quan/hai-phong/so-tu-phap/")
    page.get_by_role("link", name="Tra cứu nhiệm vụ: nhiệm vụ chủ trì").click()
    page.wait_for_url(lambda url: "/tra-cuu/?" in url)
    assert sorted(wait_for_results(page)) == ["Hải Phòng 10", "Hải Phòng 11", "Hải Phòng 12", "Hải Phòng 9"]
    page.goto(base + "/en/linh-vuc/tai-chinh-cong/")
    page.get_by_role("link", name="Find tasks: Public finance reform").click()
    page.wait_for_url(lambda url: "/en/tra-cuu/?" in url)
    assert len(wait_for_results(page)) == 8
    assert page.inner_text("#finder-count") == "8 tasks"
    page.context.close()


def test_header_search_box_opens_the_finder(browser: Browser, base: str) -> None:
    page = browser.new_context().new_page()
    page.goto(base + "/en/ke-hoach/da-nang-2021/3-d/")
    box = page.get_by_placeholder("Search tasks, agencies…")
    box.fill("chatbot")
    box.press("Enter")
    assert wait_for_results(page) == ["Da Nang 7.g"]
    assert page.input_value("#finder-q") == "chatbot"
    page.context.close()


def test_keyboard_only_and_announced_counts(browser: Browser, base: str) -> None:
    page, _ = titles(browser, base, "/tra-cuu/")
    assert page.get_attribute("#finder-count", "role") == "status"
    page.focus("#finder-q")
    page.keyboard.type("camera")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tra-cuu/?q=camera")
    assert wait_for_results(page) == ["Đà Nẵng 3.m"]
    page.keyboard.press("Tab")  # to the sort menu
    page.keyboard.press("Tab")  # into the filters: the first facet's summary
    page.keyboard.press("Tab")  # the first city checkbox
    page.keyboard.press("Space")
    page.wait_for_url("**city=da-nang**")
    page.context.close()


def test_phone_width(browser: Browser, base: str) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(base + "/tra-cuu/?q=dat+dai")
    wait_for_results(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def test_no_search_request_leaves_the_site(browser: Browser, base: str) -> None:
    page = browser.new_context().new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "/tra-cuu/?q=dat+dai&city=da-nang")
    wait_for_results(page)
    assert any("/pagefind/" in url for url in requests)
    assert [url for url in requests if not url.startswith(base)] == []
    page.context.close()


def test_phone_shows_results_first_and_filters_behind_a_counting_button(browser: Browser, base: str) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(base + "/tra-cuu/")
    wait_for_results(page)
    toggle = page.get_by_role("button", name="Bộ lọc")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "finder-filters"
    assert not page.locator("#finder-filters").is_visible()
    page.fill("#finder-q", "dat dai")
    page.wait_for_url("**/tra-cuu/?q=dat+dai")
    wait_for_results(page)
    # The first result is on the first screen, without scrolling.
    assert page.evaluate("window.scrollY") == 0
    box = page.locator(".finder-result").first.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 844 - 40, f"the first result starts at {box['y']}px"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_label("Đà Nẵng", exact=False).first.check()
    page.wait_for_url("**city=da-nang**")
    wait_for_results(page)
    assert toggle.inner_text() == "Bộ lọc (1)"
    page.reload()  # the count comes from the address, before the filters are loaded or opened
    wait_for_results(page)
    assert page.locator("#finder-toggle").inner_text() == "Bộ lọc (1)"
    assert not page.locator("#finder-filters").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.context.close()


def test_phone_loads_no_filter_until_they_are_opened(browser: Browser, base: str) -> None:
    """A first search on a phone downloads no facet file and no names: the filters are closed."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "/tra-cuu/?q=dat+dai")
    wait_for_results(page)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if url.endswith((".pf_filter", "labels.json"))]
    page.get_by_role("button", name="Bộ lọc").click()
    page.get_by_label("Đà Nẵng", exact=False).first.wait_for()
    assert [url for url in requests if url.endswith(".pf_filter")]
    assert page.locator("#finder-filters label").first.inner_text().endswith(")")  # counts drawn
    page.context.close()


def test_desktop_keeps_filters_beside_the_results(browser: Browser, base: str) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base + "/tra-cuu/?q=dat+dai")
    wait_for_results(page)
    assert not page.locator("#finder-toggle").is_visible()
    page.get_by_label("Đà Nẵng", exact=False).first.wait_for()
    filters = page.locator("#finder-filters").bounding_box()
    results = page.locator("#finder-list").bounding_box()
    assert filters is not None
    assert results is not None
    assert filters["x"] + filters["width"] <= results["x"]  # a column to the left, as before
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_filter_headings_and_chevrons_stay_inside_their_boxes(browser: Browser, base: str, width: int) -> None:
    page = browser.new_context(viewport={"width": width, "height": 844}).new_page()
    page.goto(base + "/tra-cuu/?q=dat+dai")
    wait_for_results(page)
    if width < 960:
        page.get_by_role("button", name="Bộ lọc").click()
    page.get_by_label("Đà Nẵng", exact=False).first.wait_for()
    boxes = page.evaluate(
        """() => [...document.querySelectorAll("details.finder-facet")].map(d => {
            const a = d.getBoundingClientRect(), b = d.querySelector("summary").getBoundingClientRect();
            return [d.querySelector("summary").textContent, a.left, a.right, b.left, b.right]; })"""
    )
    assert boxes
    for name, left, right, summary_left, summary_right in boxes:
        assert left <= summary_left, f"{name}: starts at {summary_left}, its box at {left}"
        assert summary_right <= right, f"{name}: ends at {summary_right}, its box at {right}"
    page.context.close()


def test_phone_without_javascript_points_to_the_indexes(browser: Browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/tra-cuu/")
    for name in ("Kế hoạch", "Lĩnh vực", "Cơ quan", "Thời hạn"):
        assert page.locator("noscript, .md-content").get_by_role("link", name=name).last.is_visible()
    assert not page.locator("#finder").is_visible()  # no dead form
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


# The landing view (no query, no filter) is drawn without Pagefind's search, which would download every
# word-index chunk (finder.js, `landing`); deleting DecompressionStream forces Pagefind's way, as before.
NO_DECOMPRESSION = "delete window.DecompressionStream;"


@dataclass
class Landing:
    """What a landing view shows (its first results' links and texts, the count, every facet's labels with
    their counts) and the URLs it requested until idle."""

    page: Page
    count: str
    results: list[list[str]]
    facets: list[str]
    requests: list[str]

    def word_chunks(self) -> list[str]:
        return [url for url in self.requests if "/pagefind/index/" in url]


def landing_view(browser: Browser, url: str, *, width: int = 1280, pagefind: bool = False) -> Landing:
    """Open the finder at `url` and read its view once the facets are drawn; `pagefind`: drawn by Pagefind's search."""
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    if pagefind:
        page.add_init_script(NO_DECOMPRESSION)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    wait_for_results(page)
    if width < 960:
        page.get_by_role("button", name="Bộ lọc").click()
    page.locator("#finder-filters input[type=checkbox]").first.wait_for()
    page.wait_for_load_state("networkidle")
    return Landing(
        page=page,
        count=page.inner_text("#finder-count"),
        results=page.eval_on_selector_all(
            ".finder-result", "rs => rs.map(r => [r.querySelector('a').getAttribute('href'), r.innerText])"
        ),
        facets=page.eval_on_selector_all("#finder-filters label", "ls => ls.map(l => l.textContent)"),
        requests=requests,
    )


@pytest.mark.parametrize("path", ["/tra-cuu/", "/en/tra-cuu/", "/tra-cuu/?sort=deadline"])
def test_landing_view_is_the_one_pagefind_gives(browser: Browser, base: str, path: str) -> None:
    ours = landing_view(browser, base + path)
    theirs = landing_view(browser, base + path, pagefind=True)
    assert theirs.word_chunks(), "the fallback is Pagefind's search"
    assert not ours.word_chunks()
    assert (ours.count, ours.results, ours.facets) == (theirs.count, theirs.results, theirs.facets)
    assert len(ours.results) == 20
    assert ours.facets[0].endswith(")")
    ours.page.context.close()
    theirs.page.context.close()


def test_landing_view_in_a_sub_folder_links_as_pagefind_does(browser: Browser, site: Path) -> None:
    """The site served from a sub-folder: result links are what Pagefind's data() gives under baseUrl."""
    with serve_site(site.parent) as parent:
        url = f"{parent}/{site.name}/tra-cuu/"
        ours = landing_view(browser, url)
        theirs = landing_view(browser, url, pagefind=True)
        assert ours.results == theirs.results
        links = [href for href, _ in ours.results]
        assert all(href.startswith(f"/{site.name}/ke-hoach/") for href in links), links[:3]
        ours.page.locator(".finder-result a").first.click()
        ours.page.wait_for_url(f"{parent}/{site.name}/ke-hoach/**")
        ours.page.context.close()
        theirs.page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_landing_view_loads_no_word_index_and_a_query_then_works(browser: Browser, base: str, width: int) -> None:
    view = landing_view(browser, base + "/tra-cuu/", width=width)
    assert [url for url in view.requests if url.endswith(".pf_fragment")], "the shown results' fragments"
    assert not view.word_chunks()
    page = view.page
    page.locator("#finder-more").click()
    page.wait_for_function("document.querySelectorAll('.finder-result').length === 40")
    assert not view.word_chunks()
    page.fill("#finder-q", "camera")
    page.wait_for_url("**/tra-cuu/?q=camera")
    assert wait_for_results(page) == ["Đà Nẵng 3.m"]
    assert view.word_chunks(), "a query goes through Pagefind"
    page.context.close()
