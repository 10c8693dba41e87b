"""YAML policy files read with their line numbers, validated against a JSON Schema.

The JSON Schema of each file is the single source of truth for its shape: editors use it, and the loader
uses it to reject unknown keys and wrong types with `file:line: message` before any model is built.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# Limits on what one policy file may cost (docs/security.md#policy-files). A policy file is a few KB today.
MAX_FILE_BYTES = 1 << 20            # larger files are refused unread
# Aliases share one node; expanded, a 1 KB "billion laughs" is gigabytes. The expanded size is counted on the
# node graph (scalar characters + 1 per node) before any Python object is built; aliases may legitimately reuse
# lists, so the bound is a few times the largest file rather than the file's own size.
MAX_EXPANDED_SIZE = 4 * MAX_FILE_BYTES
MAX_MESSAGE_CHARS = 300             # a jsonschema message reprs the whole instance: cut it
MAX_PROBLEMS = 50                   # one broken list of 10,000 items is still one screen of problems


def bounded(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` cut to `limit` characters, the cut marked with the length that was dropped; one line."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


class PolicyError(ValueError):
    """One or more problems in policy files; `str()` gives one `file:line: message` per line.

    Messages are bounded (MAX_MESSAGE_CHARS each, MAX_PROBLEMS in all): they reach logs and events, and a
    hostile policy file must not turn them into megabytes."""

    def __init__(self, problems: list[tuple[str, int, str]]):
        kept = [(bounded(str(f), 1000), line, bounded(str(msg))) for f, line, msg in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            f, line, _ = kept[-1]
            kept.append((f, line, f"… and {len(problems) - MAX_PROBLEMS} more problems"))
        self.problems = kept
        super().__init__("\n".join(f"{f}:{line}: {msg}" for f, line, msg in kept))

    @classmethod
    def at(cls, file: str | Path, line: int, message: str) -> "PolicyError":
        return cls([(str(file), line, message)])


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


# libyaml when present: the pure-Python scanner made loading the policy take seconds (proxy and each worker).
class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise PolicyError.at(loader.name, key_node.start_mark.line + 1, f"keys must be strings, got {key!r}")
        if key in result:
            raise PolicyError.at(loader.name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Timestamps and dates stay strings: the schema, not YAML 1.1's guesses, says what a value is.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def line_of(doc: Any, path: list[str | int] | tuple[str | int, ...]) -> int:
    """The line of the deepest node on `path` that the document has."""
    node, line = doc, getattr(doc, "line", 1) or 1
    for part in path:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def expanded_size(root: yaml.Node, limit: int) -> int:
    """The size of the document with every alias expanded (scalar characters + 1 per node), counted on the
    composed node graph with each node's size computed once, so a bomb costs as little as its text.
    Stops counting past `limit`; raises ValueError on a recursive alias (a node that contains itself)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1 + len(node.value)
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        if children_done:
            on_path.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in on_path:
            raise ValueError("recursive alias: a node contains itself")
        on_path.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise ValueError("recursive alias: a node contains itself")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _read_text(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise PolicyError.at(path, 1, f"cannot read: {e.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise PolicyError.at(path, 1, f"larger than {MAX_FILE_BYTES} bytes: refused unread")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise PolicyError.at(path, 1, f"not UTF-8: {e.reason}") from None


def read_yaml(path: Path) -> Any:
    """Parse one YAML file keeping line numbers; YAML syntax errors become PolicyError.

    Bounded: files over MAX_FILE_BYTES are not read, and a document whose aliases expand past
    MAX_EXPANDED_SIZE (or refer to themselves) is refused before any object is built."""
    text = _read_text(path)
    try:
        loader = _LineLoader(text)
    except yaml.YAMLError as e:     # a control character anywhere (found by tests/test_fuzz_policy.py)
        line = text.count("\n", 0, getattr(e, "position", 0)) + 1
        raise PolicyError.at(path, line, f"YAML: {getattr(e, 'reason', e)}") from None
    loader.name = str(path)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            size = expanded_size(node, MAX_EXPANDED_SIZE)
        except ValueError as e:
            raise PolicyError.at(path, 1, f"YAML aliases: {e}") from None
        if size > MAX_EXPANDED_SIZE:
            raise PolicyError.at(path, 1, f"YAML aliases expand this document past {MAX_EXPANDED_SIZE} characters"
                                          " (an alias bomb?): refused")
        return loader.construct_document(node)
    except RecursionError:
        raise PolicyError.at(path, 1, "YAML nested too deeply") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise PolicyError.at(path, line, f"YAML syntax: {e.problem or e.context}") from None
    except yaml.YAMLError as e:
        raise PolicyError.at(path, 1, f"YAML: {e}") from None
    finally:
        loader.dispose()


@cache
def schema(name: str) -> dict:
    """A shipped JSON Schema by file name (e.g. 'platform.schema.json')."""
    text = resources.files("socialguard.policy").joinpath("schemas", name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    s = schema(name)
    cls = jsonschema.validators.validator_for(s)
    cls.check_schema(s)
    return cls(s)


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        hint = ""
        if extra:
            import difflib

            close = difflib.get_close_matches(extra[0], allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"
        return f"unknown key {extra[0]!r}{hint}" if extra else error.message
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def given(data: Any, **fields: Callable[[Any], Any] | tuple[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Dataclass keyword arguments for the keys a policy file gives, converted; absent keys are left out so the
    dataclass's own default applies (defaults are written there only, never in the schema or the parser).

    Each field maps to a converter, or to `(key in the file, converter)` where the file names it differently."""
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        key, convert = spec if isinstance(spec, tuple) else (name, spec)
        if key in data:
            out[name] = convert(data[key])
    return out


@dataclass(frozen=True)
class Document:
    """One validated policy file: its data (with lines) and where it came from."""

    path: Path
    data: Any

    def error(self, keys: list[str | int] | tuple[str | int, ...], message: str) -> PolicyError:
        return PolicyError.at(self.path, line_of(self.data, keys), message)


def load_document(path: Path, schema_name: str) -> Document:
    """Read and validate one policy file; every schema violation is reported with its line."""
    data = read_yaml(path)
    if data is None:
        data = LineDict()
        data.line, data.key_lines = 1, {}
    problems = []
    for error in sorted(_validator(schema_name).iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path_in_doc = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set((error.schema.get("properties") or {}).keys())
            extra = sorted(set(error.instance) - allowed)
            if extra:
                path_in_doc = path_in_doc + [extra[0]]
        problems.append((str(path), line_of(data, path_in_doc), _describe(error)))
    if problems:
        raise PolicyError(problems)
    return Document(path, data)
