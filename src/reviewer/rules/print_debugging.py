"""RV306 print-debugging: `print()` left in library code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_SCRIPT_DIRS = frozenset({"scripts", "script", "bin", "tests", "test", "testing", "tools", "commands", "cli"})
#: Module names of scripts and command lines (`run.py`, `demo_x.py`, `cli.py`).
_SCRIPT_NAMES = ("script", "run", "demo", "cli", "main", "manage")
#: Directories of stand-alone files (reviewed as scripts unless the file sits in a package).
_SAMPLE_DIRS = frozenset({
    "examples", "example", "demo", "demos", "docs", "doc", "docs_src", "benchmarks", "benchmark",
    "tutorials", "samples",
})
_CLI_FUNCTIONS = frozenset({"main", "cli"})
#: Functions whose job is to show something: printing is their output, not debugging.
_SHOWING = ("print", "show", "display", "dump", "pprint", "echo", "report", "summary", "summarize")
_SHOWING_SUFFIXES = ("info", "report", "summary", "banner", "usage", "help", "table")
#: `if` conditions that make output opt-in (`if verbose:`, `if self.debug:`).
_OPT_IN = re.compile(r"\b(?:verbose|verbosity|debug|show_progress|environ)\b", re.IGNORECASE)
_DEBUG_TEXT = re.compile(r"^\W*debug\b", re.IGNORECASE)
_MAIN_GUARD = re.compile(r"^if\s+__name__\s*==\s*[\"']__main__[\"']\s*:", re.MULTILINE)
_INPUT_CALL = re.compile(r"(?<![.\w])input\(")


_INTERFACE_MODULES = frozenset({"argparse", "click", "typer", "IPython", "fire", "docopt"})


def _is_library_path(path: str) -> bool:
    """A module of a package (not a script, test or `__main__`). A path that does not exist on
    disk (stdin, an editor buffer, a live notebook) is judged by its content only."""
    file = Path(path)
    name = file.name
    if name in ("__main__.py", "conftest.py", "setup.py", "noxfile.py") or name.startswith("test_"):
        return False
    stem = file.stem.lower()
    if any(stem == name or stem.startswith(name + "_") for name in _SCRIPT_NAMES):
        return False
    if name.endswith("_test.py") or any(part in _SCRIPT_DIRS for part in file.parts[:-1]):
        return False
    try:
        if file.is_file():
            return (file.parent / "__init__.py").is_file()
    except OSError:
        return False
    return not any(part in _SAMPLE_DIRS for part in file.parts[:-1])


def _says_debug(node: cst.Call) -> bool:
    first = node.args[0].value if node.args else None
    if isinstance(first, cst.FormattedString):
        text = "".join(p.value for p in first.parts if isinstance(p, cst.FormattedStringText))
    elif isinstance(first, cst.SimpleString):
        text = first.raw_value
    else:
        return False
    return _DEBUG_TEXT.match(text) is not None


def _is_main_guard(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.If):
        return False
    return _tests_main(node.test)


def _tests_main(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"`, also as one side of `and` (`sys.platform != "win32" and ...`)."""
    if isinstance(test, cst.BooleanOperation):
        return _tests_main(test.left) or _tests_main(test.right)
    if not isinstance(test, cst.Comparison):
        return False
    sides = [test.left, *(c.comparator for c in test.comparisons)]
    return any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides) and any(
        isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__" for s in sides
    )


class PrintDebugging(Rule):
    """`print()` call in library code.

    ## What it does
    Flags `print(...)` in modules of a package (a directory with `__init__.py`). Not flagged:
    `__main__.py`, `setup.py`, tests and `conftest.py`, scripts by name (`run_*.py`, `demo.py`,
    `cli.py`, `main.py`...), files under `scripts/`, `bin/`, `tools/`, `commands/`, `cli/` or
    `tests/`, files under `examples/`, `docs/`, `demos/` or `benchmarks/` that are outside a
    package or have an `if __name__ == "__main__":` block (scripts: printing is their output),
    functions named `main`, `cli`, `*_cli`, or `print_*`, `show_*`,
    `display_*`, `dump_*`, `report_*`, `summary*`, `*info`, `*_usage`, `*_help` (showing things
    is their job), output under
    `if verbose:`-style opt-in conditions, modules that prompt with `input()` or build a command
    line (`argparse`, `click`, `typer`), prints with a `file=` other than `sys.stdout` (writing
    to stderr or a file is deliberate output), and notebooks. A print whose text starts with
    "DEBUG" is flagged in any module of a package, scripts included. Code that is not a file on
    disk (stdin, an editor buffer) is judged by its content only.

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
        Valid("def fit(model, data, verbose=False):\n    if verbose:\n        print('fitting', len(data))\n"),
        Valid("def ask_region():\n    print('Regions: eu, us')\n    return input('Region? ')\n"),
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
        # A module that prompts with input() talks to a person: its prints are that dialogue.
        interactive = "input(" in unit.text and _INPUT_CALL.search(unit.text) is not None
        # An example or demo with a `__main__` guard is a script (even inside a package, as
        # `pygame.examples` is): what it prints is its output.
        in_samples = any(part in _SAMPLE_DIRS for part in Path(unit.path).parts[:-1])
        script = in_samples and "__main__" in unit.text and _MAIN_GUARD.search(unit.text) is not None
        self._library = not unit.is_notebook and _is_library_path(unit.path)
        self._active = self._library and not interface and not interactive and not script

    def visit_Call(self, node: cst.Call) -> None:
        if not self._library or self.context.qualified_name(node.func) != "builtins.print":
            return
        if _says_debug(node):  # `print("DEBUG x", x)` is debugging output wherever it is
            self.report(node)
            return
        if not self._active:
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
            if isinstance(ancestor, (cst.If, cst.While)) and _OPT_IN.search(self.context.code_for(ancestor.test)):
                return
            if isinstance(ancestor, cst.FunctionDef):
                name = ancestor.name.value
                bare = name.lstrip("_").lower()
                if name in _CLI_FUNCTIONS or name.endswith("_cli") or bare.startswith(_SHOWING) \
                        or bare.endswith(_SHOWING_SUFFIXES):
                    return
        self.report(node)
