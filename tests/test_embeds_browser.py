"""Embeddable cards framed by another site: a page on another origin (another port of 127.0.0.1) frames a
task's card from the progress fixture; it shows the task's number and reported status in light and dark,
axe-core finds no WCAG 2.1 A/AA violation in it, and its links open the full page in a new tab."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame

from .browser import serve_site
from .test_a11y import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.tools]

CARDS = [
    # (card, number, status as the card writes it): 1.d in progress, 2.c cancelled by an amendment,
    # 2.f added by one (no printed task: its own card all the same).
    ("nhung/ke-hoach/beta-2021/1-d.html", "Nhiệm vụ 1.d", "Đang thực hiện"),
    ("nhung/ke-hoach/beta-2021/2-c.html", "Nhiệm vụ 2.c", "Hủy bỏ"),
    ("en/nhung/ke-hoach/beta-2021/2-f.html", "Task 2.f", None),
    ("nhung/ke-hoach/beta-2021.html", None, "Hoàn thành"),
    ("en/nhung/co-quan/beta/so-noi-vu.html", "Department of Home Affairs", None),
]


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, progress_base: str) -> Iterator[str]:
    """A newspaper's page on another origin, framing each card with the snippet's attributes."""
    folder = tmp_path_factory.mktemp("newspaper")
    for i, (card, _, _) in enumerate(CARDS):
        (folder / f"{i}.html").write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title></head><body>'
            f'<main><h1>News</h1><iframe src="{progress_base}/{card}" title="Card" width="400" height="300"'
            ' style="border:0;max-width:100%"></iframe></main></body></html>',
            encoding="utf-8",
        )
    with serve_site(folder) as url:
        yield url


def framed(browser: Browser, host: str, index: int, scheme: str, shots: Path | None = None) -> tuple[Frame, str]:
    """The card `index` framed by the host page in `scheme`, and the card's background colour."""
    context = browser.new_context(
        color_scheme="dark" if scheme == "dark" else "light", viewport={"width": 480, "height": 360}
    )
    page = context.new_page()
    page.goto(f"{host}/{index}.html")
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()
    card = next(f for f in page.frames if f != page.main_frame)
    if shots is not None:
        page.screenshot(path=str(shots / f"embed-{index}-{scheme}.png"))
    background = card.evaluate("getComputedStyle(document.body).backgroundColor")
    return card, background


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("index", range(len(CARDS)))
def test_a_framed_card_shows_the_task_and_its_status(
    browser: Browser, host: str, axe_source: str, index: int, scheme: str
) -> None:
    card, background = framed(browser, host, index, scheme)
    _, heading, status = CARDS[index]
    text = card.inner_text("body")
    if heading:
        assert heading in card.inner_text("h1")
    if status:
        assert status in text
    assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(22, 24, 27)")
    assert card.evaluate("document.scripts.length") == 0, "no script from us"
    links = card.eval_on_selector_all("a", "links => links.map(a => [a.target, a.rel, a.href])")
    assert links, "the card links to its page"
    for target, rel, href in links:
        assert (target, rel) == ("_blank", "noopener")
        assert "/nhung/" not in href, "to the full page"
    # axe runs inside the card itself (the frame's own document), as a screen reader would read it.
    assert not (found := axe_violations(card, axe_source)), describe(found)  # type: ignore[arg-type]
