"""The real site in headless Chromium: every page kind in both languages, the language switch,
no request to another host, reading without JavaScript, phone width and print."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PAGE_KINDS = {
    "home": "",
    "plans": "ke-hoach/",
    "plan": "ke-hoach/da-nang-2021/",
    "source": "ke-hoach/hai-phong-2021/van-ban-goc/",
    "task": "ke-hoach/da-nang-2021/3-d/",
    "sub-item": "ke-hoach/da-nang-2021/1-m-2/",
    "pillars": "linh-vuc/",
    "pillar": "linh-vuc/thu-tuc-hanh-chinh/",
    "agencies": "co-quan/",
    "agency": "co-quan/hai-phong/so-noi-vu/",
    "deadlines": "thoi-han/",
    "finder": "tra-cuu/",
    "data": "du-lieu/",
    "about": "gioi-thieu/",
    "guide": "huong-dan/",
    "procedures": "quy-trinh/",
    "procedure": "quy-trinh/giay-phep-xay-dung-nha-o-rieng-le/",
    "whats-new": "thay-doi/",
}
PROCEDURES = ["mot-cua", "mot-cua-lien-thong", "buu-chinh-cong-ich", "giay-phep-xay-dung-nha-o-rieng-le",
              "cap-giay-chung-nhan-lan-dau"]  # fmt: skip

# Every label of a step box, measured by the browser, must lie inside its box; actor names inside their lane.
OUTSIDE_THEIR_BOX = """() => {
  const out = [];
  const inside = (b, r) => b.x >= r.x && b.y >= r.y && b.x + b.width <= r.x + r.width && b.y + b.height <= r.y + r.height;
  for (const svg of document.querySelectorAll("svg.pd-svg")) {
    const lanes = [...svg.querySelectorAll("rect.pd-lane")].map(r => r.getBBox());
    let box = null;
    for (const el of svg.children) {
      if (el.tagName === "rect" && !el.classList.contains("pd-lane")) box = el.getBBox();
      if (el.tagName !== "text") continue;
      const b = el.getBBox();
      if (el.classList.contains("pd-actor")) {
        const lane = lanes.find(l => b.x + b.width / 2 >= l.x && b.x + b.width / 2 <= l.x + l.width);
        if (!lane || !inside(b, lane)) out.push(el.textContent);
      } else if (!box || !inside(b, box)) out.push(el.textContent);
    }
  }
  return out;
}"""


def open_page(browser: Browser, **options: object) -> tuple[Page, list[str]]:
    context = browser.new_context(**options)  # type: ignore[arg-type]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return page, requests


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_kind_opens_and_stays_on_the_site(browser: Browser, base: str, kind: str, lang: str) -> None:
    page, requests = open_page(browser)
    prefix = "/" if lang == "vi" else "/en/"
    response = page.goto(base + prefix + PAGE_KINDS[kind])
    assert response is not None
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").first.is_visible()
    outside = [url for url in requests if not url.startswith(base) and not url.startswith("data:")]
    assert outside == [], f"requests to other hosts: {outside}"
    page.context.close()


@pytest.mark.parametrize("kind", ["home", "task", "agency", "pillar", "plan"])
def test_language_switch_lands_on_the_same_page(browser: Browser, base: str, kind: str) -> None:
    page, _ = open_page(browser)
    page.goto(base + "/" + PAGE_KINDS[kind])
    page.wait_for_load_state("networkidle")  # the theme's own language handler is set up by then
    page.locator(".lang-switch__link").click()
    page.wait_for_load_state("networkidle")
    assert page.url == base + "/en/" + PAGE_KINDS[kind]
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".lang-switch__link").click()
    assert page.url == base + "/" + PAGE_KINDS[kind]
    page.context.close()


def test_task_page_tells_everything_in_vietnamese(browser: Browser, base: str) -> None:
    page, _ = open_page(browser)
    page.goto(base + "/ke-hoach/da-nang-2021/3-d/")
    body = page.locator("article").inner_text()
    assert "Tiếp tục mở rộng, nâng cao hiệu quả thực hiện việc tiếp nhận hồ sơ" in body
    assert "Mục 3.d, Kế hoạch ban hành kèm theo Quyết định số 4988/QĐ-UBND" in body
    assert "Sở Thông tin và Truyền thông" in body
    assert "Thường xuyên – không có hạn cố định" in body
    assert "tối thiểu 50%" in body
    assert "Chưa có báo cáo" in body
    page.get_by_role("link", name="Sở Thông tin và Truyền thông").first.click()
    assert page.url.endswith("/co-quan/da-nang/so-thong-tin-va-truyen-thong/")
    page.context.close()


def test_english_task_page_with_deadline_meaning(browser: Browser, base: str) -> None:
    page, _ = open_page(browser)
    page.goto(base + "/en/ke-hoach/da-nang-2021/1-a/")
    body = page.locator("article").inner_text()
    assert "Department of Home Affairs" in body
    assert "By 30 April 2021" in body
    assert "Passed" in body
    page.context.close()


@pytest.mark.parametrize("kind", ["task", "plan", "pillar", "agency", "deadlines", "home"])
def test_readable_without_javascript(browser: Browser, base: str, kind: str) -> None:
    page, _ = open_page(browser, java_script_enabled=False)
    page.goto(base + "/" + PAGE_KINDS[kind])
    assert page.locator("h1").first.is_visible()
    assert len(page.locator("article").inner_text()) > 200
    page.context.close()


def test_finder_without_javascript_points_to_the_indexes(browser: Browser, base: str) -> None:
    page, _ = open_page(browser, java_script_enabled=False)
    page.goto(base + "/tra-cuu/")
    assert page.get_by_role("link", name="Cơ quan").last.is_visible()
    page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_fits_a_phone_without_sideways_scrolling(browser: Browser, base: str, kind: str, lang: str) -> None:
    page, _ = open_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page.goto(base + ("/" if lang == "vi" else "/en/") + PAGE_KINDS[kind])
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide"
    page.context.close()


def test_print_hides_navigation_and_shows_link_targets(browser: Browser, base: str) -> None:
    page, _ = open_page(browser)
    page.goto(base + "/ke-hoach/da-nang-2021/3-d/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    after = page.evaluate("getComputedStyle(document.querySelector('dl.facts a'), '::after').content")
    assert "co-quan" in after
    page.context.close()


def test_dark_scheme_follows_the_system(browser: Browser, base: str) -> None:
    page, _ = open_page(browser, color_scheme="dark")
    page.goto(base + "/ke-hoach/da-nang-2021/3-d/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("procedure", PROCEDURES)
def test_every_diagram_label_fits_its_box(browser: Browser, base: str, procedure: str, lang: str) -> None:
    page, requests = open_page(browser, viewport={"width": 390, "height": 844})
    page.goto(base + ("/" if lang == "vi" else "/en/") + f"quy-trinh/{procedure}/")
    svg = page.locator("svg.pd-svg")
    assert svg.count() == 1
    assert page.locator("svg.pd-svg title").first.text_content()
    assert page.locator("svg.pd-svg text").count() > 10
    assert page.evaluate(OUTSIDE_THEIR_BOX) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the diagram scrolls in its own box"
    assert [url for url in requests if not url.startswith(base)] == []
    page.context.close()


@pytest.mark.parametrize("family", ["DejaVu Sans", "Liberation Sans"])
def test_diagram_labels_fit_in_other_sans_serif_fonts(browser: Browser, base: str, family: str) -> None:
    """The site sets no web font: labels must fit in whichever sans-serif the reader's browser picks. DejaVu Sans,
    the default of many Linux desktops, is the widest of the usual ones; Debian installs both with Chromium."""
    page, _ = open_page(browser, viewport={"width": 1280, "height": 900})
    for procedure in PROCEDURES:
        for prefix in ("/", "/en/"):
            page.goto(base + prefix + f"quy-trinh/{procedure}/")
            page.add_style_tag(content=f'.pd-svg {{ font-family: "{family}"; }}')
            assert page.evaluate(OUTSIDE_THEIR_BOX) == [], (procedure, prefix)
    page.context.close()


def test_procedure_and_task_pages_link_to_each_other(browser: Browser, base: str) -> None:
    page, _ = open_page(browser)
    page.goto(base + "/ke-hoach/da-nang-2021/3-g/")
    page.get_by_role("link", name="Cấp giấy phép xây dựng nhà ở riêng lẻ").click()
    assert page.url.endswith("/quy-trinh/giay-phep-xay-dung-nha-o-rieng-le/")
    page.get_by_role("link", name="Đà Nẵng 3.g", exact=True).first.click()
    assert page.url.endswith("/ke-hoach/da-nang-2021/3-g/")
    page.context.close()


def test_diagram_reads_without_javascript_and_in_dark_mode(browser: Browser, base: str) -> None:
    page, _ = open_page(browser, java_script_enabled=False, color_scheme="dark")
    page.goto(base + "/en/quy-trinh/mot-cua/")
    assert page.locator("svg.pd-svg").is_visible()
    steps = page.locator("ol.pd-steps").inner_text()
    assert "One-Stop Shop" in steps
    page.context.close()
