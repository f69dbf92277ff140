"""Escaping, end to end: every kind of text field in the content YAML gets markup, a script, a Markdown
javascript: link and Jinja syntax appended; every page of the built site shows them as the literal text,
and in the browser no script runs and no dialog opens. Coverage is checked against the model, so a new
text field without a place in this test fails it."""

from __future__ import annotations

import json
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser
from pydantic import BaseModel

from generator.__main__ import main
from generator.content.deadlines import read_deadline
from generator.content.model import City, PillarFile, Plan, Task, Text
from generator.content.procedures import Procedure

from .browser import serve_site
from .conftest import FIXTURES, make_root

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> [x](javascript:alert(1)) {{ 7*7 }} {% if x %} **strongly**'
TAG = re.compile(r"«F(\d+)»")
FILES: dict[str, type[BaseModel]] = {  # glob under content/ -> the model of one record of the file
    "pillars.yaml": PillarFile,
    "cities/*.yaml": City,
    "plans/*/plan.yaml": Plan,
    "plans/*/tasks/*.yaml": Task,
    "procedures/*.yaml": Procedure,
}


def t(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


# Text fields the mini fixture leaves empty, so that every field of the model carries a payload.
PLAN_EXTRA: dict[str, Any] = {
    "purposes": [{"marker": "1.", "text": t("Mục đích", "Purpose")}],
    "targets": [
        {
            "marker": "a)",
            "text": t("Chỉ tiêu 90%", "Target 90%"),
            "figures": [{"value": 90, "unit": "%", "comparator": "at_least", "measure": t("Tỉ lệ", "Share")}],
        }
    ],
    "general_tasks": [{"marker": "1.", "heading": t("Nhiệm vụ chung", "General task"), "items": [t("Việc", "Item")]}],
    "general_duties": [{"marker": "1.", "text": t("Trách nhiệm chung", "General duty")}],
    "duties": [
        {
            "marker": "2.",
            "heading": t("Sở Nội vụ", "Home Affairs"),
            "agencies": ["so-noi-vu"],
            "items": [{"marker": "a)", "text": t("Theo dõi", "Monitor")}],
        }
    ],
    "reporting_calendar": [
        {
            "period": "2021-Q1",
            "report": t("Báo cáo quý I", "Q1 report"),
            "due": {"text": t("trước 05/3", "by 5 March"), "date": "2021-03-05"},
        }
    ],
    "task_list": {"heading": t("Nhiệm vụ", "Tasks"), "intro": t("Như sau", "As follows"), "footnote": t("(*)", "(*)")},
    "closing": t("Yêu cầu thực hiện", "To be carried out"),
}
DECISION_EXTRA: dict[str, Any] = {
    "legal_bases": [t("Căn cứ Luật", "Pursuant to the Law")],
    "articles": [{"marker": "Điều 1.", "text": t("Ban hành", "Promulgate")}],
}
TASK_EXTRA: dict[str, dict[str, Any]] = {
    "1-a": {
        "notes": t("Ghi chú", "Note"),
    },
}
TRIGGER = t("Khi có văn bản", "When the document is issued")
# Texts no page shows: agency cells are quoted as printed (Vietnamese); deadline triggers
# are not rendered. A field that starts being shown is checked like the others.
NOT_SHOWN = {
    "Task.lead.printed.en",
    "Task.coordinating.printed.en",
    "Task.deadline.trigger.vi",
    "Task.deadline.trigger.en",
}


def text_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted paths (list levels left out) of every Text field of a model, recursively."""
    paths = set()
    for name, info in model.model_fields.items():
        for kind in _leaves(info.annotation):
            if kind is Text:
                paths.add(prefix + name)
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                paths |= text_fields(kind, f"{prefix}{name}.")
    return paths


def _leaves(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, list, typing.Annotated):
        return [leaf for arg in typing.get_args(annotation) for leaf in _leaves(arg)]
    return [annotation]


def add_payloads(node: Any, path: str, tags: dict[str, str]) -> None:
    """Append a numbered tag and the payload to every Text value under `node`; `tags` maps each tag number
    to the field's path and language."""
    if isinstance(node, dict):
        if isinstance(node.get("vi"), str) and set(node) <= {"vi", "en"}:
            for lang in node:
                number = str(len(tags) + 1)
                tags[number] = f"{path}.{lang}"
                node[lang] = f"{node[lang]} «F{number}» {PAYLOAD}"
            return
        for key, value in node.items():
            add_payloads(value, f"{path}.{key}", tags)
    elif isinstance(node, list):
        for value in node:
            add_payloads(value, path, tags)


def pin_deadline(task: dict[str, Any], year: int) -> None:
    """Give a deadline's meaning explicitly: with the payload appended, its text no longer parses."""
    deadline = task.get("deadline")
    if not deadline or "kind" in deadline:
        return
    reading = read_deadline(deadline["text"]["vi"], year)
    deadline["kind"] = reading.kind
    for key in ("start", "end"):
        if getattr(reading, key):
            deadline[key] = getattr(reading, key).isoformat()
    if reading.kind == "milestones":
        deadline["milestones"] = [
            {"label": t(m.label_vi, m.label_en or m.label_vi), "kind": m.kind}
            | {k: v.isoformat() for k, v in (("start", m.start), ("end", m.end)) if v}
            for m in reading.milestones
        ]
    if reading.kind in ("event", "conditional"):
        deadline["trigger"] = dict(TRIGGER)


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The mini fixture plus a procedure, with the payload in every text field; built with search."""
    root = make_root(tmp_path_factory.mktemp("escaping"), FIXTURES / "escaping")
    tags: dict[str, str] = {}
    missing = []
    for pattern, model in FILES.items():
        before = len(tags)
        for file in sorted((root / "content").glob(pattern)):
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            if model is Plan:
                data.update(PLAN_EXTRA)
                data["decision"].update(DECISION_EXTRA)
            for task in data if model is Task else []:
                task.update(TASK_EXTRA.get(task["id"], {}))
                pin_deadline(task, 2021)
            add_payloads(data, model.__name__, tags)
            file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        found = {path.rsplit(".", 1)[0] for path in list(tags.values())[before:]}
        missing += sorted({f"{model.__name__}.{path}" for path in text_fields(model)} - found)
    assert not missing, f"text fields without a payload (add them to this test): {missing}"
    assert main(["--root", str(root), "build"]) == 0
    return root / "site", tags


class _Scan(HTMLParser):
    """Finds what would run (scripts, handlers, javascript: URLs, injected images) and the tagged texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.running: list[str] = []
        self.texts: list[str] = []
        self.svg_texts: list[str] = []  # the diagram wraps labels over several <text> lines
        self._in_script = False
        self._data_block = False  # a JSON-LD block: data, not code, as long as it parses whole
        self._svg: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self._data_block = self._in_script and dict(attrs).get("type") == "application/ld+json"
        if tag == "svg":
            self._svg = []
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "__pwned" in value:
                self.running.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and value.strip().lower().startswith("javascript:"):
                self.running.append(f"<{tag} {name}={value!r}>")
            if tag == "img" and name == "src" and value == "x":
                self.running.append("<img src=x>")
            if "«F" in value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._data_block = False
        if tag == "svg" and self._svg is not None:
            self.svg_texts.append("".join(self._svg))
            self._svg = None

    def handle_data(self, data: str) -> None:
        if self._data_block:
            try:
                json.loads(data)
            except ValueError:  # the text ended the element early: what follows it would run
                self.running.append(f"<script type=application/ld+json> cut short: {data[-80:]}")
        elif self._in_script and "__pwned" in data:
            self.running.append(f"<script>{data[:80]}")
        elif self._svg is not None:
            self._svg.append(data)
        elif "«F" in data:
            self.texts.append(data)


def literal_after_tags(text: str, payload: str = PAYLOAD, gap: int = 1) -> list[str]:
    """The tagged payloads in a text that are not the literal payload (or a shortened start of it)."""
    wrong = []
    for match in TAG.finditer(text):
        shown = text[match.end() + gap : match.end() + gap + len(payload)]
        shown = shown.split("…")[0].rstrip()  # long texts are shortened in tables, titles and descriptions
        if shown != payload and not (shown and payload.startswith(shown) and len(shown) < len(payload)):
            wrong.append(f"F{match.group(1)}: {shown!r}")
    return wrong


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_text_field_is_shown_as_text_on_every_page(payload_site: tuple[Path, dict[str, str]]) -> None:
    site, tags = payload_site
    seen: set[str] = set()
    problems = []
    pages = sorted(site.rglob("*.html"))
    for file in pages:
        html = file.read_text(encoding="utf-8")
        scan = _Scan()
        scan.feed(html)
        name = file.relative_to(site).as_posix()
        problems += [f"{name}: would run {what}" for what in scan.running]
        for text in scan.texts:
            seen |= set(TAG.findall(text))
            problems += [f"{name}: not literal: {what}" for what in literal_after_tags(text)]
        for text in scan.svg_texts:  # lines of a label are split anywhere, dropping the space at the break
            seen |= set(TAG.findall(text))
            wrong = literal_after_tags(squeezed(text), squeezed(PAYLOAD), gap=0)
            problems += [f"{name}: not literal in the diagram: {what}" for what in wrong]
        if "<strong>strongly</strong>" in html or "<em>strongly</em>" in html:
            problems.append(f"{name}: Markdown emphasis was interpreted")
    print(f"\nescaping: {len(tags)} payloads in {len(pages)} pages, {len(seen)} of them shown in HTML")
    assert not problems, "\n".join(problems[:40])
    # Every payload is on some page, else the checks above would pass by testing nothing.
    unseen = {tags[number] for number in set(tags) - seen}
    assert unseen <= NOT_SHOWN, f"never shown: {sorted(unseen - NOT_SHOWN)}"


@pytest.mark.browser
def test_no_script_runs_in_the_browser(payload_site: tuple[Path, dict[str, str]], browser: Browser) -> None:
    site, _ = payload_site
    dialogs: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_site(site) as base:
        paths = ["/" + p.relative_to(site).parent.as_posix() + "/" for p in site.rglob("index.html")]
        for path in sorted(paths):
            page.goto(base + path.replace("/./", "/"))
            assert page.evaluate("typeof window.__pwned") == "undefined", path
        # The finder draws Pagefind results with its own script: search a text that carries the payload.
        page.goto(base + "/en/tra-cuu/?q=Digitise")
        page.wait_for_selector("#finder-list li.finder-result")
        assert "<script>window.__pwned=1</script>" in page.locator("#finder-list").inner_text()
        page.goto(base + "/ke-hoach/alpha-2021/2-b/")
        assert "Số hóa hồ sơ «F" in page.locator("article").inner_text()
        assert PAYLOAD in page.locator("article").inner_text()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        # The probe itself works: the same markup, when it does reach the DOM as HTML, runs.
        page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<img src=x onerror="window.__pwned=2">')""")
        page.wait_for_function("typeof window.__pwned === 'number'")
    context.close()
    assert dialogs == []


def test_the_scan_finds_what_would_run_or_is_escaped_twice() -> None:
    scan = _Scan()
    scan.feed(
        '<script>window.__pwned=1</script><a href="javascript:alert(1)">x</a><img src=x onerror="window.__pwned=2">'
    )
    assert len(scan.running) == 4
    assert literal_after_tags("Đà Lạt «F9» " + PAYLOAD) == []
    assert literal_after_tags("Đà Lạt «F9» " + PAYLOAD[:30] + "…") == []
    assert literal_after_tags("Đà Lạt «F9» &lt;script&gt;window") == ["F9: '&lt;script&gt;window'"]
