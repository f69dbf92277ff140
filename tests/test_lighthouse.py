"""Lighthouse gate (mobile profile) on the home page, a task page and the finder with results: what does not
depend on the machine's speed. Accessibility, best practices and SEO score 100; the resources that block
rendering are the theme's own; requests and bytes on the wire stay within budget.

The performance score (and its timings: total blocking time, LCP) depends on how busy the CPU is: 98–100
on an idle machine, 88–90 with other work on both cores. It is measured by scripts/lighthouse.py and
recorded in scripts/BENCHMARKS.md, not asserted here, so that a busy CI runner never blocks a deploy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT
from .lighthouse import PAGES, Report, lighthouse, published
from .test_links import check_site

pytestmark = [pytest.mark.browser, pytest.mark.tools]

MINIMUM = {"accessibility": 100, "best-practices": 100, "seo": 100}
# What may block rendering (as Chromium marks it, file names without their content hash): Material's
# stylesheets and bundle, our stylesheet, and on the finder its stylesheet and script. A font, a second script or a
# stylesheet that any page adds would be listed here first, on purpose.
RENDER_BLOCKING = {
    "home": ["/assets/javascripts/bundle.js", "/assets/site.css", "/assets/stylesheets/main.css",
             "/assets/stylesheets/palette.css"],
    "task": ["/assets/javascripts/bundle.js", "/assets/site.css", "/assets/stylesheets/main.css",
             "/assets/stylesheets/palette.css"],
    "finder": ["/assets/finder.css", "/assets/finder.js", "/assets/javascripts/bundle.js", "/assets/site.css",
               "/assets/stylesheets/main.css", "/assets/stylesheets/palette.css"],
}  # fmt: skip
# Budgets on the wire (gzip-compressed, as served), measured in December 2026 plus about 10% headroom:
# requests, JavaScript bytes, all bytes. The finder's depend on the query's index chunks.
BUDGET = {
    "home": {"requests": 10, "script": 40_000, "total": 80_000},
    "task": {"requests": 8, "script": 40_000, "total": 80_000},
    "finder": {"requests": 32, "script": 57_000, "total": 250_000},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    out = tmp_path_factory.mktemp("published") / "site"
    with published(ROOT, out) as url:
        yield out, url


@pytest.fixture(scope="module")
def reports(site: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Report]:
    """One Lighthouse run per page; the figures are printed (pytest -s)."""
    folder = tmp_path_factory.mktemp("lighthouse")
    result = {kind: lighthouse(site[1] + path, folder / f"{kind}.json") for kind, path in PAGES.items()}
    for kind, report in result.items():
        scores = ", ".join(f"{name} {score}" for name, score in report.scores().items())
        print(f"\nlighthouse {kind}: {scores}; {len(report.requests())} requests, {report.transferred():,} bytes")
    return result


def unhashed(url: str, base: str) -> str:
    """A URL's path on the site without Material's content hash: bundle.a5f9d56c.min.js → bundle.js."""
    return re.sub(r"\.[0-9a-f]{8}\.min\.", ".", url.removeprefix(base))


@pytest.mark.parametrize("kind", list(PAGES))
def test_lighthouse_scores(reports: dict[str, Report], kind: str) -> None:
    scores = reports[kind].scores()
    low = {name: scores[name] for name, minimum in MINIMUM.items() if scores[name] < minimum}
    assert not low, f"{low}\n" + "\n".join(reports[kind].failing())


@pytest.mark.parametrize("kind", list(PAGES))
def test_only_the_theme_blocks_rendering(reports: dict[str, Report], site: tuple[Path, str], kind: str) -> None:
    blocking = {unhashed(url, site[1]) for url in reports[kind].render_blocking()}
    # The stylesheets in <head> always block; whether Chromium counts the scripts at the end of <body> depends
    # on whether it painted before requesting them (the CPU's speed): they are allowed, not required.
    assert blocking <= set(RENDER_BLOCKING[kind]), sorted(blocking - set(RENDER_BLOCKING[kind]))
    assert {name for name in RENDER_BLOCKING[kind] if name.endswith(".css")} <= blocking


@pytest.mark.parametrize("kind", list(PAGES))
def test_requests_and_bytes_on_the_wire_within_budget(reports: dict[str, Report], kind: str) -> None:
    report, budget = reports[kind], BUDGET[kind]
    measured = {
        "requests": len(report.requests()),
        "script": report.transferred("Script"),
        "total": report.transferred(),
    }
    over = {name: value for name, value in measured.items() if value > budget[name]}
    listing = "\n".join(f"  {item.get('transferSize', 0):>8,} {item['url']}" for item in report.requests())
    assert not over, f"over budget {over} (budget {budget}):\n{listing}"


def test_absolute_links_of_the_published_site_resolve(site: tuple[Path, str]) -> None:
    """With SITE_URL, canonical and hreflang links are absolute: they too must reach existing pages."""
    folder, url = site
    report = check_site(folder, origin=url + "/")
    assert report.internal > 0
    assert report.broken == []
    assert not [link for link in report.external if link.startswith(url)]
