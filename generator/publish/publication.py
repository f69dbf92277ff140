"""The two settings a build takes from its environment: the moment the site is built as of, and its public address."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from generator.base.git import git


def build_time(root: Path) -> dt.datetime:
    """The moment the site is built 'as of': SOURCE_DATE_EPOCH when set, else the last commit, else now.

    Taking the last commit makes the same commit build byte-identical output on any day.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or (git(root, "log", "-1", "--format=%ct") or "").strip()
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)


def site_url() -> str | None:
    """The public address (SITE_URL), for absolute links in feeds and calendars; relative links without it."""
    return os.environ.get("SITE_URL") or None
