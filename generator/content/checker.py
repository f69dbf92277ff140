"""The checker every content check builds on: problems at their line, pydantic errors in words, and the
rules shared by plans, tasks, reports and procedures."""

from __future__ import annotations

import difflib
import functools
import math
import typing
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from generator.base.errors import Problem, date_reason
from generator.content import deadlines
from generator.content.load import Document, FieldPath, render_path
from generator.content.model import (
    PATTERN_RULES,
    SLUG,
    Deadline,
    Figure,
    MilestoneOverride,
    Task,
    Text,
)

M = TypeVar("M", bound=BaseModel)
UNDATED_KINDS = {"ongoing", "recurring", "event", "conditional"}


@dataclass
class Checker:
    """Collects the problems of one run of `check`."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def add(
        self, doc: Document, where: FieldPath, message: str, hint: str = "", *, key: bool = False, warning: bool = False
    ) -> None:
        line, column = doc.locate(where, key=key)
        self.problems.append(Problem(doc.path, line, column, render_path(where), message, hint, warning))

    def parse(self, doc: Document, model: type[M], data: Any = None, prefix: FieldPath = ()) -> M | None:
        """Validate a mapping field by field, so that one bad field hides no other problem.

        Returns the record; when some fields are bad, a partial record of the good ones (their
        attributes are missing), so cross-checks can still run; None when it is no mapping at all.
        """
        data = doc.data if data is None and not prefix else data
        if not isinstance(data, dict):
            self.add(doc, prefix, f"expected a mapping of keys and values, found {_kind(data)}")
            return None
        good: dict[str, Any] = {}
        failed = False
        for name, value in data.items():
            info = model.model_fields.get(name)
            if info is None:
                self._unknown_key(doc, model, (*prefix, name), len(prefix))
                failed = True
                continue
            item = _record_type(info.annotation) if typing.get_origin(info.annotation) is list else None
            if item is not None and isinstance(value, list):
                # Lists of records are checked item by item and keep their good items.
                items = [self.parse(doc, item, element, (*prefix, name, i)) for i, element in enumerate(value)]
                good[name] = [element for element in items if element is not None and _complete(element)]
                failed = failed or len(good[name]) != len(value)
                continue
            try:
                good[name] = _adapter(info).validate_python(value)
            except ValidationError as error:
                self._report(doc, error, model, (*prefix, name), relative=True)
                failed = True
        for name, info in model.model_fields.items():
            if info.is_required() and name not in data:
                self.add(doc, prefix, f"missing required field '{name}'")
                failed = True
        if failed:
            return model.model_construct(**good)
        record = model.model_validate(good)
        rule = RULES.get(model)
        if rule is not None:
            rule(self, doc, prefix, record)
        return record

    def parse_tasks(self, doc: Document) -> list[tuple[int, Task]]:
        """Validate a tasks file (a list); keep the valid tasks, with their index, so cross-checks go on."""
        if not isinstance(doc.data, list):
            self.add(doc, (), f"expected a list of tasks, found {_kind(doc.data)}")
            return []
        if not doc.data:
            # `[]` would silently drop every task the file held, and with them a whole group's pages.
            self.add(doc, (), "the file holds no tasks", "list its tasks, or delete the file if they moved")
            return []
        parsed = [(index, self.parse(doc, Task, item, (index,))) for index, item in enumerate(doc.data)]
        return [(index, task) for index, task in parsed if task is not None and _complete(task)]

    def _unknown_key(self, doc: Document, model: type[BaseModel], where: FieldPath, depth: int) -> None:
        allowed = _fields_at(model, where[depth:-1])
        close = difflib.get_close_matches(str(where[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        if allowed == ["vi", "en"] and not close:
            hint = 'inside {vi: …, en: …} a comma ends the text: put the text in quotes, vi: "a, b"'
        self.add(doc, where, f"unknown key '{where[-1]}'", hint, key=True)

    def _report(
        self, doc: Document, error: ValidationError, model: type[BaseModel], prefix: FieldPath, relative: bool = False
    ) -> None:
        """Report pydantic's errors; with `relative`, `model` is the record that holds the field `prefix[-1]`."""
        depth = len(prefix) - 1 if relative else len(prefix)
        for item in error.errors():
            where = prefix + tuple(p for p in item["loc"] if isinstance(p, (str, int)))
            kind, found = item["type"], item.get("input")
            if kind == "missing":
                self.add(doc, where[:-1], f"missing required field '{where[-1]}'")
            elif kind == "extra_forbidden":
                self._unknown_key(doc, model, where, depth)
            else:
                self.add(doc, where, _message(kind, found, item["msg"], item.get("ctx", {})))


def _message(kind: str, found: Any, default: str, ctx: dict[str, Any]) -> str:
    shown = _shown(found)
    if kind == "string_type":
        return f"expected text, found {shown}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, found {shown}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys and values, found {shown}"
    if kind == "literal_error":
        return f"{_literal(found)} is not one of: {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        what, rule = PATTERN_RULES.get(str(ctx.get("pattern", "")), PATTERN_RULES[SLUG])
        return f"{_literal(found)} is not a valid {what} ({rule})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "finite_number":
        # YAML reads `1e400` as text and pydantic turns it into infinity; `.inf` and `.nan` are floats already.
        typed = found if isinstance(found, str) else _literal(found)
        if math.isnan(float(found)):
            return f"expected a number, found {typed} (not a number)"
        if isinstance(found, str):
            return f"expected a finite number, found {typed}, too large to hold (it reads as infinity)"
        return f"expected a finite number, found {typed} (infinity)"
    if kind.startswith("date"):
        return f"expected a date written YYYY-MM-DD, found {shown}{date_reason(found)}"
    if kind.startswith("int"):
        return f"expected a whole number, found {shown}"
    if kind.startswith("float"):
        return f"expected a number, found {shown}"
    if kind.startswith("bool"):
        return f"expected true or false, found {shown}"
    if kind == "value_error":  # a model's own rule (model.Feedback): its sentence, without pydantic's prefix
        return default.removeprefix("Value error, ")
    return default


def _shown(value: Any) -> str:
    """What was found, as the maintainer typed it: 'text 'maybe'', 'the date 2021-04-30', 'true', 'a list'."""
    if isinstance(value, bool):
        return _literal(value)
    if isinstance(value, (str, int, float, date)):
        return f"{_kind(value)} {_literal(value)}"
    return _kind(value)


def _literal(value: Any) -> str:
    """A scalar the way YAML writes it (never a Python repr such as `datetime.date(…)` or `None`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "an empty value"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return _number(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int)):
        return repr(value)
    return _kind(value)


def _number(value: float) -> str:
    """50.0 → '50', 12.5 → '12.5': a number as the maintainer wrote it."""
    return str(int(value)) if value.is_integer() else repr(value)


@functools.cache  # one per model field: building a validator costs far more than running it
def _adapter(info: FieldInfo) -> TypeAdapter[Any]:
    """A validator for one field, with its constraints and the model's number-to-text leniency."""
    annotation: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    bare = _record_type(info.annotation)
    if bare is not None and info.annotation is bare:
        return TypeAdapter(annotation)
    return TypeAdapter(annotation, config=ConfigDict(coerce_numbers_to_str=True))


def _complete(record: BaseModel) -> bool:
    """Whether a record parsed by `Checker.parse` has all its fields (a partial one does not)."""
    return all(name in record.__dict__ for name in type(record).model_fields)


def _kind(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
        date: "a date",
        datetime: "a date and time",
        bytes: "binary data",
        set: "a set",
    }
    return names.get(type(value), type(value).__name__)


def _fields_at(model: type[BaseModel], where: FieldPath) -> list[str]:
    """Return the allowed keys of the record found at `where` inside `model`."""
    current: Any = model
    for part in where:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        current = _record_type(annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _record_type(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _record_type(arg)
        if found is not None:
            return found
    return None


def suggestion(word: str, choices: list[str]) -> str:
    """A 'did you mean …?' hint for a misspelt id, or nothing when no choice is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def texts(value: Any, where: FieldPath = ()) -> Iterator[tuple[FieldPath, Text]]:
    """Yield every bilingual text inside a record, with its field path."""
    if isinstance(value, Text):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            # Partial records (see Checker.parse) lack their bad fields.
            yield from texts(value.__dict__.get(name), (*where, name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from texts(item, (*where, index))


def report_duplicates(checker: Checker, doc: Document, items: list[Any], where: FieldPath, what: str) -> None:
    """Report every item of a list whose `id` an earlier item already has."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            checker.add(doc, (*where, index, "id"), f"duplicate {what} id '{item.id}'")
        seen.add(item.id)


def _english(checker: Checker, doc: Document, record: Any, prefix: FieldPath = ()) -> None:
    for where, text in texts(record, prefix):
        if not (text.en or "").strip():
            checker.add(doc, (*where, "en"), "missing English translation", warning=True)


def _plausible(checker: Checker, doc: Document, where: FieldPath, day: date | None, year: int) -> None:
    if day is not None and not year - 1 <= day.year <= year + 2:
        checker.add(
            doc,
            where,
            f"implausible date {day.isoformat()} for a {year} plan",
            f"dates of a {year} plan lie between {year - 1} and {year + 2}",
        )


def resolve_deadline(checker: Checker, doc: Document, where: FieldPath, deadline: Deadline, year: int) -> Deadline:
    """Fill in the normalised form of a deadline from its Vietnamese text, unless the YAML gives it."""
    if deadline.kind is not None:
        if deadline.kind in UNDATED_KINDS and (deadline.start or deadline.end):
            checker.add(
                doc,
                (*where, "kind"),
                f"a deadline of kind '{deadline.kind}' has no dates",
                "remove start/end: dates must never be invented",
            )
        resolved = deadline
    else:
        try:
            reading = deadlines.read_deadline(deadline.text.vi, year)
        except deadlines.UnreadableDeadline as error:
            checker.add(
                doc,
                (*where, "text", "vi"),
                str(error),
                "give the normalised form yourself: kind (and start/end), see content/FORMAT.md",
            )
            return deadline
        steps = [
            MilestoneOverride(label=Text(vi=m.label_vi, en=m.label_en), kind=m.kind, start=m.start, end=m.end)
            for m in reading.milestones
        ]
        resolved = deadline.model_copy(
            update={"kind": reading.kind, "start": reading.start, "end": reading.end, "milestones": steps}
        )
    if resolved.start and resolved.end and resolved.start > resolved.end:
        checker.add(doc, where, f"starts {resolved.start} after it ends {resolved.end}")
    for name in ("start", "end"):
        _plausible(checker, doc, (*where, "text", "vi"), getattr(resolved, name), year)
    return resolved


def _figure_rules(checker: Checker, doc: Document, where: FieldPath, figure: Figure) -> None:
    """A range has an upper bound above its value; no other comparator has one."""
    if figure.comparator == "range":
        if figure.value_max is None:
            checker.add(doc, (*where, "comparator"), "a 'range' needs value_max", "give the upper bound: value_max: …")
        elif figure.value_max <= figure.value:
            checker.add(
                doc,
                (*where, "value_max"),
                f"value_max {_number(figure.value_max)} is not above value {_number(figure.value)}",
                "a range runs from value up to value_max",
            )
    elif figure.value_max is not None:
        checker.add(
            doc,
            (*where, "value_max"),
            f"value_max belongs to comparator 'range' only, not '{figure.comparator}'",
            "remove value_max, or write comparator: range",
        )


RULES: dict[type[BaseModel], Callable[[Checker, Document, FieldPath, Any], None]] = {
    Figure: _figure_rules,
}
"""Checks across the fields of one record, run by `Checker.parse` on each record whose fields are all good."""


def _field(record: BaseModel, name: str, default: Any) -> Any:
    """A field of a possibly partial record (see `Checker.parse`), or `default` when it was bad."""
    return record.__dict__.get(name, default)


@dataclass
class PlanFacts:
    """What the checks of a plan's tasks need from its plan.yaml; None or 0 where it could not be read."""

    id: str
    year: int = 0
    groups: set[str] | None = None
    city_id: str | None = None
    agencies: set[str] | None = None


class PlanReader(Protocol):
    """What the checks of a plan's amendments and reports (validate_progress) use of `validate.Loader`,
    which calls them for each plan: named here, below both, so that they need not import the module
    that imports them."""

    checker: Checker
    content: Path

    def _doc(self, file: Path) -> Document | None: ...

    def _missing(self, path: Path, message: str, hint: str = "") -> None: ...

    def _agency_refs(self, facts: PlanFacts, doc: Document, where: FieldPath, ids: list[str]) -> None: ...

    def check_task(
        self, doc: Document, at: FieldPath, task: Task, facts: PlanFacts, known: Collection[str]
    ) -> Task: ...
