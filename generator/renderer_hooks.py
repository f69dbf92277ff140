"""MkDocs hook (named in the config that generator/build.py writes): hand-written pages are sanitised.

A refused tag or attribute stops the MkDocs run (an error, which `--quiet` cannot silence, unlike a
warning), so the site is not replaced; `check` reports the same refusals with their lines first.
MkDocs loads this file by its path, hence the absolute import.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError

from generator.pages import HAND_WRITTEN, refused, sanitise


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Sanitise the HTML of a hand-written page before the theme wraps it; refuse unsafe markup."""
    source = config["extra"].get(HAND_WRITTEN, {}).get(page.file.src_uri)
    if source is None:
        return html
    refusals = [f"{source}: {message}" for message, _ in refused(html)]
    if refusals:
        raise PluginError("\n".join([*refusals, "(`python -m generator check` gives each line)"]))
    return sanitise(html)
