"""Shared, found and answered: link previews (Open Graph tags and a 1200×630 PNG card per page, cached
by content hash), schema.org JSON-LD, and the per-city "Góp ý / Report a problem" link.

Built on the mini fixture twice: as it is (no SITE_URL, no feedback channel), and with SITE_URL, an
e-mail channel and hostile text (`</script>` …) in a task and an agency name."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from PIL import Image

from generator.__main__ import main
from generator.content.model import City, Text
from generator.content.site import Site
from generator.content.validate import load_content
from generator.pages.cards import (
    ELLIPSIS,
    WIDTH,
    Card,
    CardCache,
    _font,
    card_files,
    card_key,
    draw,
    wrap,
)
from generator.pages.feedback import feedback_href
from generator.pages.share import all_cards
from generator.pages.structured import script_json
from generator.publish.generate import card_links
from generator.publish.generate import cards as build_cards

from .conftest import make_root

HOSTILE = "</script><script>window.__pwned=1</script><!-- &"
SITE_URL = "https://example.org/cchc/"
EMAIL = "gop-y@example.org"
OG = ("og:type", "og:site_name", "og:locale", "og:locale:alternate", "og:title", "og:description", "og:image")
OG += ("og:image:width", "og:image:height", "og:image:alt")


class Head(HTMLParser):
    """The meta tags, canonical link, JSON-LD blocks and feedback links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.canonical: str | None = None
        self.description: str | None = None
        self.ld: list[str] = []
        self.feedback: list[str] = []
        self._in_ld = False
        self._in_feedback = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or "").startswith("og:"):
            self.meta.append((a["property"] or "", a.get("content") or ""))
        elif tag == "meta" and (a.get("name") or "").startswith("twitter:"):
            self.meta.append((a["name"] or "", a.get("content") or ""))
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.ld.append("")
        elif tag == "p" and a.get("class") == "feedback":
            self._in_feedback = True
        elif tag == "a" and self._in_feedback:
            self.feedback.append(a.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False
        elif tag == "p":
            self._in_feedback = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.ld[-1] += data


def read(page: Path) -> Head:
    head = Head()
    head.feed(page.read_text(encoding="utf-8"))
    return head


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "pagefind" not in p.parts)


def _build(tmp: Path, *, hostile: bool) -> Path:
    root = make_root(tmp)
    if hostile:
        city = root / "content" / "cities" / "alpha.yaml"
        text = city.read_text(encoding="utf-8").replace(
            "name: {vi: Đà Lạt, en: Da Lat}\n", f"name: {{vi: Đà Lạt, en: Da Lat}}\nfeedback: {{email: {EMAIL}}}\n"
        )
        text = text.replace("name: {vi: Sở Nội vụ, en:", f"name: {{vi: 'Sở Nội vụ {HOSTILE}', en:", 1)
        city.write_text(text, encoding="utf-8")
        tasks = root / "content" / "plans" / "alpha-2021" / "tasks" / "1.yaml"
        printed = "Đánh giá, xếp hạng kết quả cải cách hành chính."
        tasks.write_text(tasks.read_text(encoding="utf-8").replace(printed, f"{printed} {HOSTILE}"), encoding="utf-8")
    out = tmp / "site"
    previous = os.environ.pop("SITE_URL", None)
    if hostile:
        os.environ["SITE_URL"] = SITE_URL
    try:
        assert main(["--root", str(root), "build", "--site", str(out), "--no-search"]) == 0
    finally:
        os.environ.pop("SITE_URL", None)
        if previous is not None:
            os.environ["SITE_URL"] = previous
    return out


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("share-plain"), hostile=False)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("share-hostile"), hostile=True)


def _image_file(site: Path, page: Path, image: str) -> Path:
    """The file an og:image names: absolute under SITE_URL, or relative to the page."""
    if image.startswith(SITE_URL):
        return site / image.removeprefix(SITE_URL)
    assert not urlsplit(image).scheme, image
    assert not image.startswith("/"), image
    url = urljoin(page.relative_to(site).as_posix(), image)
    return site / url


@pytest.mark.parametrize("which", ["plain_site", "hostile_site"])
def test_every_page_has_well_formed_preview_tags_and_an_existing_1200x630_png(
    which: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(which)
    checked = 0
    for page in pages(site):
        head = read(page)
        names = [name for name, _ in head.meta]
        for name in (*OG, "twitter:card"):
            assert names.count(name) == 1, f"{page}: {name} appears {names.count(name)} times"
        meta = dict(head.meta)
        english = page.relative_to(site).parts[0] == "en"
        assert meta["og:locale"] == ("en_US" if english else "vi_VN")
        assert meta["og:locale:alternate"] == ("vi_VN" if english else "en_US")
        assert meta["twitter:card"] == "summary_large_image"
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert meta["og:title"].strip()
        assert meta["og:description"].strip()
        # What search engines show is what a preview shows, in the page's language (not mkdocs.yml's Vietnamese).
        assert head.description == meta["og:description"], page
        assert meta["og:image:alt"].strip()
        if which == "hostile_site":
            assert meta["og:url"] == head.canonical, page
            assert meta["og:url"].startswith(SITE_URL), page
            assert meta["og:image"].startswith(SITE_URL)
        else:
            assert "og:url" not in meta, "og:url only with SITE_URL"
        image = _image_file(site, page, meta["og:image"])
        assert image.is_file(), f"{page}: {meta['og:image']} → {image} is missing"
        with Image.open(image) as card:
            assert (card.format, card.size, card.mode) == ("PNG", (1200, 630), "P")
        checked += 1
    assert checked > 20


def test_task_agency_plan_pillar_pages_have_their_own_card(plain_site: Path) -> None:
    for path in ("ke-hoach/alpha-2021/1-a/", "en/co-quan/alpha/so-noi-vu/", "ke-hoach/alpha-2021/"):
        assert dict(read(plain_site / path / "index.html").meta)["og:image"] == "og.png", path
    pillar = next((plain_site / "linh-vuc").glob("*/index.html"))
    assert dict(read(pillar).meta)["og:image"] == "og.png"
    assert dict(read(plain_site / "du-lieu" / "index.html").meta)["og:image"] == "../og.png"  # the site's


def test_plan_and_agency_previews_describe_the_page_not_the_site(plain_site: Path) -> None:
    """A shared plan or agency link says what it is about (decision and tasks, tasks led and coordinated),
    in the page's language, instead of the site's one-line description every other page shares."""
    expected = {
        "ke-hoach/alpha-2021/": "Quyết định số 1/QĐ-UBND ngày 01/12/2020 · 5 nhiệm vụ",
        "en/ke-hoach/alpha-2021/": "Decision No. 1/QĐ-UBND of 1 December 2020 · 5 tasks",
        "co-quan/alpha/so-noi-vu/": "Chủ trì 2 nhiệm vụ · phối hợp 0",
        "en/co-quan/alpha/so-noi-vu/": "Leads 2 tasks · coordinates 0",
    }
    for path, description in expected.items():
        assert dict(read(plain_site / path / "index.html").meta)["og:description"] == description, path


def _blocks(page: Path) -> list[dict[str, Any]]:
    return [json.loads(block) for block in read(page).ld]


def _nodes(page: Path) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for block in _blocks(page):
        assert block["@context"] == "https://schema.org"
        for node in block.get("@graph", [block]):
            nodes[node["@type"]] = node
    return nodes


@pytest.mark.parametrize("which", ["plain_site", "hostile_site"])
def test_every_json_ld_block_parses_and_has_its_required_properties(which: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(which)
    seen: set[str] = set()
    for page in pages(site):
        for kind, node in _nodes(page).items():
            seen.add(kind)
            if kind == "BreadcrumbList":
                items = node["itemListElement"]
                assert [i["position"] for i in items] == list(range(1, len(items) + 1))
                assert all(i["@type"] == "ListItem" and i["name"] for i in items)
                assert all("item" in i for i in items[:-1]), page
            elif kind == "GovernmentOrganization":
                assert node["name"]
                assert node["url"]
                assert node["areaServed"]["name"]
            elif kind == "Dataset":
                assert node["name"]
                assert node["description"]
                assert node["license"]["name"]
                assert node["publisher"]["name"]
                assert node["temporalCoverage"] == "2021"
                formats = {d["encodingFormat"] for d in node["distribution"]}
                assert formats == {"text/csv", "application/json"}
                for download in node["distribution"]:
                    assert download["@type"] == "DataDownload"
                    file = (
                        site / download["contentUrl"].removeprefix(SITE_URL)
                        if which == "hostile_site"
                        else site / urljoin(page.relative_to(site).as_posix(), download["contentUrl"])
                    )
                    assert file.is_file(), download
            else:
                pytest.fail(f"{page}: unexpected type {kind}")
    assert seen == {"BreadcrumbList", "GovernmentOrganization", "Dataset"}
    task = _nodes(site / "ke-hoach" / "alpha-2021" / "1-b-1" / "index.html")["BreadcrumbList"]
    assert [i["name"] for i in task["itemListElement"]][-2:] == ["1.b", "Nhiệm vụ 1.b.1"]  # the parent task
    assert set(_nodes(site / "co-quan" / "alpha" / "so-noi-vu" / "index.html")) == {
        "GovernmentOrganization",
        "BreadcrumbList",
    }
    assert "Dataset" in _nodes(site / "en" / "du-lieu" / "index.html")


def test_the_dataset_distributes_every_open_data_file(plain_site: Path) -> None:
    """A portal harvesting the data page finds every CSV and JSON file of data/, the plan-level tables and
    the Frictionless descriptor included (labels.json is the finder's, not open data)."""
    published = {p.name for p in (plain_site / "data").iterdir() if p.suffix in (".csv", ".json")} - {"labels.json"}
    assert {"plan-targets.csv", "task-agencies.csv", "datapackage.json"} <= published
    for lang in ("", "en/"):
        node = _nodes(plain_site / lang / "du-lieu" / "index.html")["Dataset"]
        assert sorted(d["name"] for d in node["distribution"]) == sorted(published), lang


def test_hostile_text_stays_inside_its_json_ld_block_and_attributes(hostile_site: Path) -> None:
    agency = hostile_site / "co-quan" / "alpha" / "so-noi-vu" / "index.html"
    html = agency.read_text(encoding="utf-8")
    assert "window.__pwned" in html  # the text is there, as text
    assert "<script>window.__pwned" not in html  # and never as a script of its own
    organisation = _nodes(agency)["GovernmentOrganization"]
    assert organisation["name"] == f"Sở Nội vụ {HOSTILE}"  # parsed back whole: nothing broke out
    task = hostile_site / "ke-hoach" / "alpha-2021" / "1-a" / "index.html"
    meta = dict(read(task).meta)
    assert HOSTILE in meta["og:description"]  # an attribute, read back as text
    assert "<script>window.__pwned" not in task.read_text(encoding="utf-8")
    for value in ({"a": HOSTILE}, [HOSTILE, "</SCRIPT >", "<!--", "\u2028\u2029"]):
        text = script_json(value)
        assert "<" not in text
        assert ">" not in text
        assert "&" not in text
        assert "\u2028" not in text
        assert json.loads(text) == value


def test_feedback_link_on_task_and_agency_pages_only_when_the_city_names_a_channel(
    plain_site: Path, hostile_site: Path
) -> None:
    for page in pages(plain_site):
        assert not read(page).feedback, page
    task = read(hostile_site / "ke-hoach" / "alpha-2021" / "1-a" / "index.html").feedback
    assert len(task) == 1
    address, _, query = task[0].partition("?")
    assert address == f"mailto:{EMAIL}"
    assert query.startswith("subject=")
    assert " " not in query
    assert unquote(query.removeprefix("subject=")) == f"Góp ý: alpha-2021/1-a {SITE_URL}ke-hoach/alpha-2021/1-a/"
    english = read(hostile_site / "en" / "co-quan" / "alpha" / "so-noi-vu" / "index.html").feedback
    assert (
        unquote(english[0])
        == f"mailto:{EMAIL}?subject=Report a problem: alpha/so-noi-vu {SITE_URL}en/co-quan/alpha/so-noi-vu/"
    )
    assert not read(hostile_site / "ke-hoach" / "alpha-2021" / "index.html").feedback  # plan pages: none


def test_feedback_href_links_a_portal_as_it_is_and_encodes_the_subject() -> None:
    name = Text(vi="Đà Lạt", en="Da Lat")
    portal = City.model_validate(
        {"id": "a", "name": name, "feedback": {"url": "https://gopy.example.gov.vn/?a=1"}, "agencies": []}
    )
    assert feedback_href(portal, "x") == "https://gopy.example.gov.vn/?a=1"
    mail = City.model_validate({"id": "a", "name": name, "feedback": {"email": "a@b.vn"}, "agencies": []})
    assert (
        feedback_href(mail, "Góp ý: a/b & c?d=e#f")
        == "mailto:a@b.vn?subject=G%C3%B3p%20%C3%BD%3A%20a%2Fb%20%26%20c%3Fd%3De%23f"
    )
    assert feedback_href(City.model_validate({"id": "a", "name": name, "agencies": []}), "x") is None


@pytest.mark.parametrize(
    ("feedback", "message"),
    [
        ("{email: 'not an address'}", "feedback.email: 'not an address' is not a valid e-mail address"),
        ("{email: 'Ban <a@b.vn>'}", "feedback.email: 'Ban <a@b.vn>' is not a valid e-mail address"),
        ("{url: 'javascript:alert(1)'}", "feedback.url: 'javascript:alert(1)' is not a valid link"),
        ("{email: a@b.vn, url: 'https://b.vn/'}", "give either an e-mail address (email) or a web address (url)"),
        ("{}", "give either an e-mail address (email) or a web address (url)"),
    ],
)
def test_a_bad_feedback_channel_is_a_problem_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], feedback: str, message: str
) -> None:
    root = make_root(tmp_path)
    city = root / "content" / "cities" / "alpha.yaml"
    text = city.read_text(encoding="utf-8").replace("agencies:\n", f"feedback: {feedback}\nagencies:\n", 1)
    city.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"feedback: {feedback}") + 1
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    found = [row for row in out.splitlines() if message in row]
    assert found, out
    assert found[0].startswith(f"content/cities/alpha.yaml:{line}:"), found[0]


# The cards themselves.

LONG = " ".join(["Tiếp tục mở rộng, nâng cao hiệu quả thực hiện việc tiếp nhận hồ sơ và trả kết quả"] * 12)


def test_a_card_is_the_same_png_bytes_for_the_same_inputs() -> None:
    card = Card("Nhiệm vụ 3.d", "Đà Nẵng 2021", LONG, (("Cơ quan chủ trì", "Sở Nội vụ" * 20),), "Trang")
    first, second = draw(card), draw(card)
    assert first == second
    with Image.open(io.BytesIO(first)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (1200, 630), "P")
    assert card_key(card) != card_key(Card("Nhiệm vụ 3.d", "Đà Nẵng 2021", LONG + ".", card.facts, "Trang"))


def test_long_vietnamese_text_wraps_by_measured_width_and_ends_with_an_ellipsis() -> None:
    font = _font(44, bold=True)
    lines = wrap(LONG, font, WIDTH - 128, 4)
    assert len(lines) == 4
    assert lines[-1].endswith(ELLIPSIS)
    assert all(font.getlength(line) <= WIDTH - 128 for line in lines)
    assert " ".join(lines[:3]) == " ".join(LONG.split()[: len(" ".join(lines[:3]).split())])  # whole words
    assert wrap("Ngắn", font, 500, 4) == ["Ngắn"]
    unbroken = wrap("x" * 400, font, 300, 2)  # a word longer than a line is broken inside it
    assert len(unbroken) == 2
    assert all(font.getlength(line) <= 300 for line in unbroken)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    return make_root(tmp_path)


def linked(root: Path, site: Site) -> tuple[dict[str, bytes], int]:
    """The cards a full build links into the site (`card_links`), by their bytes."""
    files, drawn = card_links(root, site)
    return {path: file.read_bytes() for path, file in files.items()}, drawn


def test_cards_are_cached_a_rebuild_draws_none_and_a_changed_task_only_its_own(project: Path) -> None:
    content, _ = load_content(project)
    first, drawn = linked(project, Site(content))
    assert drawn == len({card_key(card) for card in all_cards(Site(content)).values()}) > 10
    assert (project / ".cache" / "cards").is_dir()
    again, drawn = build_cards(project, Site(content))  # as the live preview gets them
    assert drawn == 0
    assert again == first
    assert linked(project, Site(content)) == (first, 0)

    tasks = project / "content" / "plans" / "alpha-2021" / "tasks" / "1.yaml"
    text = tasks.read_text(encoding="utf-8")
    text = text.replace("Đánh giá, xếp hạng kết quả", "Đánh giá lại kết quả").replace("Assess and rank", "Reassess")
    tasks.write_text(text, encoding="utf-8")
    changed, _ = load_content(project)
    after, drawn = linked(project, Site(changed))
    assert drawn == 2
    assert {path for path in after if after[path] != first[path]} == {
        "ke-hoach/alpha-2021/1-a/og.png",
        "en/ke-hoach/alpha-2021/1-a/og.png",
    }
    assert len(list((project / ".cache" / "cards").glob("*.png"))) == len(
        set(map(card_key, all_cards(Site(changed)).values()))
    )


def test_a_cache_without_a_folder_draws_every_time() -> None:
    card = Card("a", "b", "c", (), "d")
    assert card_files({"og.png": card}, CardCache(None))[1] == 1
    assert card_files({"og.png": card}, CardCache(None))[1] == 1
