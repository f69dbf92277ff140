"""Read content YAML into plain Python data, remembering the line and column of every value."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml import events

from generator.base.errors import Problem

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]

# Limits on what one YAML file may expand to. The biggest real file (hai-phong-2021/tasks/appendix.yaml)
# has about 2,000 nodes and is 7 levels deep; a synthetic 500-task file (scripts/synthetic.py) about
# 15,000 nodes. Past these limits a file is refused at once, before it costs time or memory:
# - MAX_NODES counts every key, value, list and mapping, an alias counting as all it stands for, so an
#   alias bomb (`a: &a [x, x], b: &b [*a, *a], …`, billions of values from a few lines) stops early;
# - MAX_DEPTH bounds nesting: whatever walks the data recursively (Python, pydantic) stays far from its
#   own limits, and libyaml, whose cost grows with the square of the depth, is stopped after a few events.
MAX_NODES = 200_000
MAX_DEPTH = 50


class UnreadableYaml(Exception):
    """A YAML text that cannot be read: a syntax error or a refused construct, with its line and column."""

    def __init__(self, message: str, line: int = 1, column: int = 1, hint: str = "") -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint


class ContentTooLarge(UnreadableYaml):
    """A YAML text that nests deeper than MAX_DEPTH or expands (aliases included) beyond MAX_NODES."""


@dataclass
class Document:
    """One YAML file: its data and where each value (and each mapping key) stands in it."""

    path: str
    data: Any
    values: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)

    def locate(self, where: FieldPath, *, key: bool = False) -> Location:
        """Return the line and column of `where`, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        while where:
            if where in table:
                return table[where]
            if key and where in self.values:
                return self.values[where]
            where = where[:-1]
        return self.values.get((), (1, 1))


FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


STR_TAG = "tag:yaml.org,2002:str"
NULLS = {"", "~", "null", "Null", "NULL"}  # YAML's plain nulls: an empty value means "not given"
# Control characters other than tab and line feed (which block scalars hold): a carriage return,
# the C0 controls, DEL and the C1 controls. YAML refuses them raw but not escaped ("\x07").
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
COLLECTION_TAGS = {
    events.SequenceStartEvent: "tag:yaml.org,2002:seq",
    events.MappingStartEvent: "tag:yaml.org,2002:map",
}
_MISSING = object()  # a mapping waiting for its next key
_SKIP = object()  # the value of a refused key: composed (the parser needs it) but not kept


@dataclass
class _Anchored:
    value: Any
    size: int  # nodes it expands to
    height: int  # levels of lists and mappings it holds


@dataclass
class _Open:
    """A list or mapping being composed."""

    value: Any  # list or dict
    where: FieldPath | None  # None inside a refused key or value: nothing is recorded
    anchor: str | None
    start: int  # node count when it opened
    height: int = 0
    key: Any = _MISSING
    as_key: bool = False  # the collection is itself a mapping key


def _at(mark: Any) -> Location:
    return (mark.line + 1, mark.column + 1)


class _Composer:
    """Builds plain data from parser events, without recursion, within MAX_NODES and MAX_DEPTH.

    Aliases give the value of their anchor (shared, as PyYAML does); their size counts in full.
    """

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems
        self.anchors: dict[str, _Anchored] = {}
        self.open_anchors: set[str] = set()
        self.stack: list[_Open] = []
        self.nodes = 0
        self.root: Any = _MISSING

    def problem(self, mark: Any, where: FieldPath | None, message: str, hint: str = "") -> None:
        line, column = _at(mark)
        field = render_path(where or ())
        self.problems.append(Problem(self.doc.path, line, column, field, message, hint))

    def run(self, parser: Any) -> Any:
        documents = 0
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, events.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise UnreadableYaml(
                        "YAML syntax error: a file holds one document, found a second", *_at(event.start_mark)
                    )
            elif isinstance(event, events.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, events.AliasEvent):
                self.alias(event)
            elif isinstance(event, (events.SequenceStartEvent, events.MappingStartEvent)):
                self.start(event)
            elif isinstance(event, (events.SequenceEndEvent, events.MappingEndEvent)):
                done = self.stack.pop()
                self.close_anchor(done.anchor, done.value, done.start, done.height + 1)
                self.attach(done.value, done.height + 1, event.start_mark, as_key=done.as_key)
        return None if self.root is _MISSING else self.root

    def count(self, size: int, mark: Any) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise ContentTooLarge(
                f"the file expands to more than {MAX_NODES:,} values (aliases counted in full)",
                *_at(mark),
                hint="write the values out instead of repeating aliases (*name)",
            )

    def depth(self, height: int, mark: Any) -> None:
        if len(self.stack) + height > MAX_DEPTH:
            raise ContentTooLarge(f"lists and mappings nest more than {MAX_DEPTH} levels deep", *_at(mark))

    def child_where(self) -> FieldPath | None:
        """Where the node that starts now goes; None when it is recorded nowhere."""
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if parent.where is None or parent.as_key:
            return None
        if isinstance(parent.value, list):
            return (*parent.where, len(parent.value))
        if parent.key is _MISSING:
            return None  # a key: keys are recorded with their value's path
        if parent.key is _SKIP:
            return None
        return (*parent.where, parent.key)

    def is_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is _MISSING

    def start(self, event: Any) -> None:
        self.count(1, event.start_mark)
        self.depth(1, event.start_mark)
        where = self.child_where()
        if where is not None:
            self.doc.values[where] = _at(event.start_mark)
        if event.tag not in (None, "!", COLLECTION_TAGS[type(event)]):
            message = f"the tag {_short_tag(event.tag)} is not supported"
            self.problem(event.start_mark, where, message, "remove it: write a plain list or mapping")
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        value: Any = {} if isinstance(event, events.MappingStartEvent) else []
        opened = _Open(value, where, event.anchor, self.nodes - 1, as_key=self.is_key())
        if opened.as_key:
            opened.where = None
        self.stack.append(opened)

    def scalar(self, event: Any) -> None:
        self.count(1, event.start_mark)
        as_key = self.is_key()
        where = self.child_where()
        if where is not None:
            self.doc.values[where] = _at(event.start_mark)
        value = self.construct(event, self.stack[-1].where if as_key else where)
        self.close_anchor(event.anchor, value, self.nodes - 1, 0)
        if as_key and value == "<<" and event.implicit[0]:
            # YAML 1.1's merge key, which most editors and parsers read differently.
            self.problem(
                event.start_mark, self.stack[-1].where, "merge keys (<<) are not supported: write the keys out"
            )
            self.stack[-1].key = _SKIP
            return
        self.attach(value, 0, event.start_mark, as_key=as_key)

    def alias(self, event: Any) -> None:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            inside = event.anchor in self.open_anchors
            message = f"alias '*{event.anchor}' " + ("refers to a value it is part of" if inside else "has no anchor")
            raise UnreadableYaml(message, *_at(event.start_mark))
        self.count(anchored.size, event.start_mark)
        self.depth(anchored.height, event.start_mark)
        as_key = self.is_key()
        where = self.child_where()
        if where is not None:
            self.doc.values[where] = _at(event.start_mark)
        self.attach(anchored.value, anchored.height, event.start_mark, as_key=as_key)

    def close_anchor(self, anchor: str | None, value: Any, start: int, height: int) -> None:
        if anchor is not None:
            self.open_anchors.discard(anchor)
            self.anchors[anchor] = _Anchored(value, self.nodes - start, height)

    def attach(self, value: Any, height: int, mark: Any, *, as_key: bool) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        parent.height = max(parent.height, height)
        if isinstance(parent.value, list):
            parent.value.append(value)
        elif as_key:
            parent.key = self.key(parent, value, mark)
        else:
            if parent.key is not _SKIP:
                parent.value[parent.key] = value
            parent.key = _MISSING

    def key(self, parent: _Open, key: Any, mark: Any) -> Any:
        if not isinstance(key, str):
            self.problem(mark, parent.where, "a key must be a plain word")
            return _SKIP
        if key in parent.value:
            self.problem(mark, parent.where, f"duplicate key '{key}'")
            return _SKIP
        if parent.where is not None:
            self.doc.keys[(*parent.where, key)] = _at(mark)
        return key

    def construct(self, event: Any, where: FieldPath | None) -> str | None:
        """A scalar's text exactly as typed (typed fields are converted by the model), or None for null.

        YAML 1.1 would turn `1.10` into 1.1, `010` into 8, `1:30` into 90 and `2021-02-31` into a
        traceback: a text, a task number, a marker must stay what the maintainer typed.
        """
        if event.tag not in (None, "!", STR_TAG):
            self.problem(
                event.start_mark,
                where,
                f"the tag {_short_tag(event.tag)} is not supported",
                "remove it: write the value as plain text (in quotes if needed)",
            )
        elif event.implicit[0] and event.value in NULLS:  # [0]: plain, neither quoted nor tagged
            return None
        text: str = event.value
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        bad = CONTROL.search(text)
        if bad is not None:
            start = max(bad.start() - 20, 0)
            self.problem(
                event.start_mark,
                where,
                f"control character U+{ord(bad.group()):04X} in '{text[start : bad.start() + 20]}'",
                "delete it: control characters break feeds and calendars (it may come from a copy out of a PDF)",
            )
        return text


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def render_path(where: FieldPath) -> str:
    """Return a field path the way maintainers read it: `tasks[3].lead.agencies[0]`."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def parse_text(text: str) -> Any:
    """Return the plain data of a YAML text read as `check` reads it, within MAX_NODES and MAX_DEPTH.

    Raises UnreadableYaml (ContentTooLarge past the limits) for a text `check` would refuse.
    """
    problems: list[Problem] = []  # must be empty: _parse clears it before its second try
    data = _parse(text, Document("", None), problems)
    if problems:
        first = problems[0]
        raise UnreadableYaml(first.message, first.line, first.column, first.hint)
    return data


def _parse(text: str, doc: Document, problems: list[Problem]) -> Any:
    """Compose `text` into `doc` (locations) and return its data; raise UnreadableYaml when it cannot."""
    try:
        # libyaml parses ten times faster; PyYAML's own parser words the syntax errors maintainers see.
        try:
            return _Composer(doc, problems).run(FastLoader(text))
        except yaml.YAMLError:
            doc.values.clear()
            doc.keys.clear()
            problems.clear()
            return _Composer(doc, problems).run(yaml.SafeLoader(text))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = _at(mark) if mark else (1, 1)
        message = f"YAML syntax error: {error.problem or error.context}"
        raise UnreadableYaml(message, line, column, _syntax_hint(error)) from None
    except yaml.YAMLError as error:
        raise UnreadableYaml(f"YAML syntax error: {error}") from None


def load_yaml(file: Path, root: Path, problems: list[Problem]) -> Document | None:
    """Parse `file`; on a syntax error add a problem with its line and return None."""
    relative = file.relative_to(root).as_posix()
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_location(raw, error.start)
        message = f"not UTF-8 text: byte 0x{raw[error.start]:02X} cannot be read ({error.reason})"
        problems.append(Problem(relative, line, column, "", message, "save the file as UTF-8 in your editor"))
        return None
    doc = Document(relative, None)
    found: list[Problem] = []
    try:
        doc.data = _parse(text, doc, found)
    except UnreadableYaml as error:
        problems.append(Problem(relative, error.line, error.column, "", error.message, hint=error.hint))
        return None
    problems.extend(found)
    if () not in doc.values:
        problems.append(Problem(relative, 1, 1, "", "the file is empty"))
        return None
    return doc


def _byte_location(raw: bytes, offset: int) -> Location:
    """Line and column (in characters, as editors count them) of the byte at `offset`."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1


def _syntax_hint(error: yaml.MarkedYAMLError) -> str:
    problem = str(error.problem or "")
    if "mapping values are not allowed" in problem:
        return 'a text containing ": " must be quoted, e.g. vi: "Triển khai: Tháng 02"'
    if "sequence entries are not allowed" in problem:
        return 'a text that starts with "- " must be quoted, e.g. vi: "- Triển khai: Tháng 02"'
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return ""
