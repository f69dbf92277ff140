"""The maintainer's guide (content/pages/huong-dan.*.md), followed step by step, and the pre-commit hook.

The guide is written to be machine-read: each file example is a ```yaml block whose first line names its
file (`# content/cities/can-tho.yaml`), commands are ```sh blocks and the error example is a ```text
block. The walk-through below runs them in order as a maintainer would, in a clone of a small project,
and fails as soon as an example or a command goes stale.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import os
import re
import shutil
import subprocess
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from generator.content.labels import LABELS, STATUS_NAMES
from generator.content.model import AgencyKind, ReportStatus
from generator.content.validate import load_content
from generator.forms.report_layout import COLUMN, FIRST_ROW, HEAD_ROWS, REPORT_SHEET
from generator.pages.compiled_report import docx_name, docx_url, print_url
from generator.publish.build import NAV

from .conftest import ROOT, make_root

GUIDES = {lang: ROOT / f"content/pages/huong-dan.{lang}.md" for lang in ("vi", "en")}
PREVIEW = "http://127.0.0.1:8000/"
IMPORT_SECTION = {
    "vi": "\n## 7. Kế hoạch năm sau từ quyết định đã ký",
    "en": "\n## 7. Next year's plan from the signed decision",
}
ERROR = re.compile(
    r"(?P<file>content/\S+):(?P<line>\d+):(?P<column>\d+): (?P<field>\S+): "
    r"unknown agency '(?P<wrong>[a-z0-9-]+)' in [a-z0-9-]+\n"
    r"  hint: did you mean '(?P<right>[a-z0-9-]+)'\?\n"
    r"1 problem in 1 file\n"
)


@dataclass(frozen=True)
class Block:
    """A fenced block of the guide: its language (yaml, sh, text or empty) and its text."""

    lang: str
    text: str

    @property
    def file(self) -> str:
        """The file a yaml example is for, named by its first line."""
        first = self.text.split("\n", 1)[0]
        assert first.startswith("# content/"), f"a yaml example must start with '# content/…': {first!r}"
        return first.removeprefix("# ")

    @property
    def commands(self) -> list[str]:
        return [line for line in self.text.splitlines() if line.strip() and not line.startswith("#")]


def blocks(markdown: str) -> list[Block]:
    return [Block(m[1], m[2]) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", markdown, re.M | re.S)]


def values_listed(markdown: str, field: str) -> dict[str, str]:
    """The values listed as `- <value>: <meaning>` lines under the line that ends with the field's name."""
    found = re.search(rf"`{field}`:\n\n((?:- `[^`]+`: .*\n)+)", markdown)
    assert found, f"no list of the values of {field}"
    return dict(re.findall(r"^- `([^`]+)`: (.*?)[;.]$", found[1], re.M))


def placeholder_free(command: str) -> str:
    """A command with its placeholders (`ĐỊA_CHỈ_KHO`, `OFFICIAL_TEXT.txt`) and commit message blanked."""
    command = re.sub(r'-m ".*"', '-m "…"', command)
    return " ".join("…" if "_" in w and w.split(".")[0].isupper() else w for w in command.split())


def git_env(tmp: Path) -> dict[str, str]:
    """A maintainer's machine: git and pre-commit touch nothing outside `tmp` (no user config, no GIT_DIR),
    and no CI variable (on CI, `check` would add annotations to what it prints)."""
    ci = ("GIT_", "PRE_COMMIT", "GITHUB_", "GITLAB_", "CI_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ci) and k != "CI"}
    (tmp / "gitconfig").write_text("")
    return env | {
        "GIT_CONFIG_GLOBAL": str(tmp / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Cán bộ cập nhật",
        "GIT_AUTHOR_EMAIL": "maintainer@example.invalid",
        "GIT_COMMITTER_NAME": "Cán bộ cập nhật",
        "GIT_COMMITTER_EMAIL": "maintainer@example.invalid",
        "PRE_COMMIT_HOME": str(tmp / "pre-commit-home"),
    }


def shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def project(tmp: Path) -> Path:
    """A project like the real one: the mini fixture's content, the real guide, generator, Makefile, hook."""
    root = make_root(tmp)
    for lang, guide in GUIDES.items():
        shutil.copy(guide, root / f"content/pages/huong-dan.{lang}.md")
    shutil.copytree(ROOT / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", ".pre-commit-config.yaml", ".gitignore"):
        shutil.copy(ROOT / name, root / name)
    return root


def recipe(target: str) -> str:
    """The command `make <target>` runs, with .venv/bin for $(BIN)."""
    found = re.search(rf"^{target}:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert found, f"no target {target} in the Makefile"
    return found[1].replace("$(BIN)", ".venv/bin")


# The two languages and the model.


def test_both_languages_show_the_same_examples_and_commands() -> None:
    vi, en = (GUIDES[lang].read_text(encoding="utf-8") for lang in ("vi", "en"))
    vi_blocks, en_blocks = blocks(vi), blocks(en)
    assert [b.lang for b in vi_blocks] == [b.lang for b in en_blocks]
    for one, other in zip(vi_blocks, en_blocks, strict=True):
        if one.lang == "sh":
            assert [placeholder_free(c) for c in one.commands] == [placeholder_free(c) for c in other.commands]
        else:
            assert one.text == other.text
    assert re.findall(r"<(http://[^>]+)>", vi) == re.findall(r"<(http://[^>]+)>", en)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_guide_lists_the_values_the_model_allows(lang: str) -> None:
    guide = GUIDES[lang].read_text(encoding="utf-8")
    assert list(values_listed(guide, "kind")) == list(typing.get_args(AgencyKind))
    assert list(values_listed(guide, "status")) == list(typing.get_args(ReportStatus))
    pillars = yaml.safe_load((ROOT / "content/pillars.yaml").read_text(encoding="utf-8"))["pillars"]
    assert values_listed(guide, "pillar") == {p["id"]: p["name"][lang] for p in pillars}
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    version = re.search(r"\*\*Python (3\.\d+)\*\*", guide)
    assert version
    assert version[1] == python.removeprefix(">=")
    # The common error messages it quotes are the generator's own wording.
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "generator").rglob("*.py"))
    common = guide.split("`1 problem in 1 file`", 1)[1].split("\n## ", 1)[0]
    quoted = re.findall(r"^- (`.*?`): ", common, re.M)
    assert len(quoted) == 6
    for message in re.findall(r"`([^`]+)`", " ".join(quoted)):
        for part in message.split("…"):
            assert part.strip() in sources, f"the guide quotes a message the generator never prints: {part!r}"


def test_the_guide_is_in_the_navigation() -> None:
    assert ("guide", "huong-dan/index.md") in NAV
    assert {LABELS[lang]["guide"] for lang in ("vi", "en")} == {"Hướng dẫn cập nhật", "Maintainer's guide"}


def test_the_examples_are_valid_in_the_real_content_too(tmp_path: Path) -> None:
    root = tmp_path / "real"
    shutil.copytree(ROOT / "content", root / "content")
    guide = blocks(GUIDES["vi"].read_text(encoding="utf-8"))
    for block in guide:
        if block.lang == "yaml":
            file = root / block.file
            assert not (ROOT / block.file).exists(), f"the example would overwrite {block.file}"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(block.text, encoding="utf-8")
        for command in block.commands if block.lang == "sh" else []:
            if command.startswith("cp "):
                (root / command.split()[2]).write_text("Số: 0000/QĐ-UBND\n", encoding="utf-8")
    content, problems = load_content(root)
    assert problems == []
    plans = {yaml.safe_load(b.text)["id"] for b in guide if b.lang == "yaml" and b.file.endswith("/plan.yaml")}
    assert plans
    assert plans <= {p.plan.id for p in content.plans}


# The walk-through.


def fill_form(form: Path) -> None:
    """An agency fills in its report form: the report's date, and 'in progress' on every task row (no text, so
    nothing to translate: keeping the English added after an import is tests/test_report_forms.py's)."""
    book = load_workbook(form)
    sheet = book[REPORT_SHEET]
    sheet[f"C{HEAD_ROWS['date']}"] = dt.date(2021, 6, 30)
    row = FIRST_ROW
    while sheet[f"{COLUMN['task_id'].letter}{row}"].value:
        sheet[f"{COLUMN['status'].letter}{row}"] = STATUS_NAMES["vi"]["in_progress"]
        row += 1
    book.save(form)


@dataclass
class Maintainer:
    """Runs the guide's commands where a maintainer would, and remembers what they printed."""

    origin: Path
    env: dict[str, str]
    cwd: Path
    checks: list[str] = field(default_factory=list)
    created: set[str] = field(default_factory=set)
    previewed: bool = False
    forms: Path = Path()
    imported: set[str] = field(default_factory=set)
    compiled: list[Path] = field(default_factory=list)

    def run(self, command: str) -> None:
        words = command.split()
        if words[-1] == "--version":
            assert shell(command, self.cwd, self.env).returncode == 0, command
        elif words[:2] == ["git", "clone"]:  # the address is a placeholder: the test's origin stands for it
            assert len(words) == 4, command
            self._ok(f"git clone {self.origin} {words[3]}")
        elif words[0] == "cd":
            self.cwd = self.cwd / words[1]
        elif command == "make check":
            if not (self.cwd / ".venv").exists():  # what make does the first time: see the Makefile's $(STAMP)
                (self.cwd / ".venv").symlink_to(ROOT / ".venv")
            self.checks.append(self._ok(recipe("check")))
            assert self.checks[-1].endswith("content is valid\n")
        elif command == "make serve":
            serve = recipe("serve")
            assert serve.endswith(" -m generator serve")
            # `serve` first builds the site without a search index, then serves it: build the same way.
            self._ok(serve.removesuffix(" serve") + " build --no-search")
            self.previewed = True
        elif command == "make site":
            assert recipe("site").endswith(" -m generator build")
            self._ok(recipe("site"))
        elif words[0] == "cp":  # the official text: any plain text file of the maintainer's
            assert len(words) == 3, command
            assert words[2].startswith("content/sources/"), command
            (self.cwd / words[1]).write_text("Số: 0000/QĐ-UBND\nKẾ HOẠCH\n", encoding="utf-8")
            self._ok(command)
            self.created.add(words[2])
        elif words[:4] == [".venv/bin/python", "-m", "generator", "report-form"]:
            assert "--out" in words, command
            self.forms = self.cwd / words[words.index("--out") + 1]
            self._ok(command)
            assert sorted(self.forms.glob("*.xlsx")), command
        elif words[:4] == [".venv/bin/python", "-m", "generator", "report-import"]:
            for form in sorted(self.forms.glob("*.xlsx")):  # the agencies' part: every form comes back filled
                fill_form(form)
            printed = self._ok(command)
            wrote = re.findall(r"^wrote (content/\S+) from ", printed, re.M)
            assert wrote, printed
            self.created |= set(wrote)
            self.imported |= set(wrote)
        elif words[:4] == [".venv/bin/python", "-m", "generator", "report-summary"]:
            plan, period = (words[words.index(flag) + 1] for flag in ("--plan", "--period"))
            self._ok(command)
            written = self.cwd / words[words.index("--out") + 1] / docx_name(plan, period)
            text = "\n".join(paragraph.text for paragraph in Document(str(written)).paragraphs)
            assert "BÁO CÁO" in text, text
            self.compiled.append(written)
        elif words[0] == ".venv/bin/pre-commit" or words[0] == "git":
            self._ok(command)
        else:
            pytest.fail(f"the guide runs a command this test does not know: {command}")

    def _ok(self, command: str) -> str:
        result = shell(command, self.cwd, self.env)
        assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
        return result.stdout

    def write(self, block: Block, written: dict[str, str]) -> None:
        """Create or change the file a yaml example is for; a change may only add lines."""
        if block.file in written:
            steps = difflib.SequenceMatcher(None, written[block.file].splitlines(), block.text.splitlines())
            assert {op for op, *_ in steps.get_opcodes()} <= {"equal", "insert"}, f"{block.file} loses lines"
        file = self.cwd / block.file
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(block.text, encoding="utf-8")
        written[block.file] = block.text
        self.created.add(block.file)

    def make_the_mistake(self, block: Block) -> None:
        """Make the guide's example mistake, check that `make check` prints exactly its text, undo it."""
        found = ERROR.fullmatch(block.text)
        assert found, f"the error example is not an unknown-agency message:\n{block.text}"
        file = self.cwd / found["file"]
        good = file.read_text(encoding="utf-8")
        lines = good.split("\n")
        line, column = int(found["line"]) - 1, int(found["column"]) - 1
        assert lines[line][column:].startswith(found["right"]), "line and column do not point at the id"
        lines[line] = lines[line][:column] + found["wrong"] + lines[line][column + len(found["right"]) :]
        file.write_text("\n".join(lines), encoding="utf-8")
        result = shell(recipe("check"), self.cwd, self.env)
        assert (result.returncode, result.stdout) == (1, block.text)
        file.write_text(good, encoding="utf-8")


def test_following_the_guide_publishes_a_new_plan_report_and_procedure(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    upstream = project(tmp_path / "upstream")
    for command in ("git init -q -b main", "git add -A", "git commit -q -m 'Mini project'"):
        assert shell(command, upstream, env).returncode == 0, command
    origin = tmp_path / "origin.git"
    assert shell(f"git clone -q --bare {upstream} {origin}", tmp_path, env).returncode == 0
    desk = tmp_path / "desk"
    desk.mkdir()
    maintainer = Maintainer(origin, env, desk)

    # Sections 1–6; section 7 (next year's plan by import) is followed by tests/test_guide_import.py.
    guide = GUIDES["vi"].read_text(encoding="utf-8").split(IMPORT_SECTION["vi"], 1)[0]
    written: dict[str, str] = {}
    for block in blocks(guide):
        if block.lang == "yaml":
            maintainer.write(block, written)
        elif block.lang == "sh":
            for command in block.commands:
                maintainer.run(command)
        elif block.lang == "text":
            maintainer.make_the_mistake(block)
        else:
            pytest.fail(f"a block of unknown kind '{block.lang}' in the guide")
    clone = maintainer.cwd

    # The check's summary lines that the guide quotes are what it printed.
    for line in re.findall(r"`([a-z0-9-]+: \d+ tasks, English [^`]+)`", guide):
        assert any(line in out for out in maintainer.checks), line
    # Every file the guide names exists in the real project or was made by following it.
    for path in re.findall(r"`(content/[\w./-]+)`", guide):
        assert (ROOT / path).exists() or (clone / path).exists(), path

    # Published: the commit went through the hook and reached the origin's main branch.
    assert (clone / ".git/hooks/pre-commit").exists()
    head = shell("git rev-parse HEAD", clone, env).stdout
    assert shell("git rev-parse main", origin, env).stdout == head
    sent = shell("git show --name-only --format= HEAD", clone, env).stdout.split()
    assert set(sent) == maintainer.created

    # What the maintainer looks at on the preview.
    site = clone / "site"
    assert maintainer.previewed
    for url in re.findall(rf"<{re.escape(PREVIEW)}([^>]*)>", guide):
        assert (site / url / "index.html").exists(), url
    examples = {b.file: yaml.safe_load(b.text) for b in blocks(guide) if b.lang == "yaml"}
    plans = [data for file, data in examples.items() if file.endswith("/plan.yaml")]
    cities = [data for file, data in examples.items() if file.startswith("content/cities/")]
    tasks = [(file.split("/")[2], task) for file, data in examples.items() if "/tasks/" in file for task in data]
    procedures = [data for file, data in examples.items() if file.startswith("content/procedures/")]
    reports = [(file.split("/")[2], data) for file, data in examples.items() if "/reports/" in file]
    assert len(reports) == 1
    assert len(plans) == len(cities) == len(procedures) == 1
    assert len(tasks) == 2
    for lang, prefix in (("vi", ""), ("en", "en/")):
        home = (site / prefix / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<a href="huong-dan/"[^>]*>\s*{re.escape(LABELS[lang]["guide"])}\s*</a>', home)
        page = (site / prefix / "huong-dan/index.html").read_text(encoding="utf-8")
        assert "can-tho-2021/tasks/1.yaml:11:16" in page
        for plan in plans:
            assert (site / prefix / f"ke-hoach/{plan['id']}/index.html").exists()
        for city in cities:
            for agency in city["agencies"]:
                assert (site / prefix / f"co-quan/{city['id']}/{agency['id']}/index.html").exists()
        for plan_id, task in tasks:
            page = (site / prefix / f"ke-hoach/{plan_id}/{task['id']}/index.html").read_text(encoding="utf-8")
            assert html.escape(task["text"][lang], quote=False) in page
            for report_plan, report in reports:
                for entry in report["entries"] if report_plan == plan_id else []:
                    if entry["task"] == task["id"]:
                        assert STATUS_NAMES[lang][entry["status"]] in page
        for procedure in procedures:
            page = (site / prefix / f"quy-trinh/{procedure['id']}/index.html").read_text(encoding="utf-8")
            assert 'class="pd-svg' in page
            for step in procedure["steps"]:
                assert html.escape(step["label"][lang], quote=False) in page
            for key in procedure["related_tasks"]:
                task_page = (site / prefix / f"ke-hoach/{key}/index.html").read_text(encoding="utf-8")
                assert f"quy-trinh/{procedure['id']}/" in task_page
    # The reports imported from the agencies' forms: their tasks' pages show the status the forms gave.
    assert maintainer.imported
    for file in maintainer.imported:
        plan_id = file.split("/")[2]
        for entry in yaml.safe_load((clone / file).read_text(encoding="utf-8"))["entries"]:
            for lang, prefix in (("vi", ""), ("en", "en/")):
                page = (site / prefix / f"ke-hoach/{plan_id}/{entry['task']}/index.html").read_text(encoding="utf-8")
                assert STATUS_NAMES[lang][entry["status"]] in page
    # The compiled report the office prints is the one the period's page offers for download.
    assert maintainer.compiled
    for written in maintainer.compiled:
        plan_id, period = re.fullmatch(r"bao-cao-tong-hop-(.+-\d{4})-(\d{4}-Q\d)\.docx", written.name).groups()
        assert (site / docx_url(plan_id, period)).read_bytes() == written.read_bytes()
        assert (site / print_url(plan_id, period) / "index.html").exists()
    for file in maintainer.created:
        if file.startswith("content/sources/"):
            assert (site / "nguon" / Path(file).name).exists()
    assert (site / "pagefind/pagefind.js").exists()  # `make site` builds the search index too


# The pre-commit hook on its own.


def hooked_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    env = git_env(tmp_path)
    root = project(tmp_path)
    (root / ".venv").symlink_to(ROOT / ".venv")
    for command in ("git init -q -b main", ".venv/bin/pre-commit install", "git add -A ':!.venv'"):
        result = shell(command, root, env)
        assert result.returncode == 0, result.stdout + result.stderr
    return root, env


def test_the_hook_lets_valid_content_through_and_stops_broken_content(tmp_path: Path) -> None:
    root, env = hooked_repo(tmp_path)
    first = shell("git commit -m 'Valid content'", root, env)
    assert first.returncode == 0, first.stdout + first.stderr
    # git shows what its hooks print on standard error.
    assert re.search(r"check content \(python -m generator check --strict\)\.+Passed", first.stderr)

    tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("[so-noi-vu]", "[so-noi-vu2]", 1), encoding="utf-8")
    shell("git add content", root, env)
    stopped = shell("git commit -m 'Broken content'", root, env)
    assert stopped.returncode == 1
    assert re.search(r"check content \(python -m generator check --strict\)\.+Failed", stopped.stderr)
    assert (
        "content/plans/alpha-2021/tasks/1.yaml:8:16: [0].lead.agencies[0]: unknown agency 'so-noi-vu2' in alpha\n"
        "  hint: did you mean 'so-noi-vu'?\n"
    ) in stopped.stderr
    assert shell("git log --format=%s", root, env).stdout == "Valid content\n"


def test_the_hook_is_as_strict_as_ci_about_missing_english(tmp_path: Path) -> None:
    root, env = hooked_repo(tmp_path)
    tasks = root / "content/plans/alpha-2021/tasks/1.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace(", en: Digitise dossiers}", "}"), encoding="utf-8")
    shell("git add content", root, env)
    stopped = shell("git commit -m 'Untranslated'", root, env)
    assert stopped.returncode == 1
    assert (
        "content/plans/alpha-2021/tasks/1.yaml:58:9: warning: [4].text.en: missing English translation"
        in stopped.stderr
    )


def test_the_hook_runs_on_content_and_generator_changes_only() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert config["repos"][0]["repo"] == "local"
    assert (hook["language"], hook["pass_filenames"]) == ("system", False)
    assert re.match(hook["files"], "content/plans/x/plan.yaml")
    assert re.match(hook["files"], "generator/content/model.py")
    assert not re.match(hook["files"], "README.md")
    assert hook["entry"] == recipe("check") + " --strict"
    # `make check` installs pre-commit into .venv on a fresh clone, pinned like everything else.
    assert re.search(r"^pre_commit==[\d.]+$", (ROOT / "requirements.lock").read_text(), re.M)
