"""Check all of content/ against the model and across files; collect every problem with its line."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator.base.annotations import report
from generator.base.errors import ContentError, Problem, summary
from generator.content.checker import (
    Checker,
    PlanFacts,
    _complete,
    _english,
    _field,
    _plausible,
    report_duplicates,
    resolve_deadline,
    suggestion,
    texts,
)
from generator.content.files import is_regular, listing, source_problem
from generator.content.files import problems as file_problems
from generator.content.handwritten import problems as page_problems
from generator.content.labels import LANGUAGES
from generator.content.labels import PROBLEMS as WORDING_PROBLEMS
from generator.content.load import Document, FieldPath, load_yaml
from generator.content.model import (
    Agency,
    City,
    Content,
    Pillar,
    PillarFile,
    Plan,
    PlanContent,
    Task,
)
from generator.content.procedures import load_procedures
from generator.content.site import PLAN_PAGES, PLANS_URL, reserved_names
from generator.content.validate_progress import PlanState, check_progress

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


def _agency_places(doc: Document) -> dict[str, int]:
    """Each agency's place in a registry file's `agencies` list, by its id: agencies with errors are left out
    of the parsed list, so a problem's place is found by id in the file as written."""
    raw = doc.data.get("agencies") if isinstance(doc.data, dict) else None
    return {str(a.get("id")): i for i, a in enumerate(raw) if isinstance(a, dict)} if isinstance(raw, list) else {}


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
            self._cut_aliases(doc, _field(city, "agencies", []))
            _english(self.checker, doc, city)
            if _complete(city):
                cities[city_id] = city
        return cities

    def _cut_aliases(self, doc: Document, agencies: list[Agency]) -> None:
        """`aliases: [Các sở, UBND các quận, huyện]` is three aliases to YAML, not one: a printed spelling with
        a comma in it is cut apart. Two or more neighbouring aliases that, joined again with ', ', are part of
        the agency's own name (or hold all of it, as 'Các sở, ban, ngành' holds 'Sở, ban, ngành') are such a
        cut spelling."""
        places = _agency_places(doc)
        for agency in agencies:
            name, aliases, start = agency.name.vi.casefold(), agency.aliases, 0
            while start < len(aliases) - 1:
                joins = {end: ", ".join(aliases[start : end + 1]).casefold() for end in range(start + 1, len(aliases))}
                ends = [end for end, joined in joins.items() if joined in name] or [
                    end
                    for end, joined in joins.items()
                    if name in joined and not any(name in alias.casefold() for alias in aliases[start : end + 1])
                ][:1]
                if not ends:
                    start += 1
                    continue
                joined = ", ".join(aliases[start : ends[-1] + 1])
                where: FieldPath = ("agencies", places.get(agency.id, 0), "aliases", start)
                message = f"aliases {start + 1}–{ends[-1] + 1} look like one spelling cut at its commas: '{joined}'"
                hint = "write each alias on its own line ('- …') or in quotes: in [a, b] a comma separates aliases"
                self.checker.add(doc, where, message, hint)
                start = ends[-1] + 1

    def _includes(self, doc: Document, agencies: list[Agency]) -> None:
        """A group's `includes` names kinds and agencies of its city, none of them a group; only a group has one."""
        kinds = {a.id: a.kind for a in agencies}
        places = _agency_places(doc)
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


def load_or_refuse(root: Path, last_line: str, *, annotate: bool = False) -> Content | None:
    """content/ for a command that needs it valid, or None once the refusal is printed.

    The refusal: every problem, their count, then `last_line`, the command's own word on what it did
    not do; with `annotate`, the problems also as the CI's annotations (before `last_line`)."""
    try:
        content, _ = load_content(root)
    except ContentError as error:
        print(summary(error.problems))
        if annotate:
            report(error.problems, root)
        print(last_line)
        return None
    return content


def coverage(content: Content) -> dict[str, tuple[int, int]]:
    """Return, per plan, how many of its texts have English, and how many texts there are."""
    result = {}
    for item in content.plans:
        found = [t for record in (item.plan, *item.tasks) for _, t in texts(record)]
        result[item.plan.id] = (sum(1 for t in found if (t.en or "").strip()), len(found))
    return result
