"""Fuzzing properties shared by the bounded test (tests/engine/test_fuzz.py) and the opt-in long
run (benchmarks/fuzz.py): generated programs and mutated notebooks never crash a review.

A review may refuse input (a LoadError, a per-file ToolError); it may never raise anything else.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import hypothesmith
from hypothesis import strategies as st

from reviewer.config import Config
from reviewer.engine import analyze
from reviewer.engine.runner import RECURSION_LIMIT
from reviewer.model import ToolError
from reviewer.sources import LoadError, load_text

ROOT = Path(__file__).resolve().parents[1]
#: Real notebooks to mutate: the examples and the test corpus (not its crafted hostile files).
NOTEBOOKS = sorted(p for p in [*ROOT.glob("examples/**/*.ipynb"), *ROOT.glob("tests/corpus/**/*.ipynb")]
                   if "hostile" not in p.parts)

CONFIG = Config(cache=False)
# The engine raises the limit on first use; raising it here keeps hypothesis from warning that
# a test changed it.
sys.setrecursionlimit(max(sys.getrecursionlimit(), RECURSION_LIMIT))

programs = hypothesmith.from_grammar()

_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=False),
                       st.text(max_size=40))
json_values = st.recursive(_json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)


def review_text(text: str, name: str) -> list[ToolError]:
    """Load and analyze one file as the engine would; a refusal is returned, anything else raises."""
    try:
        unit = load_text(text, name)
    except LoadError as exc:
        return [ToolError("sources", exc.message, exc.path)]
    findings, errors = analyze(unit, CONFIG)
    for finding in findings:
        assert finding.location.path == name and finding.location.line >= 1, finding
    return errors


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (tuple of keys and indices) inside a JSON value, the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _set(document: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return document


@st.composite
def mutated_notebooks(draw: st.DrawFn) -> str:
    """A real notebook with one to three random edits: a value replaced by random JSON, a key or
    item deleted; sometimes the text itself cut short."""
    source = draw(st.sampled_from(NOTEBOOKS))
    document = json.loads(source.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        delete = bool(path) and draw(st.booleans())
        document = _set(copy.deepcopy(document), path, None if delete else draw(json_values), delete)
    text = json.dumps(document, indent=1)
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text
