"""parse_module skips libcst's per-node checks only while parsing: same trees, same errors."""

from __future__ import annotations

import argparse
from pathlib import Path

import libcst as cst
import pytest

from reviewer.engine.parsing import parse_module


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
