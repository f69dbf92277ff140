"""Compiled Jinja templates kept between runs, the way Python keeps compiled modules in __pycache__.

Compiling a template costs far more than rendering it once: the generator's 25 templates took about
0.35 s of CPU in every build, and the renderer compiles Material's and theme/'s templates again in each
language's run. A `TemplateCache` keeps the code in memory (the second language reuses the first's) and
in `FOLDER` (generator/__pycache__/jinja/, ignored by git like every __pycache__), so a build loads what
an earlier one compiled. Nothing else is kept between builds: every page is still rendered.

When the code is stale:
- a template's file changed: Jinja stores a checksum of the source with its code and compiles afresh
  when they differ (the new code replaces the old; the key is the template's name and absolute path);
- Jinja, Python or a setting that changes the compiled code (delimiters, whitespace control,
  autoescape, extensions and their policies, and whether each filter and test takes the context) changed: each
  combination has its own subfolder (`folder_for`);
- a filter or the wording it reads changed: no effect on code compiled here. Jinja runs a filter on a
  literal at compile time (`{{ 'law' | kind_name }}`) and writes the result into the code; environments
  with this cache never do (`attach`: no optimizer, and `_Unfolded` writes such output as a call), so
  that a changed filter cannot hide behind unchanged templates, and two languages, whose filters
  differ, can share code.
A fresh clone, a read-only checkout or a full disk only compile as before: every failure to read or
write the folder is ignored. Subfolders of older settings stay behind, as old .pyc files do; removing
the folder is always safe. The site is byte-identical with a cold cache and a warm one
(scripts/BENCHMARKS.md, "Full build against the renderer's floor"; tests/test_template_cache.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BytecodeCache, Environment, nodes
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.utils import _PassArg

FOLDER = Path(__file__).resolve().parent.parent / "__pycache__" / "jinja"
# What the compiler reads from an environment (jinja2.Environment.__init__ and compile): a change of
# any of these compiles different code for the same source.
SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def _name(value: object) -> str:
    """A setting in words that do not change from run to run (no addresses of objects)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


def _passes(functions: Mapping[str, Any]) -> str:
    """Which filters (or tests) exist and what each is passed first (context, environment or nothing): the
    compiled call depends on it."""
    return ",".join(f"{name}:{_PassArg.from_obj(f) or ''}" for name, f in sorted(functions.items()))


class _Unfolded(CodeGenerator):
    """Jinja's code generator, but an output that applies a filter or test to literals is computed when the
    template renders, not when it compiles (see the module's note)."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> str:
        if isinstance(node, nodes.Filter | nodes.Test) or any(node.find_all((nodes.Filter, nodes.Test))):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)


def folder_for(env: Environment, top: Path = FOLDER) -> Path:
    """The subfolder for code that `env` compiles: one per Jinja and Python version and compile settings."""
    settings = [f"{name}={_name(getattr(env, name))}" for name in SETTINGS]
    settings.append(f"environment={_name(type(env))}")
    settings.append(f"code_generator={_name(env.code_generator_class)}")
    settings.append(f"filters={_passes(env.filters)}")
    settings.append(f"tests={_passes(env.tests)}")
    settings.append(f"autoescape={_name(env.autoescape)}")
    settings.append(f"finalize={_name(env.finalize)}")
    settings.append("extensions=" + ",".join(sorted(env.extensions)))
    # What extensions read while compiling: the i18n extension's gettext style and its "trimmed" policy.
    settings.append(f"newstyle_gettext={getattr(env, 'newstyle_gettext', None)!r}")
    settings.append("policies=" + ",".join(f"{k}={_name(v)}" for k, v in sorted(env.policies.items())))
    settings.append(f"python={sys.implementation.cache_tag}")
    digest = hashlib.sha256("\n".join(settings).encode()).hexdigest()[:16]
    return top / f"jinja2-{jinja2.__version__}-{digest}"


class TemplateCache(BytecodeCache):
    """Compiled templates in memory and under one folder (see the module's note)."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.code: dict[Path, bytes] = {}

    def _file(self, bucket: Bucket) -> Path:
        # The environment as it compiles (filters included), not as it was when the cache was attached.
        return folder_for(bucket.environment, self.top) / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: Bucket) -> None:
        file = self._file(bucket)
        code = self.code.get(file)
        if code is None:
            try:
                code = file.read_bytes()
            except OSError:
                return
        # Code of another source or another Jinja leaves the bucket empty: Jinja then compiles.
        bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        file = self._file(bucket)
        self.code[file] = code
        with contextlib.suppress(OSError):  # only time is lost
            file.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: builds running at once (tests, serve) never read half a file.
            fd, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(code)
                os.replace(temporary, file)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def clear(self) -> None:
        self.code.clear()


_CACHES: dict[Path, TemplateCache] = {}


def attach(env: Environment, top: Path | None = None) -> TemplateCache:
    """Give `env` the cache under `top` (default `FOLDER`; one per process and folder) before it compiles
    anything. Nothing is folded at compile time any more (see the module's note): the output is the same."""
    env.optimized = False
    env.code_generator_class = _Unfolded
    folder = top or FOLDER
    cache = _CACHES.setdefault(folder, TemplateCache(folder))
    env.bytecode_cache = cache
    return cache
