"""The renderer's hook file (named in the configuration generator/publish/renderer.py writes): hand-written
pages are sanitised, and the theme's templates are compiled once, not in every run (`on_env`).

A refused tag or attribute stops the run with an error, so the site is not replaced; `check` reports
the same refusals with their lines first. The renderer loads this file by its path, hence the
absolute imports; it names no renderer module (the error type comes from generator.publish.renderer).
"""

from __future__ import annotations

from typing import Any

from generator.base.template_cache import attach
from generator.content.handwritten import HAND_WRITTEN, refused, sanitise
from generator.publish.renderer import refusal


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates (Material's and theme/'s) between runs, as the generator keeps its
    own (generator/base/template_cache.py): the renderer compiles them before it renders any page, in each
    language's run. The renderer calls this before it loads any template."""
    attach(env)
    return env


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Sanitise the HTML of a hand-written page before the theme wraps it; refuse unsafe markup."""
    source = config["extra"].get(HAND_WRITTEN, {}).get(page.file.src_uri)
    if source is None:
        return html
    refusals = [f"{source}: {message}" for message, _ in refused(html)]
    if refusals:
        raise refusal("\n".join([*refusals, "(`python -m generator check` gives each line)"]))
    return sanitise(html)
