"""Interface wording of the site in Vietnamese and English, read from generator/content/wording/<lang>.yaml.

The wording lives in YAML so that translators and city staff edit it as they edit content/: one file
per language, read with content/'s own rules (every value is the text typed). A mistake in a file
(a syntax error, a key missing from one language, a placeholder such as {n} that the other language
lacks, an empty text) is a problem that `check` and `build` report with its line, like content's.
"""

from __future__ import annotations

from pathlib import Path
from string import Formatter
from typing import Any

from generator.base.errors import Problem
from generator.content.load import load_yaml

LANGUAGES = ("vi", "en")  # the first is the site's own language, and the reference of the others
ROOT = Path(__file__).resolve().parent.parent.parent
# Every word the code fills in, whatever the message: a name outside these, such as a translated
# {ngày}, would stop the build with a KeyError rather than with a problem on its line.
PLACEHOLDERS = frozenset(
    {
        "agency",
        "date",
        "decision",
        "end",
        "file",
        "max",
        "month",
        "n",
        "number",
        "original",
        "period",
        "quarter",
        "sha",
        "start",
        "subject",
        "value",
        "year",
    }
)
FOLDER = Path(__file__).with_name("wording")


def read_wording(folder: Path = FOLDER, root: Path = ROOT) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Every language's wording, `{lang: {section: …}}`, and the problems found in the files.

    A file that cannot be read gives `{}` for its language; the problems say why.
    """
    problems: list[Problem] = []
    wording: dict[str, dict[str, Any]] = {}
    docs = {}
    for lang in LANGUAGES:
        file = folder / f"{lang}.yaml"
        if not file.is_file():
            problems.append(Problem(_relative(file, root), 1, 1, "", "the wording file is missing"))
            continue
        doc = load_yaml(file, root, problems)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.path, 1, 1, "", "the wording file must be a mapping of sections"))
            continue
        docs[lang] = doc
        wording[lang] = doc.data
    reference = LANGUAGES[0]
    for lang, doc in docs.items():
        _check_texts(doc.data, (), doc, problems)
        if lang != reference and reference in docs:
            _compare(docs[reference].data, doc.data, (), docs[reference], doc, problems)
    return {lang: wording.get(lang, {}) for lang in LANGUAGES}, problems


def _relative(file: Path, root: Path) -> str:
    return file.relative_to(root).as_posix() if file.is_relative_to(root) else file.as_posix()


def _name(where: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in where)


def _check_texts(node: Any, where: tuple[str | int, ...], doc: Any, problems: list[Problem]) -> None:
    """Every leaf is a text that is not blank and whose {placeholders} are well formed."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_texts(value, (*where, key), doc, problems)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_texts(value, (*where, i), doc, problems)
    elif not isinstance(node, str) or not node.strip():
        line, column = doc.locate(where)
        problems.append(Problem(doc.path, line, column, _name(where), "give a text: the site shows it"))
    elif (names := placeholders(node)) is not None and names - PLACEHOLDERS:
        line, column = doc.locate(where)
        unknown = ", ".join("{" + name + "}" for name in sorted(names - PLACEHOLDERS))
        problems.append(
            Problem(
                doc.path,
                line,
                column,
                _name(where),
                f"the site fills in no {unknown}",
                "keep the words in braces as they are in the other language",
            )
        )
    elif names is None:
        line, column = doc.locate(where)
        problems.append(
            Problem(
                doc.path,
                line,
                column,
                _name(where),
                f"unbalanced braces in '{node}'",
                "braces mark a word the site fills in, such as {n}; write it exactly as in the other language",
            )
        )


def _compare(
    ref: Any, other: Any, where: tuple[str | int, ...], ref_doc: Any, doc: Any, problems: list[Problem]
) -> None:
    """`other` has exactly the keys of `ref`, lists of the same length, and the same placeholders."""
    if isinstance(ref, dict) and isinstance(other, dict):
        for key in ref:
            if key not in other:
                line, column = doc.locate(where, key=True)
                message = f"'{key}' is missing: {Path(ref_doc.path).name} has it"
                problems.append(Problem(doc.path, line, column, _name(where), message, "add it, translated"))
        for key in other:
            if key not in ref:
                line, column = doc.locate((*where, key), key=True)
                message = f"'{key}' is not in {Path(ref_doc.path).name}"
                problems.append(
                    Problem(doc.path, line, column, _name(where), message, "add it there too, or delete it")
                )
            else:
                _compare(ref[key], other[key], (*where, key), ref_doc, doc, problems)
    elif isinstance(ref, list) and isinstance(other, list):
        if len(ref) != len(other):
            line, column = doc.locate(where)
            message = f"{len(other)} texts where {Path(ref_doc.path).name} has {len(ref)}"
            problems.append(Problem(doc.path, line, column, _name(where), message))
        for i, (a, b) in enumerate(zip(ref, other, strict=False)):
            _compare(a, b, (*where, i), ref_doc, doc, problems)
    elif isinstance(ref, str) and isinstance(other, str):
        mine, theirs = placeholders(other), placeholders(ref)
        if mine is not None and theirs is not None and mine != theirs:
            line, column = doc.locate(where)
            listed = ", ".join("{" + name + "}" for name in sorted(theirs)) or "none"
            message = f"placeholders differ from {Path(ref_doc.path).name}'s: {listed}"
            problems.append(
                Problem(doc.path, line, column, _name(where), message, "keep the words in braces as they are")
            )
    elif isinstance(ref, dict | list) or isinstance(other, dict | list):
        line, column = doc.locate(where)
        message = f"not the same kind of value as in {Path(ref_doc.path).name}"
        problems.append(Problem(doc.path, line, column, _name(where), message))


def placeholders(text: str) -> frozenset[str] | None:
    """The names in braces that `str.format` fills in ({n}, {date}); None when the braces do not pair."""
    try:
        return frozenset(name for _, name, _, _ in Formatter().parse(text) if name is not None)
    except ValueError:
        return None


WORDING, PROBLEMS = read_wording()
"""Problems in the wording files: `validate.load_content` reports them, so `check` and `build` stop."""


def section(name: str) -> dict[str, Any]:
    """One section of every language's wording, `{lang: {key: text}}` (empty when a file is unreadable)."""
    return {lang: WORDING[lang].get(name, {}) for lang in LANGUAGES}


LABELS: dict[str, dict[str, str]] = section("labels")
KIND_NAMES: dict[str, dict[str, str]] = section("kinds")
# Words the finder's script shows: facet names, value names, counts (see theme/assets/finder.js).
FINDER: dict[str, dict[str, Any]] = section("finder")
MONTHS_EN: tuple[str, ...] = tuple(WORDING["en"].get("months", ()))

# A task's status for a period (generator.content.progress.STATUSES), as the task page, the history and the finder name it.
STATUS_NAMES: dict[str, dict[str, str]] = {
    lang: {
        s: FINDER[lang].get("values", {}).get(s, s)
        for s in ("not_started", "in_progress", "completed", "suspended", "dropped", "cancelled", "not_reported")
    }
    for lang in LANGUAGES
}
