"""Compiled templates kept between builds (generator/base/template_cache.py): loaded instead of compiled
when nothing changed, compiled afresh when the template, Jinja's settings or a filter changed, and never
a reason for a build to fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, pass_context

from generator.base import template_cache
from generator.base.template_cache import attach, folder_for
from generator.publish import renderer_hooks


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_cache, "_CACHES", {})  # nothing in memory: each test starts as a new build


def _later_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process sees: nothing in memory, what the earlier one wrote on disk."""
    monkeypatch.setattr(template_cache, "_CACHES", {})


def _env(templates: Path, top: Path, **settings: Any) -> Environment:
    env = Environment(loader=FileSystemLoader(templates), **settings)
    attach(env, top)
    return env


def _uncompiled(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("compiled although its code was on disk")

    monkeypatch.setattr(Environment, "compile", refuse)


def _template(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "page.j2").write_text(text, encoding="utf-8")
    return folder


def test_a_later_build_loads_the_code_instead_of_compiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = _template(tmp_path / "t", "{% for i in range(3) %}{{ i }}{% endfor %} {{ name }}")
    assert _env(templates, tmp_path / "cache").get_template("page.j2").render(name="a") == "012 a"
    _later_build(monkeypatch)
    _uncompiled(monkeypatch)
    assert _env(templates, tmp_path / "cache").get_template("page.j2").render(name="b") == "012 b"


def test_an_edited_template_is_compiled_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    templates = _template(tmp_path / "t", "old {{ name }}")
    assert _env(templates, tmp_path / "cache").get_template("page.j2").render(name="a") == "old a"
    _template(templates, "new {{ name }}")
    _later_build(monkeypatch)
    assert _env(templates, tmp_path / "cache").get_template("page.j2").render(name="a") == "new a"


def test_other_settings_keep_their_code_apart(tmp_path: Path) -> None:
    """Whitespace control changes the code compiled from the same source: not loaded for the other setting."""
    templates = _template(tmp_path / "t", "{% if true %}\nyes\n{% endif %}\n")
    plain = _env(templates, tmp_path / "cache")
    trimmed = _env(templates, tmp_path / "cache", trim_blocks=True)
    assert folder_for(plain, tmp_path / "cache") != folder_for(trimmed, tmp_path / "cache")
    assert plain.get_template("page.j2").render() == "\nyes\n"
    assert trimmed.get_template("page.j2").render() == "yes\n"


def test_a_changed_filter_is_not_frozen_into_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja's optimizer would run a filter on a literal at compile time and keep the result in the code, so a
    changed filter (or the wording it reads) would not show until the template changed; `attach` turns it off."""
    templates = _template(tmp_path / "t", "{{ 'law' | kind }}")
    first = _env(templates, tmp_path / "cache")
    first.filters["kind"] = lambda key: f"old {key}"
    assert first.get_template("page.j2").render() == "old law"
    _later_build(monkeypatch)
    _uncompiled(monkeypatch)
    second = _env(templates, tmp_path / "cache")
    second.filters["kind"] = lambda key: f"new {key}"
    assert second.get_template("page.j2").render() == "new law"


def test_a_folder_that_cannot_be_written_or_read_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = _template(tmp_path / "t", "{{ name }}")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _env(templates, blocked).get_template("page.j2").render(name="a") == "a"
    env = _env(templates, tmp_path / "cache")
    env.get_template("page.j2")
    (cached,) = folder_for(env, tmp_path / "cache").glob("*.cache")
    cached.write_bytes(b"garbage")  # a file cut short or from another Jinja: compiled afresh
    _later_build(monkeypatch)
    assert _env(templates, tmp_path / "cache").get_template("page.j2").render(name="b") == "b"


def test_the_renderer_compiles_the_theme_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook gives the renderer's environment the cache before it loads a template."""
    monkeypatch.setattr(template_cache, "FOLDER", tmp_path / "cache")
    env = Environment(loader=FileSystemLoader(_template(tmp_path / "t", "{{ 1 + 1 }}")))
    assert renderer_hooks.on_env(env, {}, None) is env
    assert env.get_template("page.j2").render() == "2"
    assert list(folder_for(env, tmp_path / "cache").glob("*.cache"))


def test_a_filter_that_takes_the_context_keeps_its_code_apart(tmp_path: Path) -> None:
    """The compiled call passes the context first to such a filter: code compiled for the other kind would
    call it wrongly."""
    templates = _template(tmp_path / "t", "{{ name | f }}")
    plain = _env(templates, tmp_path / "cache")
    plain.filters["f"] = lambda value: f"<{value}>"
    contextual = _env(templates, tmp_path / "cache")
    contextual.filters["f"] = pass_context(lambda context, value: f"{context['name']}!")
    assert folder_for(plain, tmp_path / "cache") != folder_for(contextual, tmp_path / "cache")
    assert plain.get_template("page.j2").render(name="a") == "<a>"
    assert contextual.get_template("page.j2").render(name="a") == "a!"


def test_the_i18n_extension_s_settings_keep_their_code_apart(tmp_path: Path) -> None:
    """The renderer's environment has Jinja's i18n extension, which reads its gettext style and the
    "trimmed" policy while compiling a {% trans %} block."""
    templates = _template(tmp_path / "t", "{% trans %}\n  a  b\n{% endtrans %}")
    plain = _env(templates, tmp_path / "cache", extensions=["jinja2.ext.i18n"])
    trimmed = _env(templates, tmp_path / "cache", extensions=["jinja2.ext.i18n"])
    trimmed.policies["ext.i18n.trimmed"] = True
    newstyle = _env(templates, tmp_path / "cache", extensions=["jinja2.ext.i18n"])
    newstyle.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    folders = {folder_for(env, tmp_path / "cache") for env in (plain, trimmed, newstyle)}
    assert len(folders) == 3
    plain.install_null_translations()  # type: ignore[attr-defined]
    trimmed.install_null_translations()  # type: ignore[attr-defined]
    assert plain.get_template("page.j2").render() == "\n  a  b\n"
    assert trimmed.get_template("page.j2").render() == "a  b"
