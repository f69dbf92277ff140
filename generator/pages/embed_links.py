"""The address a card is embedded from (generator/pages/embeds.py writes the cards), for the snippet on pages."""

from __future__ import annotations

import os

from generator.content.site import embed_url

HEIGHTS = {"task": 300, "plan": 340, "agency": 300}
"""The iframe height, in CSS pixels, that shows each kind of card whole at 320–400 px wide."""


def embed_src(url: str, lang: str) -> str:
    """The absolute address of the card of the page at site-relative `url` when SITE_URL is set (the
    address an embedding site needs); else its path from the site's root, to be prefixed with its host."""
    path = ("en/" if lang == "en" else "") + embed_url(url)
    public = os.environ.get("SITE_URL")  # as publication.site_url(); read here: pages come before publishing
    return f"{public.rstrip('/')}/{path}" if public else f"/{path}"
