"""Procedure flows (content/procedures/*.yaml): their model, checks and statutory totals.

Their pages and the words for their time limits are in pages/procedure_pages.py and pages/procedure_words.py."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, FiniteFloat, StringConstraints

from generator.base.errors import Problem
from generator.content.checker import Checker, report_duplicates, suggestion, texts
from generator.content.files import listing
from generator.content.load import Document, FieldPath, load_yaml
from generator.content.model import TASK_KEY, Slug, Strict, Text

if TYPE_CHECKING:
    pass

TimeUnit = Literal["working_days", "calendar_days", "hours", "immediately", "none"]
TaskKey = Annotated[str, StringConstraints(pattern=TASK_KEY)]
COUNTED_UNITS = ("working_days", "calendar_days", "hours")


class LegalBasis(Strict):
    """A legal instrument (and article) a procedure rests on, with how far it has been checked."""

    id: Slug = Field(description="Procedure-local id that steps cite, e.g. 'nd-61-2018'.")
    instrument: Text = Field(description="The instrument's number, date, issuer and title.")
    article: str | None = Field(None, description="Article number, only when confirmed in a source; else omitted.")
    verified: bool = Field(description="Whether a published source confirms the instrument (and article) as stated.")
    source_note: Text = Field(description="What the instrument says here, and what is still unconfirmed.")


class Actor(Strict):
    """A party that acts in the procedure: one lane of the diagram."""

    id: Slug = Field(description="Procedure-local id that steps name.")
    name: Text = Field(description="Official name; English from the glossary.")


class TimeLimit(Strict):
    """The statutory time allowed for a step."""

    value: FiniteFloat | None = Field(None, description="How many units; omitted for 'immediately' and 'none'.")
    unit: TimeUnit = Field(
        description="working_days, calendar_days, hours, immediately, or none (no statutory limit); never mixed."
    )
    verified: bool = Field(description="Whether a published source confirms the figure and its unit.")
    basis: Text = Field(description="Where the limit comes from; 'Chưa xác minh: …' / 'Unconfirmed: …' if unverified.")
    scope: Text | None = Field(None, description="What the limit covers when that is more than this step alone.")
    covers: list[Slug] = Field(
        [], description="Ids of other steps whose time runs inside this limit, so that totals count it once."
    )


class StepDocument(Strict):
    """A document or form the step produces or needs."""

    name: Text = Field(description="Its name, e.g. 'Mẫu số 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả'.")
    verified: bool = Field(
        description="Whether a published source confirms the document, and for a numbered form its number and name."
    )


class Next(Strict):
    """Where a step leads: the next step, and for a branch the condition under which it is taken."""

    to: Slug = Field(description="Id of the next step.")
    condition: Text | None = Field(None, description="When this way is taken; required when a step has several.")
    once: bool = Field(False, description="The way may be taken at most once per dossier.")


class Step(Strict):
    """One step of a procedure, done by one actor."""

    id: Slug = Field(description="Procedure-local id, used in `next`, `start`, `end` and page anchors.")
    actor: Slug = Field(description="Id of the actor who does it.")
    label: Text = Field(description="Short name shown in the diagram box.")
    action: Text = Field(description="What happens, in full, shown in the list of steps.")
    time_limit: TimeLimit | None = Field(None, description="Statutory time allowed; omitted where no source gives one.")
    documents: list[StepDocument] = Field([], description="Forms and documents of the step.")
    next: list[Next] = Field([], description="Where it leads; the first entry is the main path. Empty for end steps.")
    legal_basis: list[Slug] = Field([], description="Ids of the procedure's legal bases the step rests on.")
    verified: bool = Field(description="Whether a published source confirms the step as described.")


class Procedure(Strict):
    """An administrative procedure drawn as a flow of steps across actors."""

    id: Slug = Field(description="Stable identifier, equal to the file name; used in URLs.")
    title: Text = Field(description="Name of the procedure.")
    summary: Text = Field(description="What the procedure is and which law governs it, for readers.")
    legal_basis: list[LegalBasis] = Field(description="The law in force in 2021 that the steps rest on.")
    actors: list[Actor] = Field(description="The parties, in lane order.")
    steps: list[Step] = Field(description="The steps, in reading order (numbered in this order).")
    start: Slug = Field(description="Id of the first step.")
    end: list[Slug] = Field(description="Ids of the steps where the procedure ends.")
    related_tasks: list[TaskKey] = Field([], description="Plan tasks that concern the procedure: '<plan>/<task>'.")


# Checks.


def main_path(procedure: Procedure) -> list[Step]:
    """The steps met from the start by always taking the first `next`, up to an end step or a repeat."""
    steps = {s.id: s for s in procedure.steps}
    path: list[Step] = []
    current = steps.get(procedure.start)
    while current is not None and all(current.id != s.id for s in path):
        path.append(current)
        current = steps.get(current.next[0].to) if current.next and current.id not in procedure.end else None
    return path


def _reachable(start: str, edges: dict[str, list[str]]) -> list[str]:
    seen = [start] if start in edges else []
    for node in seen:
        seen.extend(n for n in edges[node] if n in edges and n not in seen)
    return seen


def _trapped_cycles(nodes: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Cycles among `nodes` (in file order), each as a path that returns to its first step."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for first in nodes:
        if first in done:
            continue
        component = [n for n in _reachable(first, edges) if n in nodes and first in _reachable(n, edges)]
        done.update(component)
        if len(component) > 1 or first in edges[first]:
            path = [first]
            while True:
                following = next(n for n in edges[path[-1]] if n in component)
                if following in path:
                    cycles.append([*path[path.index(following) :], following])
                    break
                path.append(following)
    return cycles


def check_procedure(
    checker: Checker, doc: Document, procedure: Procedure, known_tasks: set[str], unread_plans: Collection[str] = ()
) -> None:
    """Cross-check one parsed procedure: references, reachability, cycles, time limits, related tasks.

    A task of a plan in `unread_plans` (a task file that could not be read) is not called unknown: the
    problem of that file is reported already.
    """
    add = checker.add
    actors = [a.id for a in procedure.actors]
    steps = {s.id: s for s in procedure.steps}
    bases = [b.id for b in procedure.legal_basis]
    step_ids = list(steps)
    report_duplicates(checker, doc, procedure.legal_basis, ("legal_basis",), "legal basis")
    report_duplicates(checker, doc, procedure.actors, ("actors",), "actor")
    report_duplicates(checker, doc, procedure.steps, ("steps",), "step")

    if procedure.start not in steps:
        add(doc, ("start",), f"unknown step '{procedure.start}'", suggestion(procedure.start, step_ids))
    for index, end in enumerate(procedure.end):
        if end not in steps:
            add(doc, ("end", index), f"unknown step '{end}'", suggestion(end, step_ids))

    for index, step in enumerate(procedure.steps):
        at: FieldPath = ("steps", index)
        if step.actor not in actors:
            hint = suggestion(step.actor, actors) or f"actors of {procedure.id}: {', '.join(actors)}"
            add(doc, (*at, "actor"), f"unknown actor '{step.actor}'", hint)
        for ref_index, ref in enumerate(step.legal_basis):
            if ref not in bases:
                hint = suggestion(ref, bases) or f"legal bases of {procedure.id}: {', '.join(bases)}"
                add(doc, (*at, "legal_basis", ref_index), f"unknown legal basis '{ref}'", hint)
        targets: set[str] = set()
        for next_index, way in enumerate(step.next):
            where = (*at, "next", next_index)
            if way.to not in steps:
                add(
                    doc,
                    (*where, "to"),
                    f"step '{step.id}' leads to unknown step '{way.to}'",
                    suggestion(way.to, step_ids),
                )
            if way.to in targets:
                add(doc, (*where, "to"), f"step '{step.id}' leads to '{way.to}' twice")
            targets.add(way.to)
            if len(step.next) > 1 and way.condition is None:
                add(
                    doc,
                    where,
                    f"step '{step.id}' has {len(step.next)} ways out, but this one has no condition",
                    "give every way out of a branching step a condition {vi: …, en: …}",
                )
            elif way.once and way.condition is None:
                add(doc, (*where, "once"), "'once' applies to a branch", "give this way a condition {vi: …, en: …}")
        if step.id in procedure.end and step.next:
            add(doc, (*at, "next"), f"end step '{step.id}' has next steps", "remove `next` or take it out of `end`")
        if step.id not in procedure.end and not step.next:
            add(doc, (*at, "id"), f"step '{step.id}' leads nowhere", "give it `next` steps or list it under `end`")
        _check_time_limit(checker, doc, at, step, steps)

    broken = procedure.start not in steps or any(w.to not in steps for s in procedure.steps for w in s.next)
    if not broken:
        _check_graph(checker, doc, procedure)

    task_keys = sorted(known_tasks)
    for index, key in enumerate(procedure.related_tasks):
        if key not in known_tasks and key.split("/")[0] not in unread_plans:
            add(doc, ("related_tasks", index), f"unknown task '{key}'", suggestion(key, task_keys))
    for where, text in texts(procedure):
        if not (text.en or "").strip():
            add(doc, (*where, "en"), "missing English translation", warning=True)


def _check_graph(checker: Checker, doc: Document, procedure: Procedure) -> None:
    """Reachability, cycles and the main path; only run when every reference names a step."""
    add = checker.add
    steps = {s.id: s for s in procedure.steps}
    step_ids = list(steps)
    edges = {s.id: [w.to for w in s.next] for s in procedure.steps}
    reachable = set(_reachable(procedure.start, edges))
    for index, step in enumerate(procedure.steps):
        if step.id not in reachable:
            add(
                doc,
                ("steps", index, "id"),
                f"step '{step.id}' cannot be reached from the start step '{procedure.start}'",
                "add it to the `next` of an earlier step, or remove it",
            )
    ends = {e for e in procedure.end if e in steps}
    finishing = {n for n in step_ids if ends & set(_reachable(n, edges))}
    stuck = [n for n in step_ids if n in reachable and n not in finishing]
    for cycle in _trapped_cycles(stuck, edges):
        add(
            doc,
            ("steps", step_ids.index(cycle[0]), "next"),
            f"cycle with no way out: {' → '.join(cycle)} never reaches an end step",
            "give one of these steps a branch that leads towards an end step",
        )

    path = main_path(procedure)
    if path and path[-1].id not in procedure.end and path[-1].next:
        loop_to = path[-1].next[0].to
        add(
            doc,
            ("steps", step_ids.index(path[-1].id), "next", 0),
            f"the main path (first `next` of each step) loops back to '{loop_to}'",
            "put the way that moves the procedure forward first",
        )
    on_path = {s.id for s in path}
    covered_by: dict[str, str] = {}
    for index, step in enumerate(procedure.steps):
        for cover_index, covered in enumerate(step.time_limit.covers if step.time_limit else []):
            where = ("steps", index, "time_limit", "covers", cover_index)
            if covered in covered_by:
                add(doc, where, f"step '{covered}' is already covered by the limit of '{covered_by[covered]}'")
            covered_by[covered] = step.id
            if covered in on_path and step.id not in on_path:
                add(
                    doc,
                    where,
                    f"'{step.id}' is not on the main path, so the total would leave '{covered}' out",
                    "put the covering limit on a main-path step",
                )


def _check_time_limit(checker: Checker, doc: Document, at: FieldPath, step: Step, steps: dict[str, Step]) -> None:
    limit = step.time_limit
    if limit is None:
        return
    where = (*at, "time_limit")
    if limit.unit in COUNTED_UNITS and (limit.value is None or limit.value <= 0):
        checker.add(doc, where, f"a time limit in {limit.unit} needs a positive value")
    if limit.unit not in COUNTED_UNITS and limit.value is not None:
        checker.add(doc, (*where, "value"), f"a time limit of unit '{limit.unit}' has no value", "remove `value`")
    if limit.covers and limit.unit not in COUNTED_UNITS:
        checker.add(doc, (*where, "covers"), f"a time limit of unit '{limit.unit}' cannot cover other steps")
    for index, covered in enumerate(limit.covers):
        inner = steps.get(covered)
        if inner is None:
            checker.add(doc, (*where, "covers", index), f"unknown step '{covered}'", suggestion(covered, list(steps)))
        elif covered == step.id:
            checker.add(doc, (*where, "covers", index), "a time limit cannot cover its own step")
        elif inner.time_limit is not None and inner.time_limit.covers:
            checker.add(
                doc,
                (*where, "covers", index),
                f"step '{covered}' covers other steps itself",
                "let one limit cover the whole span",
            )


def load_procedures(
    root: Path, known_tasks: set[str], folder: Path | None = None, unread_plans: Collection[str] = ()
) -> tuple[list[Procedure], list[Problem]]:
    """Read and check content/procedures/*.yaml; return the procedures without errors and every problem."""
    checker = Checker(root)
    procedures: list[Procedure] = []
    seen: set[str] = set()
    folder = folder or root / "content" / "procedures"
    for file in listing(folder.parent, folder, "*.yaml"):  # regular files inside content/ only
        before = len(checker.problems)
        doc = load_yaml(file, root, checker.problems)
        procedure = checker.parse(doc, Procedure) if doc else None
        if doc is None or procedure is None:
            continue
        if any(not p.warning for p in checker.problems[before:]):
            continue  # Cross-checks on a partly parsed record would only repeat the schema errors.
        if procedure.id != file.stem:
            checker.add(
                doc,
                ("id",),
                f"id '{procedure.id}' differs from the file name '{file.name}'",
                f"rename the file to {procedure.id}.yaml or change the id",
            )
        if procedure.id in seen:
            checker.add(doc, ("id",), f"duplicate procedure id '{procedure.id}'")
        seen.add(procedure.id)
        check_procedure(checker, doc, procedure, known_tasks, unread_plans)
        if not any(not p.warning for p in checker.problems[before:]):
            procedures.append(procedure)
    return procedures, checker.problems


# Statutory totals.


@dataclass(frozen=True)
class Total:
    """The statutory time along a procedure's main path, each unit summed on its own."""

    working_days: float
    calendar_days: float
    hours: float
    verified: bool
    """Every limit counted in the total is confirmed (true when none is counted)."""
    counted: tuple[str, ...]
    """Steps whose limits are summed."""
    covered: tuple[str, ...]
    """Steps whose time runs inside a counted limit of another step."""
    untimed: tuple[str, ...]
    """Main-path steps for which no statutory limit is given, or the law sets none."""

    @property
    def empty(self) -> bool:
        """No limit along the main path has a figure."""
        return not (self.working_days or self.calendar_days or self.hours)


def total_time(procedure: Procedure) -> Total:
    """Sum the time limits along the main path; working days, calendar days and hours are never added together."""
    path = main_path(procedure)
    covering = {c for s in path if s.time_limit for c in s.time_limit.covers}
    sums = dict.fromkeys(COUNTED_UNITS, 0.0)
    counted: list[str] = []
    covered: list[str] = []
    untimed: list[str] = []
    verified = True
    for step in path:
        limit = step.time_limit
        if step.id in covering:
            covered.append(step.id)
        elif limit is None or limit.unit == "none":
            untimed.append(step.id)
        else:
            sums[limit.unit] = sums.get(limit.unit, 0.0) + (limit.value or 0.0)
            counted.append(step.id)
            verified = verified and limit.verified
    return Total(
        working_days=sums["working_days"],
        calendar_days=sums["calendar_days"],
        hours=sums["hours"],
        verified=verified,
        counted=tuple(counted),
        covered=tuple(covered),
        untimed=tuple(untimed),
    )
