"""Shared by the quality gates: where their Node tools are (installed by `make tools`) and which pages they visit."""

from __future__ import annotations

from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent / "tools" / "node_modules"

# One page of each kind, by its path under a language root (identical in both languages). The finder is
# opened with a query so that its results are on the page too.
GATE_PAGES = {
    "home": "",
    "plan": "ke-hoach/da-nang-2021/",
    "pillar": "linh-vuc/thu-tuc-hanh-chinh/",
    "agency": "co-quan/hai-phong/so-noi-vu/",
    "task": "ke-hoach/da-nang-2021/3-d/",
    "deadlines": "thoi-han/",
    "finder": "tra-cuu/?q=dat%20dai",
    "procedure": "quy-trinh/giay-phep-xay-dung-nha-o-rieng-le/",
    "data": "du-lieu/",
    "whats-new": "thay-doi/",
    "guide": "huong-dan/",
    "progress": "ke-hoach/hai-phong-2021/tien-do/",
    "amendments": "ke-hoach/hai-phong-2021/dieu-chinh/",
}
LANGUAGE_ROOTS = {"vi": "/", "en": "/en/"}
FINDER_RESULT = "#finder-list li.finder-result"


def tool(relative: str) -> Path:
    """A file of the installed Node tools; the test fails (not skips) with a hint when they are missing."""
    path = TOOLS / relative
    if not path.exists():
        pytest.fail(f"{path} is missing\n  hint: run `make tools` (npm ci in tests/tools, Java from Debian)")
    return path
