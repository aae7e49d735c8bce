"""RV306 print-debugging: `print()` left in library code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_SCRIPT_DIRS = frozenset({"scripts", "script", "bin", "tests", "test", "testing", "tools"})
_CLI_FUNCTIONS = frozenset({"main", "cli"})


_INTERFACE_MODULES = frozenset({"argparse", "click", "typer", "IPython", "fire", "docopt"})


def _is_library_path(path: str) -> bool:
    """A module of a package (not a script, test or `__main__`). A path that does not exist on
    disk (stdin, an editor buffer, a live notebook) is judged by its content only."""
    file = Path(path)
    name = file.name
    if name in ("__main__.py", "conftest.py", "setup.py", "noxfile.py") or name.startswith("test_"):
        return False
    if name.endswith("_test.py") or any(part in _SCRIPT_DIRS for part in file.parts[:-1]):
        return False
    try:
        if file.is_file():
            return (file.parent / "__init__.py").is_file()
    except OSError:
        return False
    return True


def _is_main_guard(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.If) or not isinstance(node.test, cst.Comparison):
        return False
    test = node.test
    sides = [test.left, *(c.comparator for c in test.comparisons)]
    return any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides) and any(
        isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__" for s in sides
    )


class PrintDebugging(Rule):
    """`print()` call in library code.

    ## What it does
    Flags `print(...)` in modules of a package (a directory with `__init__.py`). Not flagged:
    `__main__.py`, `setup.py`, tests and `conftest.py`, files under `scripts/`, `bin/`, `tools/`
    or `tests/`, code under `if __name__ == "__main__":`, functions named `main`, `cli` or
    `*_cli`, prints with a `file=` other than `sys.stdout` (writing to stderr or a file is
    deliberate output), and notebooks. Code that is not a file on disk (stdin, an editor buffer)
    is judged by its content only.

    ## Why is this bad?
    Generated code is often left with the `print()` calls used to debug it. In a library they
    write to the standard output of whatever program imports it, cannot be silenced or routed,
    and may leak data into logs. Use `logging` (or remove the output).
    """

    CODE = "RV306"
    NAME = "print-debugging"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "`print()` in library code: use logging, or remove the debugging output"
    TRIGGERS = ("print",)
    EQUIVALENT = ("T201",)  # ruff flake8-print

    VALID: ClassVar[list[Valid]] = [
        Valid("import sys\n\ndef warn(msg):\n    print(msg, file=sys.stderr)\n"),
        Valid("def main():\n    print('done')\n"),
        Valid("def run():\n    pass\n\nif __name__ == '__main__':\n    print(run())\n"),
        Valid("def export_cli(args):\n    print(args)\n"),
        Valid("import argparse\n\ndef run(args):\n    print(args.path)\n"),
        Valid(cells=("print('hello')\n",)),
        Valid("def report(out):\n    print('x', file=out)\n\nlog = print\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def load(path):\n    print('loading', path)\n    return path\n", line=2),
        Invalid("print('module imported')\n", line=1),
        Invalid("import sys\n\ndef f(x):\n    print(x, file=sys.stdout)\n", line=4),
        Invalid("class Client:\n    def send(self, body):\n        print(f'DEBUG {body}')\n", line=3),
        Invalid("def main():\n    pass\n\ndef helper(x):\n    print(x)\n", line=5),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        unit = context.unit
        # Modules that build a command line or IPython magics print on purpose: that is their UI.
        interface = any(
            module.split(".")[0] in _INTERFACE_MODULES for module, _ in context.imports.modules
        )
        self._active = not unit.is_notebook and not interface and _is_library_path(unit.path)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._active or self.context.qualified_name(node.func) != "builtins.print":
            return
        for arg in node.args:
            is_file = arg.keyword is not None and arg.keyword.value == "file"
            if is_file and dotted_name(arg.value) != "sys.stdout":
                return
            if arg.star == "**":
                return  # file= may be in there
        for ancestor in self.context.stack[:-1]:
            if _is_main_guard(ancestor):
                return
            if isinstance(ancestor, cst.FunctionDef):
                name = ancestor.name.value
                if name in _CLI_FUNCTIONS or name.endswith("_cli"):
                    return
        self.report(node)
