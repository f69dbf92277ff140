"""`python -m generator import FILE --city CITY --plan PLAN [--force]`: the decision → draft YAML + review."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from generator.content.validate import load_content
from generator.importer import draft as drafting
from generator.importer.agencies import AgencyBook, Registry
from generator.importer.compose import compose, known_pillars, plan_year
from generator.importer.grid import Grid, NoPlanTable
from generator.importer.header import read_header
from generator.importer.memory import build_memory
from generator.importer.review import report
from generator.importer.rows import build
from generator.importer.textlayout import read_table

REVIEW = "IMPORT-REVIEW.md"


class ImportRefused(Exception):
    """One clear line for the maintainer; nothing has been written."""


def _read(file: Path) -> tuple[list[str], Grid, int, str]:
    """(text lines, task table, line of the table, source text to publish) of a .txt/.md or .docx file."""
    if not file.is_file():
        raise ImportRefused(f"{file}: no such file")
    if file.suffix.lower() == ".docx":
        from generator.importer.docxread import UnreadableDocx, read_docx  # python-docx is loaded only for Word files

        try:
            lines, grid = read_docx(file)
        except UnreadableDocx as error:
            raise ImportRefused(f"{file}: {error}") from None
        return lines, grid, grid.rows[0].line if grid.rows else len(lines), "\n".join(lines) + "\n"
    raw = file.read_bytes()
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(f"{file}: this is a Word or Office file: give it the .docx extension")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{file}: not UTF-8 text (byte {error.start}); save the extraction as UTF-8") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    grid = read_table(lines)
    return lines, grid, grid.rows[0].line if grid.rows else len(lines), text


def run(file: Path, root: Path, city: str, plan_id: str, force: bool) -> int:
    try:
        return _run(file, root, city, plan_id, force)
    except ImportRefused as refused:
        print(f"import: {refused}")
        return 1
    except NoPlanTable as error:
        print(f"import: {file}: {error}")
        return 1


def _run(file: Path, root: Path, city: str, plan_id: str, force: bool) -> int:
    content = root / "content"
    city_file = content / "cities" / f"{city}.yaml"
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", plan_id):
        raise ImportRefused(f"plan id '{plan_id}' is not a slug such as 'da-nang-2022'")
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", city) or not city_file.is_file():
        known = ", ".join(sorted(p.stem for p in (content / "cities").glob("*.yaml")))
        raise ImportRefused(f"unknown city '{city}' (known: {known}); add content/cities/{city}.yaml first")
    lines, grid, table_line, source_text = _read(file)
    if not grid.rows:
        raise NoPlanTable("the task table has a header but no rows")
    header = read_header(lines, table_line)
    try:
        registry = Registry(yaml.safe_load(city_file.read_text(encoding="utf-8")) or {})
    except (yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        raise ImportRefused(f"content/cities/{city}.yaml cannot be read: run `check` and fix it first") from None
    book = AgencyBook(registry)
    parsed = build(grid, book)
    if not parsed.tasks:
        raise NoPlanTable("the task table holds no task rows")
    year = plan_year(plan_id, header)
    memory = build_memory(root, skip_plan=plan_id)
    source_name = re.sub(r"[^\w.-]+", "-", file.stem) + ".txt"
    draft = compose(
        parsed, header, memory, known_pillars(root, plan_id), city=city, plan_id=plan_id, year=year,
        source_file=source_name, table_heading=grid.heading_line, footnote=grid.footnote, registry=registry,
    )  # fmt: skip
    folder = content / "plans" / plan_id
    note = f"# Draft imported from {file.name} by `python -m generator import`: review it ({REVIEW}).\n"
    files = {folder / rel: text for rel, text in drafting.plan_files(draft.plan, draft.tasks, note).items()}
    source_path = content / "sources" / source_name
    blocking = drafting.existing([*files, folder / REVIEW])
    if blocking and not force:
        shown = ", ".join(p.relative_to(root).as_posix() for p in blocking)
        raise ImportRefused(f"{shown} already exist: nothing written (use --force to overwrite)")
    if source_path.exists() and source_path.read_text(encoding="utf-8", errors="replace") != source_text and not force:
        raise ImportRefused(f"{source_path.relative_to(root)} exists with other text: nothing written (--force)")
    if force and (folder / "tasks").is_dir():
        for old in (folder / "tasks").glob("*.yaml"):  # a re-import replaces the whole task list
            old.unlink()
    try:
        drafting.write(files)
    except OSError as error:
        raise ImportRefused(f"cannot write the draft: {error}") from None
    if file.suffix.lower() == ".docx" or not source_path.exists():
        source_path.parent.mkdir(parents=True, exist_ok=True)
        if file.suffix.lower() == ".docx":
            source_path.write_text(source_text, encoding="utf-8")
        else:
            shutil.copyfile(file, source_path)
    additions = drafting.registry_addition(book.proposed, file.name)
    written = [p.relative_to(root).as_posix() for p in files] + [source_path.relative_to(root).as_posix()]
    if additions:
        drafting.append(city_file, additions)
        written.append(city_file.relative_to(root).as_posix() + f" (+{len(book.proposed)} proposed agencies)")
    written.append((folder / REVIEW).relative_to(root).as_posix())
    problems = _problems(root, plan_id)
    english = (memory.found, memory.asked)
    common = {"source": file.name, "plan_id": plan_id, "parsed": parsed, "draft": draft, "book": book, "header": header,
                  "english": english, "problems": problems, "written": written}  # fmt: skip
    (folder / REVIEW).write_text(report(**common, full=True), encoding="utf-8")  # type: ignore[arg-type]
    print(report(**common, full=False), end="")  # type: ignore[arg-type]
    return 0


def _problems(root: Path, plan_id: str) -> list:  # type: ignore[type-arg]
    """`check`'s problems for the imported plan and the city registry (other plans' are not ours)."""
    from generator.base.errors import ContentError

    try:
        _, problems = load_content(root)
    except ContentError as error:
        problems = error.problems
    mine = (f"content/plans/{plan_id}/", "content/cities/")
    return [p for p in problems if p.path.startswith(mine)]
