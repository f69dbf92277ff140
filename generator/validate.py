"""Check all of content/ against the model and across files; collect every problem with its line."""

from __future__ import annotations

import difflib
import functools
import hashlib
import math
import stat
import typing
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from generator.base.errors import ContentError, Problem, date_reason
from generator.content import deadlines
from generator.content.files import is_regular, listing, source_problem
from generator.content.files import problems as file_problems
from generator.content.handwritten import problems as page_problems
from generator.content.labels import LANGUAGES
from generator.content.labels import PROBLEMS as WORDING_PROBLEMS
from generator.content.load import Document, FieldPath, load_yaml, render_path
from generator.content.model import (
    PATTERN_RULES,
    SLUG,
    Agency,
    City,
    Content,
    Deadline,
    Figure,
    MilestoneOverride,
    Pillar,
    PillarFile,
    Plan,
    PlanContent,
    Task,
    Text,
)
from generator.content.site import PLAN_PAGES, PLANS_URL, reserved_names

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


# What the checks of a plan read besides its own folder: the reform areas, the cities' registries and the
# source texts (whether its source.file exists). Hand-written pages and procedures are not among them.
PLAN_INPUTS = ("pillars.yaml", "cities", "sources")


def _fingerprint(base: Path, paths: list[Path]) -> bytes:
    """A digest of files and folders: each one's path and kind (a link is not its target), a regular
    file's bytes. Equal digests: a check that reads only these finds the same."""
    digest = hashlib.blake2b(digest_size=20)
    for path in paths:
        for found in sorted([path, *path.rglob("*")] if path.is_dir() and not path.is_symlink() else [path]):
            try:
                mode = found.lstat().st_mode
            except OSError:
                mode = 0
            digest.update(f"{found.relative_to(base).as_posix()}\0{stat.S_IFMT(mode)}\0".encode())
            if stat.S_ISREG(mode):
                data = found.read_bytes()
                digest.update(f"{len(data)}\0".encode() + data)
    return digest.digest()


@dataclass
class CheckedPlan:
    """What checking one plan folder gave: for `PlanMemo`."""

    key: bytes
    result: PlanContent | None
    problems: list[Problem]
    task_keys: set[str]
    unread: set[str]  # the plan's id when a task file could not be read (as `_plan` named it)


@dataclass
class PlanMemo:
    """Plans checked before, for a program that checks the same content/ again and again (`serve`): a plan
    whose folder and PLAN_INPUTS are byte for byte as they were is not read again; its problems, with
    their lines, are reported again as they were, and its PlanContent is the same object."""

    plans: dict[str, CheckedPlan] = field(default_factory=dict)
    checked: int = 0  # plans read and checked in the last run (the rest were reused)


class Loader:
    """Reads and checks content/ as a whole."""

    def __init__(self, root: Path, content: Path, memo: PlanMemo | None = None) -> None:
        self.checker = Checker(root)
        self.root = root
        self.content = content
        self.broken_cities: set[str] = set()  # cities whose file failed: no "unknown city" on top
        self.task_keys: set[str] = set()  # '<plan>/<task>' of every task read, for procedures' links
        self.unread_plans: set[str] = set()  # plans with a task file that could not be read
        self.memo = memo
        self.shared = _fingerprint(content, [content / name for name in PLAN_INPUTS]) if memo is not None else b""

    def _doc(self, file: Path) -> Document | None:
        return load_yaml(file, self.root, self.checker.problems)

    def _missing(self, path: Path, message: str, hint: str = "") -> None:
        self.checker.problems.append(Problem(path.relative_to(self.root).as_posix(), 1, 1, "", message, hint))

    def run(self) -> Content:
        pillars = self._pillars()
        cities = self._cities()
        self._pages()
        plans = []
        if self.memo is not None:
            self.memo.checked = 0
        for folder in listing(self.content, self.content / "plans", "*", folders=True):
            loaded = self._remembered_plan(folder, pillars, cities)
            if loaded is not None:
                plans.append(loaded)
        if any(not p.warning for p in self.checker.problems):
            raise ContentError(self.checker.problems)
        return Content(
            pillars=tuple(sorted(pillars.values(), key=lambda p: p.order)),
            cities=tuple(c for _, c in sorted(cities.items())),
            plans=tuple(plans),
        )

    def _pillars(self) -> dict[str, Pillar]:
        file = self.content / "pillars.yaml"
        if not is_regular(self.content, file):
            if not file.is_symlink():  # a link is reported by generator.content.files.problems
                self._missing(file, "file is missing")
            return {}
        doc = self._doc(file)
        parsed = self.checker.parse(doc, PillarFile) if doc else None
        if parsed is None or doc is None:
            return {}
        found = _field(parsed, "pillars", [])
        report_duplicates(self.checker, doc, found, ("pillars",), "pillar")
        _english(self.checker, doc, parsed)
        return {p.id: p for p in found}

    def _cities(self) -> dict[str, City]:
        cities: dict[str, City] = {}
        for file in listing(self.content, self.content / "cities", "*.yaml"):
            doc = self._doc(file)
            city = self.checker.parse(doc, City) if doc else None
            if city is None or doc is None or not _complete(city):
                self.broken_cities.add(file.stem)
            if city is None or doc is None:
                continue
            city_id = _field(city, "id", file.stem)
            if city_id != file.stem:
                self.checker.add(
                    doc,
                    ("id",),
                    f"id '{city_id}' differs from the file name '{file.name}'",
                    f"rename the file to {city_id}.yaml or change the id",
                )
            if city_id in cities:
                self.checker.add(doc, ("id",), f"duplicate city id '{city_id}'")
            report_duplicates(self.checker, doc, _field(city, "agencies", []), ("agencies",), "agency")
            self._includes(doc, _field(city, "agencies", []))
            _english(self.checker, doc, city)
            if _complete(city):
                cities[city_id] = city
        return cities

    def _includes(self, doc: Document, agencies: list[Agency]) -> None:
        """A group's `includes` names kinds and agencies of its city, none of them a group; only a group has one."""
        kinds = {a.id: a.kind for a in agencies}
        raw = doc.data.get("agencies") if isinstance(doc.data, dict) else None
        # Agencies with errors are left out of `agencies`: find each one's place in the file by its id.
        places = {str(a.get("id")): i for i, a in enumerate(raw or []) if isinstance(a, dict)}
        for agency in agencies:
            if agency.includes is None:
                continue
            where: FieldPath = ("agencies", places.get(agency.id, 0), "includes")
            if agency.kind != "group":
                self.checker.add(
                    doc,
                    where,
                    f"only a group has members, and '{agency.id}' is of kind '{agency.kind}'",
                    "remove includes, or write kind: group",
                )
            for index, kind in enumerate(agency.includes.kinds):
                if kind == "group":
                    message = "a group includes agencies, not other groups"
                    self.checker.add(doc, (*where, "kinds", index), message, "name the kinds of its agencies")
            for index, member in enumerate(agency.includes.agencies):
                if member not in kinds:
                    hint = suggestion(member, sorted(kinds)) or "add the agency to this registry first"
                    self.checker.add(doc, (*where, "agencies", index), f"unknown agency '{member}'", hint)
                elif kinds[member] == "group":
                    message = f"'{member}' is a group: a group includes agencies, not other groups"
                    self.checker.add(doc, (*where, "agencies", index), message, "name its agencies instead")

    def _remembered_plan(self, folder: Path, pillars: dict[str, Pillar], cities: dict[str, City]) -> PlanContent | None:
        """`_plan`, or what it gave last time when nothing it reads has changed (see PlanMemo)."""
        if self.memo is None:
            return self._plan(folder, pillars, cities)
        key = self.shared + _fingerprint(self.content, [folder])
        seen = self.memo.plans.get(folder.name)
        if seen is None or seen.key != key:
            problems, keys, unread = len(self.checker.problems), set(self.task_keys), set(self.unread_plans)
            result = self._plan(folder, pillars, cities)
            self.memo.checked += 1
            new_problems = self.checker.problems[problems:]
            seen = CheckedPlan(key, result, new_problems, self.task_keys - keys, self.unread_plans - unread)
            self.memo.plans[folder.name] = seen
            return result
        self.checker.problems.extend(seen.problems)
        self.task_keys |= seen.task_keys
        self.unread_plans |= seen.unread
        return seen.result

    def _plan(self, folder: Path, pillars: dict[str, Pillar], cities: dict[str, City]) -> PlanContent | None:
        plan_file = folder / "plan.yaml"
        readable = is_regular(self.content, plan_file)
        doc = self._doc(plan_file) if readable else None
        if not readable and not plan_file.is_symlink():  # a link is reported by generator.content.files.problems
            self._missing(folder, "plan.yaml is missing")
        plan = self.checker.parse(doc, Plan) if doc else None
        # A plan.yaml that cannot be read hides nothing in the task files: they are checked on their own,
        # and only the cross-checks that need the plan (groups, agencies, dates) are left out.
        facts = self._plan_checks(doc, plan, folder, pillars, cities) if doc and plan else PlanFacts(folder.name)
        tasks, files, typed = self._tasks(folder, facts)
        from generator.content.validate_progress import PlanState, check_progress  # they build on this module's Checker

        complete = plan if plan is not None and _complete(plan) else None
        city = cities.get(facts.city_id) if facts.city_id else None
        state = PlanState(facts, complete, city, tasks, typed, facts.id not in self.unread_plans)
        amendments, reports = check_progress(self, folder, state)
        if not listing(self.content, folder / "tasks", "*.yaml"):
            message, hint = f"plan '{facts.id}' has no tasks", f"add task files under {folder.name}/tasks/"
            if doc is not None:
                self.checker.add(doc, ("id",), message, hint)
            else:
                self._missing(folder, message, hint)
        if plan is None or not _complete(plan):
            return None
        return PlanContent(plan=plan, tasks=tuple(tasks), files=files, reports=reports, amendments=amendments)

    def _plan_checks(
        self, doc: Document, plan: Plan, folder: Path, pillars: dict[str, Pillar], cities: dict[str, City]
    ) -> PlanFacts:
        """Check plan.yaml on its own; return what the checks of its tasks need from it."""
        check = self.checker
        plan_id, city_id, year = _field(plan, "id", folder.name), _field(plan, "city", None), _field(plan, "year", 0)
        if plan_id != folder.name:
            check.add(doc, ("id",), f"id '{plan_id}' differs from the folder name '{folder.name}'")
        city = cities.get(city_id) if city_id else None
        if city_id and city is None and city_id not in self.broken_cities:
            check.add(doc, ("city",), f"unknown city '{city_id}'", suggestion(city_id, list(cities)))
        facts = PlanFacts(plan_id, year, city_id=city_id, agencies={a.id for a in city.agencies} if city else None)
        groups = _field(plan, "groups", [])
        raw_groups = doc.data.get("groups") if isinstance(doc.data, dict) else None
        if isinstance(raw_groups, list) and len(groups) == len(raw_groups):
            facts.groups = {g.id for g in groups}  # only when every group was read: no "unknown group" otherwise
        report_duplicates(check, doc, groups, ("groups",), "group")
        for index, group in enumerate(groups):
            if pillars and group.pillar not in pillars:
                message = f"unknown pillar '{group.pillar}'"
                check.add(doc, ("groups", index, "pillar"), message, suggestion(group.pillar, list(pillars)))
        for index, duty in enumerate(_field(plan, "duties", [])):
            self._agency_refs(facts, doc, ("duties", index, "agencies"), duty.agencies)
        source = _field(plan, "source", None)
        unusable = source_problem(self.content, source.file) if source else None
        if unusable:
            check.add(doc, ("source", "file"), unusable)
        if year:
            decision = _field(plan, "decision", None)
            if decision is not None:
                _plausible(check, doc, ("decision", "date"), _field(decision, "date", None), year)
            periods: set[str] = set()
            for index, entry in enumerate(_field(plan, "reporting_calendar", [])):
                _plausible(check, doc, ("reporting_calendar", index, "due", "date"), entry.due.date, year)
                where: FieldPath = ("reporting_calendar", index, "period")
                if not entry.period.startswith(f"{year}-"):
                    hint = f"a {year} plan reports on {year}-Q1…Q4, {year}-H1/H2 or {year}-Y"
                    check.add(doc, where, f"period {entry.period} lies outside the plan's year {year}", hint)
                if entry.period in periods:
                    check.add(
                        doc, where, f"period {entry.period} is in the calendar twice", "each period has one report"
                    )
                periods.add(entry.period)
        _english(check, doc, plan)
        return facts

    def _agency_refs(self, facts: PlanFacts, doc: Document, where: FieldPath, ids: list[str]) -> None:
        for index, agency in enumerate(ids):
            if facts.agencies is not None and agency not in facts.agencies:
                hint = suggestion(agency, sorted(facts.agencies)) or f"add it to content/cities/{facts.city_id}.yaml"
                self.checker.add(doc, (*where, index), f"unknown agency '{agency}' in {facts.city_id}", hint)

    def _tasks(self, folder: Path, facts: PlanFacts) -> tuple[list[Task], dict[str, str], set[str]]:
        """Read and check a plan's task files; the cross-checks that need its plan.yaml use `facts`.

        Returns the tasks without errors, the file of each, and every id typed (those of tasks with errors too).
        """
        check = self.checker
        tasks: list[Task] = []
        files: dict[str, str] = {}
        typed: set[str] = set()
        for file in listing(self.content, folder / "tasks", "*.yaml"):
            task_doc = self._doc(file)
            if task_doc is None or not isinstance(task_doc.data, list):
                self.unread_plans.add(facts.id)  # its tasks are unknown: procedures do not call them missing
            if task_doc is None:
                continue
            if isinstance(task_doc.data, list):
                typed |= {str(t["id"]) for t in task_doc.data if isinstance(t, dict) and t.get("id") is not None}
            for index, task in check.parse_tasks(task_doc):
                at: FieldPath = (index,)
                if task.id in files:
                    check.add(task_doc, (*at, "id"), f"duplicate task id '{task.id}' in {facts.id}")
                task = self.check_task(task_doc, at, task, facts, files)
                files[task.id] = task_doc.path
                self.task_keys.add(f"{facts.id}/{task.id}")
                tasks.append(task)
        return tasks, files, typed

    def check_task(self, doc: Document, at: FieldPath, task: Task, facts: PlanFacts, known: Collection[str]) -> Task:
        """Check one task against its plan (`known`: the ids before it); return it with its deadline resolved."""
        check = self.checker
        taken = {page.rstrip("/") for page in PLAN_PAGES}
        if task.id not in known and task.id in taken:
            check.add(
                doc,
                (*at, "id"),
                f"task id '{task.id}' would overwrite another page of the plan, {PLANS_URL}{facts.id}/{task.id}/",
                f"ids a task cannot have: {', '.join(sorted(taken))}",
            )
        if facts.groups is not None and task.group not in facts.groups:
            hint = f"groups of {facts.id}: {', '.join(sorted(facts.groups))}"
            check.add(doc, (*at, "group"), f"unknown group '{task.group}'", hint)
        if task.parent == task.id:
            check.add(doc, (*at, "parent"), f"task '{task.id}' cannot be its own parent")
        elif task.parent is not None and task.parent not in known:
            hint = suggestion(task.parent, list(known)) or "a parent must come before its sub-items"
            check.add(doc, (*at, "parent"), f"unknown parent '{task.parent}'", hint)
        for cell in ("lead", "coordinating"):
            value = getattr(task, cell)
            if value is not None:
                self._agency_refs(facts, doc, (*at, cell, "agencies"), value.agencies)
        if task.deadline is not None and facts.year:
            resolved = resolve_deadline(check, doc, (*at, "deadline"), task.deadline, facts.year)
            task = task.model_copy(update={"deadline": resolved})
        _english(check, doc, task, at)
        return task

    def _pages(self) -> None:
        """Hand-written pages (content/pages/<name>.<lang>.md → <name>/) must not overwrite generated ones."""
        reserved = reserved_names()
        for lang in LANGUAGES:
            for file in listing(self.content, self.content / "pages", f"*.{lang}.md"):
                name = file.name.removesuffix(f".{lang}.md")  # as generator.content.handwritten names the page
                if name not in reserved:
                    continue
                self._missing(
                    file,
                    f"a hand-written page named '{name}' would overwrite the site's own {name}/",
                    f"rename the file; names a page cannot have: {', '.join(sorted(reserved))}",
                )


def load_content(
    root: Path, content: Path | None = None, memo: PlanMemo | None = None
) -> tuple[Content, list[Problem]]:
    """Read, validate and cross-check all content; raise ContentError listing every problem.

    `memo`: plans checked in earlier runs, reused when unchanged (see PlanMemo)."""
    from generator.content.procedures import load_procedures  # procedures build on this module's Checker

    loader = Loader(root, content or root / "content", memo)
    try:
        result: Content | None = loader.run()
    except ContentError:
        result = None
    # Procedures are checked even when plans have errors, so that every problem is listed at once.
    folder = (content or root / "content") / "procedures"
    procedures, problems = load_procedures(root, loader.task_keys, folder, loader.unread_plans)
    problems = loader.checker.problems + problems + file_problems(root, loader.content)
    problems += page_problems(root, loader.content)
    problems += WORDING_PROBLEMS  # the interface wording is published with the content: checked with it
    if result is None or any(not p.warning for p in problems):
        raise ContentError(problems)
    return result.model_copy(update={"procedures": tuple(procedures)}), problems


def coverage(content: Content) -> dict[str, tuple[int, int]]:
    """Return, per plan, how many of its texts have English, and how many texts there are."""
    result = {}
    for item in content.plans:
        found = [t for record in (item.plan, *item.tasks) for _, t in texts(record)]
        result[item.plan.id] = (sum(1 for t in found if (t.en or "").strip()), len(found))
    return result
