"""Run Lighthouse (mobile profile, Debian's Chromium) on a served site; shared by its gate and its benchmark.

The site is built with SITE_URL set to its own address, as CI builds the published site: search engines
(and Lighthouse's SEO audit) only accept absolute hreflang alternates. It is served gzip-compressed like
GitHub Pages serves it, because Lighthouse's simulated mobile network charges the bytes transferred."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.__main__ import main

from .browser import CHROMIUM_ARGS, chromium_path, serve_site
from .quality import tool

PAGES = {"home": "/", "task": "/ke-hoach/da-nang-2021/3-d/", "finder": "/tra-cuu/?q=dat%20dai"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Lighthouse launches Chromium itself: new headless mode (the old one lacks what some audits measure) and the
# same no-network flags as the browser tests.
FLAGS = " ".join(["--headless=new", *(flag for flag in CHROMIUM_ARGS if flag != "--headless")])
# Lighthouse gives up on a page that has not loaded in 45 s; a machine whose cores are all taken needs longer.
MAX_WAIT_MS = 180_000


@contextlib.contextmanager
def published(root: Path, out: Path) -> Iterator[str]:
    """Build the project at `root` into `out` as CI publishes it and serve it; yield the base URL."""
    with serve_site(out, compress=True) as url:
        previous = os.environ.get("SITE_URL")
        os.environ["SITE_URL"] = url + "/"
        try:
            if main(["--root", str(root), "build", "--site", str(out)]) != 0:
                raise RuntimeError(f"the build of {root} failed")
        finally:
            if previous is None:
                del os.environ["SITE_URL"]
            else:
                os.environ["SITE_URL"] = previous
        yield url


@dataclass(frozen=True)
class Report:
    """One Lighthouse run: the parsed JSON report."""

    data: dict[str, Any]

    def scores(self) -> dict[str, int]:
        """Each category's score out of 100."""
        return {name: round(100 * self.data["categories"][name]["score"]) for name in CATEGORIES}

    def audit(self, name: str) -> dict[str, Any]:
        audit: dict[str, Any] = self.data["audits"][name]
        return audit

    def metric(self, name: str) -> float:
        """A numeric audit value, e.g. 'total-blocking-time' in ms or 'total-byte-weight' in bytes."""
        return float(self.audit(name)["numericValue"])

    def requests(self) -> list[dict[str, Any]]:
        """Every request of the page load: URL, resource type, bytes transferred."""
        items: list[dict[str, Any]] = self.audit("network-requests")["details"]["items"]
        return items

    def render_blocking(self) -> list[str]:
        """URLs the browser marked render-blocking: a property of the page, whatever the CPU's speed."""
        details = self.audit("render-blocking-insight").get("details") or {}
        return sorted(item["url"] for item in details.get("items", []))

    def transferred(self, resource_type: str | None = None) -> int:
        """Bytes transferred on the wire (compressed), for one resource type ('Script') or all."""
        return sum(
            int(item.get("transferSize") or 0)
            for item in self.requests()
            if resource_type is None or item.get("resourceType") == resource_type
        )

    def failing(self) -> list[str]:
        """Each weighted audit that did not score full marks, by category, for a failure message."""
        lines = []
        for category in self.data["categories"].values():
            for ref in category["auditRefs"]:
                audit = self.audit(ref["id"])
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    lines.append(f"{category['id']}: {ref['id']} {audit['score']} {audit.get('displayValue', '')}")
        return lines


def lighthouse(url: str, report: Path) -> Report:
    """Run Lighthouse on `url`, writing its JSON to `report`; raise when it could not measure the page."""
    command = ["node", str(tool("lighthouse/cli/index.js")), url, "--quiet", "--output=json"]
    command += [f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}"]
    command += [f"--max-wait-for-load={MAX_WAIT_MS}"]
    environment = dict(os.environ, CHROME_PATH=chromium_path())
    run = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=900, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not measure {url}: {data['runtimeError']}")
    return Report(data)
