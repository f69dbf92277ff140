"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright (no browser download)."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Flags from the field notes: without the background-networking ones Chromium floods the closed network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]  # fmt: skip


def chromium_path() -> str:
    """The system Chromium (Debian package), or CHROME_PATH."""
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv"}


class _GzipHandler(_QuietHandler):
    """Text files gzip-compressed when the browser accepts it, as static hosts such as GitHub Pages serve them."""

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_site(folder: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1 for the duration of the block; yield its base URL."""
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# Playwright waits 30 s for a page, a selector or a search by default. A CI runner whose two cores are shared
# with other jobs can be several times slower than a quiet machine: a test waits for what it expects (never
# for a fixed time), and as long as that may take there, so that only a real failure fails.
PATIENCE_MS = 180_000


def _be_patient(browser: Browser) -> None:
    """Give every context and page that `browser` opens the long default timeout."""
    new_context, new_page = browser.new_context, browser.new_page

    def patient_context(**options: Any) -> BrowserContext:
        context = new_context(**options)
        context.set_default_timeout(PATIENCE_MS)
        return context

    def patient_page(**options: Any) -> Page:
        page = new_page(**options)
        page.set_default_timeout(PATIENCE_MS)
        return page

    browser.new_context = patient_context  # type: ignore[method-assign]
    browser.new_page = patient_page  # type: ignore[method-assign]


@contextlib.contextmanager
def launch() -> Iterator[Browser]:
    """Start headless Chromium for the duration of the block."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, timeout=PATIENCE_MS)
        _be_patient(browser)
        try:
            yield browser
        finally:
            browser.close()
