"""What counts as a test file, a test class and a test function (shared by the test-hygiene rules)."""

from __future__ import annotations

from pathlib import PurePosixPath

import libcst as cst

from reviewer.engine.imports import dotted_name


def is_test_path(path: str) -> bool:
    """`test*.py`, `*_test.py`, `*_tests.py`, `conftest.py` or anything under a `test`, `tests` or
    `testing` directory."""
    pure = PurePosixPath(path.replace("\\", "/"))
    name = pure.name
    return (
        name.startswith("test")
        or name.endswith(("_test.py", "_tests.py"))
        or name == "conftest.py"
        or any(part in {"test", "tests", "testing"} for part in pure.parts[:-1])
    )


def is_test_class(node: cst.ClassDef) -> bool:
    """A `Test*`/`*Test`/`*Tests` class or a `TestCase` subclass."""
    name = node.name.value
    if name.startswith("Test") or name.endswith(("Test", "Tests")):
        return True
    return any((dotted_name(arg.value) or "").endswith("TestCase") for arg in node.bases)


def is_test_function(node: cst.FunctionDef, owner: cst.CSTNode | None, test_file: bool) -> bool:
    """A function at module level or in a test class named `test*` in a test file (pytest's
    collection rule) or `test_*` elsewhere (scripts, notebooks, code pasted from a chat, where a
    plain `test()` is more often a demo than a test)."""
    if not node.name.value.startswith("test" if test_file else "test_"):
        return False
    return owner is None or (isinstance(owner, cst.ClassDef) and is_test_class(owner))


def is_self(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value in {"self", "cls"}
