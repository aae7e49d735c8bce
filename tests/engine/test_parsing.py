"""parse_module skips libcst's per-node checks only while parsing (same trees, same errors);
fewer_collections gives the collector's thresholds back."""

from __future__ import annotations

import argparse
import gc
from pathlib import Path

import libcst as cst
import pytest

from reviewer.engine.parsing import fewer_collections, parse_module


def test_trees_and_code_are_libcst_s() -> None:
    source = Path(argparse.__file__).read_text()
    ours = parse_module(source)
    assert ours.deep_equals(cst.parse_module(source))
    assert ours.code == source


def test_syntax_errors_are_libcst_s_and_validation_comes_back() -> None:
    with pytest.raises(cst.ParserSyntaxError):
        parse_module("def f(:\n")
    # after a parse (even a failed one) nodes built by hand are validated again
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")


def test_fewer_collections_restores_the_thresholds_after_overlapping_blocks() -> None:
    before = gc.get_threshold()
    outer = fewer_collections()
    outer.__enter__()
    inner = fewer_collections()
    inner.__enter__()
    assert gc.get_threshold()[0] == 50_000
    outer.__exit__(None, None, None)  # blocks of two threads may end in either order
    assert gc.get_threshold()[0] == 50_000  # the other block is still building trees
    inner.__exit__(None, None, None)
    assert gc.get_threshold() == before
