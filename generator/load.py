"""Read content YAML into plain Python data, remembering the line and column of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]


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


class _Constructor(yaml.constructor.SafeConstructor):
    """Builds scalars with YAML's safe rules; mappings and lists are walked by `_walk`."""


def _walk(node: yaml.Node, doc: Document, where: FieldPath, problems: list[Problem]) -> Any:
    doc.values[where] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _Constructor().construct_object(key_node)
            key = str(key) if isinstance(key, (int, float)) else key
            if not isinstance(key, str):
                problems.append(_problem(doc.path, key_node, where, "a key must be a plain word"))
                continue
            if key in result:
                problems.append(_problem(doc.path, key_node, where, f"duplicate key '{key}'"))
                continue
            doc.keys[(*where, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _walk(value_node, doc, (*where, key), problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, doc, (*where, i), problems) for i, item in enumerate(node.value)]
    return _Constructor().construct_object(node)


def _problem(path: str, node: yaml.Node, where: FieldPath, message: str) -> Problem:
    mark = node.start_mark
    return Problem(path, mark.line + 1, mark.column + 1, render_path(where), message)


def render_path(where: FieldPath) -> str:
    """Return a field path the way maintainers read it: `tasks[3].lead.agencies[0]`."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def load_yaml(file: Path, root: Path, problems: list[Problem]) -> Document | None:
    """Parse `file`; on a syntax error add a problem with its line and return None."""
    relative = file.relative_to(root).as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(Problem(relative, 1, 1, "", f"not UTF-8 text ({error.reason})"))
        return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax error: {error.problem or error.context}"
        problems.append(Problem(relative, line, column, "", message, hint=_syntax_hint(error)))
        return None
    doc = Document(relative, None)
    if node is None:
        problems.append(Problem(relative, 1, 1, "", "the file is empty"))
        return None
    try:
        doc.data = _walk(node, doc, (), problems)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.append(Problem(relative, line, column, "", f"unreadable value: {error.problem}"))
        return None
    return doc


def _compose(text: str) -> yaml.Node | None:
    # libyaml parses ten times faster; PyYAML's own parser words the syntax errors maintainers see.
    try:
        return yaml.compose(text, Loader=FastLoader)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def _syntax_hint(error: yaml.MarkedYAMLError) -> str:
    problem = str(error.problem or "")
    if "mapping values are not allowed" in problem:
        return 'a text containing ": " must be quoted, e.g. vi: "Triển khai: Tháng 02"'
    if "sequence entries are not allowed" in problem:
        return 'a text that starts with "- " must be quoted, e.g. vi: "- Triển khai: Tháng 02"'
    if "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    return ""
