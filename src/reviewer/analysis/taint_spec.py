"""The shared taint specification (rules/taint.toml: sources by kind, sanitizers, handler shapes)
and the index that finds which of a rule's source, sanitizer or sink patterns can match a node."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import libcst as cst

from reviewer.engine.packs import BUILTIN_DIRECTORIES
from reviewer.engine.patterns import Pattern, compile_pattern

#: Beside the built-in packs: reviewer/_packs in a wheel, rules/ in a source checkout.
_DEFAULTS = tuple(directory.parent / "taint.toml" for directory in BUILTIN_DIRECTORIES)


@dataclass(frozen=True)
class TaintDefaults:
    """rules/taint.toml: the sources, sanitizers and handler shapes every taint rule shares."""

    sources: dict[str, tuple[Pattern, ...]]  #: by kind: request, process, files, network, llm
    sanitizers: tuple[Pattern, ...]
    clean_methods: frozenset[str]
    validators: re.Pattern[str]
    handler_decorators: tuple[Pattern, ...]
    handler_skip_parameters: frozenset[str]

    @property
    def source_kinds(self) -> tuple[str, ...]:
        return tuple(self.sources)


@cache
def defaults() -> TaintDefaults:
    path = next((p for p in _DEFAULTS if p.is_file()), None)
    if path is None:
        raise FileNotFoundError(f"taint defaults not found (looked in {', '.join(map(str, _DEFAULTS))})")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return TaintDefaults(
        {kind: tuple(compile_pattern(p) for p in patterns) for kind, patterns in data["sources"].items()},
        tuple(compile_pattern(p) for p in data["sanitizers"]),
        frozenset(data["clean-methods"]),
        re.compile(data["validators"]),
        tuple(compile_pattern(p) for p in data["handler-decorators"]),
        frozenset(data["handler-skip-parameters"]),
    )


class PatternIndex:
    """Patterns grouped by the node type they can match and the called name, for fast lookup."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.by_type: dict[type, list[Pattern]] = {}
        self.calls: dict[str | None, list[Pattern]] = {}
        #: Dotted names without metavariables, by qualified name: one lookup instead of a match.
        self.names: dict[str, Pattern] = {}
        for pattern in patterns:
            if pattern.qualified is not None:
                self.names[pattern.qualified] = pattern
            elif pattern.dispatch is cst.Call:
                self.calls.setdefault(pattern.call_name, []).append(pattern)
            else:
                for node_type in dispatch_types(pattern):
                    self.by_type.setdefault(node_type, []).append(pattern)

    def candidates(self, node: cst.CSTNode, call_name: str | None) -> Iterator[Pattern]:
        if isinstance(node, cst.Call):
            yield from self.calls.get(call_name, ())
            yield from self.calls.get(None, ())
        else:
            yield from self.by_type.get(type(node), ())


def dispatch_types(pattern: Pattern) -> tuple[type[cst.CSTNode], ...]:
    """Node types a pattern can match: a dotted name compares by qualified name, so
    `flask.request` also matches the bare `request` of `from flask import request`."""
    if pattern.dispatch in (cst.Name, cst.Attribute):
        return (cst.Name, cst.Attribute)
    return (pattern.dispatch,)


def call_name(node: cst.Call, qualified_name: object) -> str | None:
    """The last name of the called function, through import aliases (`c` -> `call`)."""
    func = node.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        resolved = qualified_name(func)  # type: ignore[operator]
        return resolved.rsplit(".", 1)[-1] if resolved else func.value
    return None
