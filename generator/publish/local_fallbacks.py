"""Take the third-party fallback loads out of Material's JavaScript bundle, so no page can ever fetch from unpkg.com.

Material's bundle loads two scripts from unpkg.com when a browser needs them: a ResizeObserver polyfill
(browsers before 2020, e.g. an old phone's WebView) and Mermaid (pages with a `.mermaid` block, which
this site never writes: its diagrams are drawn by the generator). Both go through one helper that adds
a `<script src=…>` to the page. Each URL is replaced here by a `data:` URL holding the script itself,
so the helper's "load" still fires and nothing leaves the browser:

- the ResizeObserver fallback becomes a small shim (below) that reports an element's size on observe
  and on every window resize, which is what Material's header, sidebar and tabs need;
- the Mermaid fallback becomes an empty script, so a stray `.mermaid` block stays unrendered text.

Rewriting the shipped file, rather than adding a shim in front of it, leaves no path at all to another
host, whatever the browser lacks; and if a Material upgrade changes the URLs, `patch_bundles` fails the
build instead of shipping a new one (tests/test_third_party.py checks every shipped file besides).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

# A ResizeObserver with the part Material uses: observe / unobserve / disconnect, callbacks with
# entries that carry the `target` (Material reads the element's own size from it).
RESIZE_OBSERVER_SHIM = (
    "window.ResizeObserver=window.ResizeObserver||function(c){var o=this,t=[];"
    "function f(){if(t.length)c(t.map(function(e){return{target:e,contentRect:e.getBoundingClientRect()}}),o)}"
    "this.observe=function(e){if(t.indexOf(e)<0)t.push(e);setTimeout(f,0)};"
    "this.unobserve=function(e){t=t.filter(function(x){return x!==e})};"
    "this.disconnect=function(){t=[]};window.addEventListener('resize',f)};"
)


def _data_url(script: str) -> str:
    """The script as a `data:` URL, its text as it is (base64 would add a third to every page's bundle):
    only what a URL or the bundle's "…" string cannot hold is percent-encoded (%, #, ", \\)."""
    return "data:text/javascript," + quote(script, safe=" !$&'()*+,-./:;<=>?@[]^_`{|}~")


# The exact string literals in Material 9.8's bundle, and what each becomes.
REPLACEMENTS = {
    '"https://unpkg.com/resize-observer-polyfill"': f'"{_data_url(RESIZE_OBSERVER_SHIM)}"',
    '"https://unpkg.com/mermaid@11/dist/mermaid.min.js"': f'"{_data_url("")}"',  # no Mermaid on this site
}
THIRD_PARTY_MARK = "unpkg.com"


class BundleError(Exception):
    """Material's bundle is not as this module expects (e.g. after an upgrade)."""


def patch_bundle(text: str, name: str) -> str:
    """`text` (a Material bundle) with each known unpkg URL replaced; refuses one it does not know."""
    for old, new in REPLACEMENTS.items():
        if old not in text:
            raise BundleError(f"{name}: Material's fallback {old} not found; check the new bundle's third-party loads")
        text = text.replace(old, new)
    if THIRD_PARTY_MARK in text:
        raise BundleError(f"{name}: still refers to {THIRD_PARTY_MARK} after the known fallbacks were replaced")
    return text


BUNDLES = "**/assets/javascripts/bundle.*.min.js"  # Material's bundle, in each language's assets


def patch_bundles(site: Path) -> list[Path]:
    """Patch every Material bundle (`assets/javascripts/bundle.*.min.js`) under `site`, in place."""
    bundles = sorted(site.glob(BUNDLES))
    if not bundles:
        raise BundleError(f"{site}: no Material bundle (assets/javascripts/bundle.*.min.js) found")
    for path in bundles:
        path.write_text(patch_bundle(path.read_text(encoding="utf-8"), str(path)), encoding="utf-8")
    return bundles


def patch_fresh_bundles(outputs: list[Path]) -> None:
    """`patch_bundles` for a site the renderer updates in place (the live preview): only the bundles it
    has copied afresh since, which still name the third-party host, are patched. `outputs`: each run's
    output folder, whose own assets are looked at only (a search of the whole site walked 24,000 folders
    on every save at 10,000 tasks)."""
    own = BUNDLES.removeprefix("**/")
    for path in sorted(bundle for output in outputs for bundle in output.glob(own)):
        text = path.read_text(encoding="utf-8")
        if THIRD_PARTY_MARK in text:
            path.write_text(patch_bundle(text, str(path)), encoding="utf-8")
