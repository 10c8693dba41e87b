"""Property tests for parsers that land with other branches, discovered at run time.

For each candidate module (multipart, resumable reassembly, Office/PDF extractors, HTML banner injection) present
in this checkout, every public function whose only required parameter is annotated `bytes` or `str` (named like
data/body/content/raw/html/payload/text) gets arbitrary input; it may return anything or raise ValueError (or a
subclass), never another exception. Modules that are absent are skipped with that reason; each branch also ships
its own, more specific property tests.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.fuzzing import fuzz_settings

CANDIDATES = [
    "socialguard.inspect.multipart", "socialguard.inspect.resumable", "socialguard.inspect.office",
    "socialguard.inspect.pdf", "socialguard.inspect.extract", "socialguard.inspect.extractors",
    "socialguard.inspect.text", "socialguard.banner.inject", "socialguard.banner.html", "socialguard.banner.insert",
]
INPUT_NAMES = {"data", "body", "content", "raw", "html", "payload", "text", "blob", "document"}


def _targets(module_name: str):
    try:
        mod = importlib.import_module(module_name)
    except ImportError:
        return None
    found = []
    for name, fn in vars(mod).items():
        if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != mod.__name__:
            continue
        try:
            params = list(inspect.signature(fn).parameters.values())
        except (TypeError, ValueError):
            continue
        required = [p for p in params if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY,
                                                                               p.POSITIONAL_OR_KEYWORD)]
        if len(required) != 1 or required[0].name not in INPUT_NAMES:
            continue
        ann = str(required[0].annotation)
        kind = "bytes" if "bytes" in ann else "str" if ann in ("str", "<class 'str'>") else None
        if kind:
            found.append((name, fn, kind))
    return found


@pytest.mark.parametrize("module_name", CANDIDATES)
def test_discovered_parsers_raise_only_value_error(module_name):
    targets = _targets(module_name)
    if targets is None:
        pytest.skip(f"{module_name} not present (feature not merged yet)")
    if not targets:
        pytest.skip(f"{module_name} has no single-input bytes/str function to fuzz")
    for name, fn, kind in targets:
        strategy = st.binary(max_size=2048) if kind == "bytes" else st.text(max_size=2048)

        @fuzz_settings()
        @given(strategy)
        def prop(value):
            try:
                out = fn(value)
                if inspect.isgenerator(out):
                    for _ in out:
                        pass
            except ValueError:
                pass

        prop()
