"""Split a printed agency cell into bodies and resolve each against the city's registry.

Matching is on word tokens, case- and diacritic-insensitive, with the common abbreviations folded to one
form (Ủy ban nhân dân = UBND, thành phố = TP …), punctuation and "các" ignored inside a name, and the
longest registry spelling winning: "UBND các quận, huyện, phường, xã" is UBND quận huyện + phường xã.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from generator.base.slug import fold, slugify

# Long forms folded to the abbreviation printed elsewhere (token sequences, already folded).
ABBREVIATIONS: dict[tuple[str, ...], str] = {
    ("uy", "ban", "nhan", "dan"): "ubnd",
    ("hoi", "dong", "nhan", "dan"): "hdnd",
    ("dai", "bieu", "quoc", "hoi"): "dbqh",
    ("thanh", "pho"): "tp",
    ("ban", "quan", "ly"): "bql",
    ("khu", "cong", "nghiep"): "kcn",
    ("cong", "nghe", "cao"): "cnc",
    ("thong", "tin", "va", "truyen", "thong"): "tt&tt",
    ("thong", "tin", "dien", "tu"): "ttdt",
    ("trung", "uong"): "tw",
    ("phat", "thanh", "va", "truyen", "hinh"): "pt-th",
    ("phat", "thanh", "-", "truyen", "hinh"): "pt-th",
}
_PUNCT = {",", ";", ".", ":", "-", "(", ")", "/"}
_SEPARATORS = {",", ";", "va", "."}
# First words of a body's name, where an unknown name printed right after another one begins.
_HEADS = {"so", "trung", "ban", "bql", "van", "vien", "dai", "cuc", "bo", "ubnd", "bao", "cong", "buu", "thanh", "chi"}
_TOKEN = re.compile(r"tt&tt|pt-th|[^\W_]+|[,;.:()/-]")


@dataclass(frozen=True)
class Token:
    norm: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Folded tokens of `text` with their character spans; long forms folded to abbreviations."""
    folded = fold(text).lower()
    raw = [Token(m[0], m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        for long, short in ABBREVIATIONS.items():
            n = len(long)
            if tuple(t.norm for t in raw[i : i + n]) == long:
                out.append(Token(short, raw[i].start, raw[i + n - 1].end))
                i += n
                break
        else:
            out.append(raw[i])
            i += 1
    return out


def _words(toks: list[Token]) -> tuple[str, ...]:
    """The words that identify a name: no punctuation, no "các"."""
    return tuple(t.norm for t in toks if t.norm not in _PUNCT and t.norm != "cac")


def _aliases(agency: dict[str, Any]) -> list[str]:
    """The agency's aliases; a flow list `[Các sở, UBND các quận, huyện thí điểm]` that YAML cut at its
    commas into fragments of the name is taken back as the one spelling it was meant to be."""
    aliases = [str(a) for a in agency.get("aliases") or []]
    if len(aliases) > 1 and _words(tokens(", ".join(aliases))) == _words(tokens(agency["name"]["vi"])):
        return [", ".join(aliases)]
    return aliases


@dataclass
class Match:
    ids: list[str]  # one id, or several when the spelling is ambiguous
    start: int
    end: int
    separated: bool  # a comma, semicolon or "và" stood before it (else a new value in a merged cell)
    exact: bool = True
    candidates: list[str] = field(default_factory=list)


@dataclass
class Resolved:
    printed: str
    agencies: list[str]
    matches: list[Match]
    unresolved: list[str]  # printed chunks no registry entry matched


class Registry:
    """The agencies of one city, indexed by every spelling (name, aliases, short forms)."""

    def __init__(self, city: dict[str, Any]) -> None:
        self.city = city
        self.agencies: dict[str, dict[str, Any]] = {a["id"]: a for a in city.get("agencies") or []}
        self.index: dict[tuple[str, ...], set[str]] = {}
        for agency in self.agencies.values():
            for spelling in [agency["name"]["vi"], *_aliases(agency), *(agency.get("short") or [])]:
                words = _words(tokens(str(spelling)))
                if words:
                    self.index.setdefault(words, set()).add(agency["id"])
        self.longest = max((len(k) for k in self.index), default=0)
        self.keys = {" ".join(k): k for k in self.index}

    def add(self, agency_id: str, name: str) -> None:
        """Register a proposed agency, so its later mentions resolve to it."""
        words = _words(tokens(name))
        self.index.setdefault(words, set()).add(agency_id)
        self.keys[" ".join(words)] = words
        self.longest = max(self.longest, len(words))

    def _match_at(self, toks: list[Token], i: int) -> tuple[int, set[str]] | None:
        """Longest registry spelling starting at token i: (tokens consumed, ids)."""
        best: tuple[int, set[str]] | None = None
        words: list[str] = []
        j = i
        while j < len(toks) and len(words) < self.longest:
            if toks[j].norm not in _PUNCT and toks[j].norm != "cac":
                words.append(toks[j].norm)
                ids = self.index.get(tuple(words))
                if ids:
                    best = (j + 1 - i, ids)
            elif toks[j].norm in (";",):
                break  # a semicolon always ends a body
            j += 1
        return best

    def fuzzy(self, chunk: str) -> list[str]:
        """Registry spellings close to an unmatched chunk, best first (ids)."""
        words = " ".join(_words(tokens(chunk)))
        close = difflib.get_close_matches(words, list(self.keys), n=3, cutoff=0.92)
        return [sorted(self.index[self.keys[c]])[0] for c in close]

    def resolve(self, printed: str) -> Resolved:
        toks = tokens(printed)
        matches: list[Match] = []
        unresolved: list[str] = []
        i = 0
        separated = True
        pending: list[Token] = []

        def flush() -> None:
            # Two unknown bodies printed side by side: a capitalised head word ("Sở", "Trung tâm") starts the next.
            cut = next(
                (k for k, t in enumerate(pending) if k and t.norm in _HEADS and printed[t.start].isupper()), None
            )
            if cut is not None:
                rest = pending[cut:]
                del pending[cut:]
                flush()
                pending.extend(rest)
            words = [t for t in pending if t.norm not in _PUNCT]
            if words:
                chunk = printed[pending[0].start : pending[-1].end].strip(" ,;.")
                candidates = self.fuzzy(chunk)
                if candidates:
                    matches.append(Match([candidates[0]], pending[0].start, pending[-1].end, True, False, candidates))
                else:
                    unresolved.append(chunk)
            pending.clear()

        while i < len(toks):
            tok = toks[i]
            if tok.norm in _SEPARATORS or (tok.norm == "cac" and not pending):
                if tok.norm in _SEPARATORS:
                    flush()
                    separated = True
                i += 1
                continue
            found = None if pending else self._match_at(toks, i)
            if found:
                n, ids = found
                matches.append(Match(sorted(ids), tok.start, toks[i + n - 1].end, separated))
                separated = False
                i += n
                continue
            pending.append(tok)
            i += 1
        flush()
        agencies: list[str] = []
        for m in matches:
            if m.ids[0] not in agencies:
                agencies.append(m.ids[0])
        return Resolved(printed, agencies, matches, unresolved)

    def values(self, printed: str) -> list[str]:
        """Split a merged cell into its values: a new value starts where two names meet without a separator."""
        resolved = self.resolve(printed)
        if resolved.unresolved or not resolved.matches:
            return [printed]
        bounds = [0]
        for before, m in zip(resolved.matches, resolved.matches[1:], strict=False):
            if not m.separated:
                bounds.append(before.end)
        bounds.append(len(printed))
        return [printed[a:b].strip() for a, b in itertools.pairwise(bounds)]


_KINDS = [
    (r"^(cac )?so\b|^thanh tra", "department"),
    (r"^van phong", "office"),
    (r"^ubnd (cac )?(quan|huyen)\b.*,|^ubnd cac|^cac\b|^(sở|so), ban", "group"),
    (r"^ubnd (quan|huyen|thi xa)\b", "district"),
    (r"^ubnd (phuong|xa|thi tran)\b", "commune"),
    (r"^ubnd|^chu tich", "people_committee"),
    (r"^(bo|cuc|tong cuc|kho bac|ngan hang nha nuoc|bao hiem xa hoi)\b", "central_body"),
    (r"^(bao|tap chi)\b", "press"),
    (r"^(buu dien|cong ty|tong cong ty)\b", "enterprise"),
    (r"^(mat tran|doan|hoi|lien doan)\b", "mass_organisation"),
]


def guess_kind(name: str) -> str:
    """A first guess at an unknown body's kind from its opening words; the review report asks to check it."""
    words = " ".join(t.norm for t in tokens(name) if t.norm not in _PUNCT)
    for pattern, kind in _KINDS:
        if re.search(pattern, words):
            return kind
    return "city_unit"


def proposal(name: str, taken: set[str]) -> dict[str, Any]:
    """A registry entry for an unknown body (id by the slug rule, leading "các" dropped)."""
    base = slugify(re.sub(r"^\s*các\s+", "", name, flags=re.IGNORECASE)) or "co-quan"
    agency_id, n = base, 2
    while agency_id in taken:
        agency_id, n = f"{base}-{n}", n + 1
    return {"id": agency_id, "name": {"vi": name[:1].upper() + name[1:]}, "aliases": [name], "kind": guess_kind(name)}


@dataclass
class Uncertain:
    where: str
    printed: str
    chosen: str
    candidates: list[str]


class AgencyBook:
    """Resolves every agency cell of one import and keeps what the review report lists."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.proposed: list[dict[str, Any]] = []
        self.uncertain: list[Uncertain] = []
        self.resolved_bodies = 0

    def resolve(self, printed: str, where: str) -> list[str]:
        result = self.registry.resolve(printed)
        if result.unresolved:
            taken = set(self.registry.agencies) | {p["id"] for p in self.proposed}
            for chunk in result.unresolved:
                entry = proposal(chunk, taken)
                taken.add(entry["id"])
                self.proposed.append(entry)
                self.registry.add(entry["id"], chunk)
            result = self.registry.resolve(printed)
        for m in result.matches:
            if not m.exact or len(m.ids) > 1:
                self.uncertain.append(Uncertain(where, printed[m.start : m.end], m.ids[0], m.candidates or m.ids))
            else:
                self.resolved_bodies += 1
        return result.agencies
