"""The renderer's hook file (named in the configuration generator/publish/renderer.py writes): a build's
pages come from one file (`on_files`), hand-written pages are sanitised, generated pages' raw HTML
passes the Markdown converter untouched (generator/publish/raw_blocks.py), the theme's templates are
compiled once, not in every run (`on_env`), and the site's description is the run's language's
(`on_config`).

A refused tag or attribute stops the run with an error, so the site is not replaced; `check` reports
the same refusals with their lines first. The renderer loads this file by its path, hence the
absolute imports; it names no renderer module (the error type comes from generator.publish.renderer).
"""

from __future__ import annotations

from typing import Any

from generator.base.template_cache import attach
from generator.content.handwritten import HAND_WRITTEN, refused, sanitise
from generator.publish.raw_blocks import Lifted
from generator.publish.renderer import add_pages, refusal

_lifted: dict[str, Lifted] = {}  # by page, between its two hooks


def on_config(config: Any) -> Any:
    """The site's description in this run's language: mkdocs.yml's `site_description` is Vietnamese, and the
    theme writes it into `<meta name="description">` of every page without its own, English pages included.
    The generator gives each language's in `extra.description` (generator/publish/build.py), which the
    link-preview tags use too (theme/main.html)."""
    description = config["extra"].get("description")
    if description:
        config["site_description"] = description
    return config


def on_files(files: Any, config: Any) -> Any:
    """The build's pages come in one file, not a folder of them (generator/publish/renderer.py, `write_pages`)."""
    return add_pages(files, config)


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Keep the theme's compiled templates (Material's and theme/'s) between runs, as the generator keeps its
    own (generator/base/template_cache.py): the renderer compiles them before it renders any page, in each
    language's run. The renderer calls this before it loads any template."""
    attach(env)
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """A generated page's raw HTML blocks lifted out of its Markdown, for `on_page_content` to put back; a
    hand-written page's stay, for the converter to read and the sanitiser to check."""
    if page.file.src_uri in config["extra"].get(HAND_WRITTEN, {}):
        return markdown
    lifted = _lifted[page.file.src_uri] = Lifted()
    return lifted.lift(markdown)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Put a generated page's raw HTML blocks back; sanitise the HTML of a hand-written page before the theme
    wraps it, refusing unsafe markup."""
    source = config["extra"].get(HAND_WRITTEN, {}).get(page.file.src_uri)
    if source is None:
        return _lifted.pop(page.file.src_uri).restore(html)
    refusals = [f"{source}: {message}" for message, _ in refused(html)]
    if refusals:
        raise refusal("\n".join([*refusals, "(`python -m generator check` gives each line)"]))
    return sanitise(html)
