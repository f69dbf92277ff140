"""Structured data for search engines and data portals: schema.org JSON-LD, one block per page that
has something to say (the data page's `Dataset`, an agency's `GovernmentOrganization`, the trail of
pages above a page as `BreadcrumbList`).

The block goes into the page's front matter and the theme prints it inside a `<script>` element, so
the JSON is made safe for that place here: `<`, `>` and `&` (and the two line separators JavaScript
once refused) are written as \\u escapes, which JSON reads as the same characters, so no text, say a
task saying `</script>`, can end the element.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

CONTEXT = "https://schema.org"
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """`value` as compact JSON that can stand between `<script>` and `</script>` as it is."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_UNSAFE.get(char, char) for char in text)


def graph(*nodes: dict[str, Any] | None) -> str:
    """One JSON-LD block holding the nodes given (None: left out), ready for the front matter; "" when none."""
    present = [node for node in nodes if node]
    if not present:
        return ""
    if len(present) == 1:
        return script_json({"@context": CONTEXT, **present[0]})
    return script_json({"@context": CONTEXT, "@graph": present})


def breadcrumbs(trail: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The pages above this one and this one, as (name, address); the last one's address may be ""."""
    items = []
    for position, (name, url) in enumerate(trail, 1):
        item: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        if url:
            item["item"] = url
        items.append(item)
    return {"@type": "BreadcrumbList", "itemListElement": items}


def organization(name_vi: str, name_en: str | None, city: str, url: str) -> dict[str, Any]:
    """A public body of a city."""
    node: dict[str, Any] = {"@type": "GovernmentOrganization", "name": name_vi, "url": url}
    if name_en:
        node["alternateName"] = name_en
    node["areaServed"] = {"@type": "City", "name": city}
    return node


def dataset(
    *,
    name: str,
    description: str,
    url: str,
    publisher: tuple[str, str],
    years: Sequence[int],
    places: Sequence[str],
    files: Sequence[tuple[str, str]],
    language: str,
    licence: tuple[str, str],
) -> dict[str, Any]:
    """The open data as a schema.org `Dataset`: one `DataDownload` per file (name, address), CSV or JSON.

    `licence`: the terms the data page states, (in words, address of the page that says so). The site
    names no licence of its own: the texts are free of copyright by law, which is what it says."""
    node: dict[str, Any] = {
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": language,
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": publisher[0], "url": publisher[1]},
    }
    if years:
        first, last = min(years), max(years)
        node["temporalCoverage"] = str(first) if first == last else f"{first}/{last}"
    if places:
        node["spatialCoverage"] = [{"@type": "Place", "name": place} for place in places]
    node["license"] = {"@type": "CreativeWork", "name": licence[0], "url": licence[1]}
    node["distribution"] = [
        {
            "@type": "DataDownload",
            "name": name_,
            "encodingFormat": "text/csv" if name_.endswith(".csv") else "application/json",
            "contentUrl": address,
        }
        for name_, address in files
    ]
    return node
