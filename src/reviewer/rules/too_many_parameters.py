"""RV204 too-many-parameters: a function that takes more parameters than the configured limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.analysis.tests_detection import is_test_path
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_IMPLICIT = frozenset({"self", "cls"})
#: Decorators that fix a function's signature from outside (overloads, overrides, CLI options).
_FORCING_DECORATORS = frozenset({"overload", "override", "option", "argument", "_overload_method"})


class TooManyParameters(Rule):
    """Function takes too many parameters.

    ## What it does
    Flags functions with more named parameters than `max-parameters` in
    `[tool.reviewer.thresholds]` (default 7). Positional-only and ordinary parameters count,
    and keyword-only parameters without a default; `self`, `cls`, `*args`, `**kwargs` and
    optional keyword-only parameters (`def get(url, *, timeout=None, ...)`: named options a
    caller picks from, the way public APIs are designed) do not, and a function whose parameters
    are mostly optional (more than half have defaults) is an options API, not flagged. Signatures the author does not
    choose are not flagged: `@overload` and `@override` declarations, CLI commands (click,
    typer: one parameter per option) and pytest tests (one parameter per fixture).

    ## Why is this bad?
    A long parameter list is hard to call correctly (arguments in the wrong order, flags nobody
    remembers) and usually means the function does several jobs. Generated code grows one
    parameter per requested feature; group related values in a dataclass or split the function.
    """

    CODE = "RV204"
    NAME = "too-many-parameters"
    CATEGORY = Category.MAINTAINABILITY
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Function takes too many parameters"
    TRIGGERS = ("def ",)
    EQUIVALENT = ("PLR0913", "PLR0917")

    VALID: ClassVar[list[Valid]] = [
        Valid("def f(a, b, c, d, e, f, g):\n    pass\n"),
        Valid("class A:\n    def m(self, a, b, c, d, e, f, g):\n        pass\n"),
        Valid("def f(a, b, c, d, e, f, g, *args, **kwargs):\n    pass\n"),
        Valid("g = lambda a, b, c, d, e, f, g, h: a\n"),
        Valid("def send_file(path, mimetype=None, as_attachment=False, download_name=None,\n"
              "              conditional=True, etag=True, last_modified=None, max_age=None):\n    pass\n"),
        Valid("def get(url, *, params=None, headers=None, cookies=None, auth=None, timeout=None,\n"
              "        follow_redirects=False, verify=True, proxy=None):\n    pass\n"),
        Valid("import click\n\n@click.command()\n@click.option('--a')\n"
              "def cli(a, b, c, d, e, f, g, h):\n    pass\n"),
        Valid("def test_flow(client, db, user, admin, tmp_path, monkeypatch, caplog, settings):\n"
              "    assert client\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def f(a, b, c, d, e, f, g, h):\n    pass\n", line=1),
        Invalid("class A:\n    def m(self, a, b, c, d, e, f, g, h):\n        pass\n", line=2),
        Invalid("def f(a, b, /, c, d, *, e, f, g, h):\n    pass\n", line=1),
        Invalid("async def f(a, b, c, d, e, f=1, g=2, h=3, *args, **kw):\n    pass\n", line=1),
        Invalid("@cache\ndef build(\n    a, b, c, d,\n    e, f, g, h, i,\n):\n    pass\n", line=2),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._limit = context.config.thresholds.max_parameters
        self._test_file = is_test_path(context.unit.path)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        required_keywords = [p for p in params.kwonly_params if p.default is None]
        positional = [*params.posonly_params, *params.params]
        count = len(positional) + len(required_keywords)
        if count <= self._limit or self._forced(node):
            return
        # Mostly options with defaults (`send_file(path, mimetype=None, as_attachment=False,
        # ...)`): a public API's knobs, each optional, not a list every caller must get right.
        if 2 * sum(1 for p in positional if p.default is not None) > count:
            return
        first = (params.posonly_params or params.params or (None,))[0]
        if first is not None and first.name.value in _IMPLICIT:
            count -= 1
        if count > self._limit:
            self.report(
                node.name,
                f"`{node.name.value}` takes {count} parameters (limit {self._limit}); group related "
                "ones in a dataclass or split the function",
            )

    def _forced(self, node: cst.FunctionDef) -> bool:
        """A signature someone else decides: overloads and overrides mirror another signature,
        CLI commands take one parameter per option, pytest tests one per fixture."""
        for decorator in node.decorators:
            expr = decorator.decorator
            name = dotted_name(expr.func if isinstance(expr, cst.Call) else expr) or ""
            last = name.rsplit(".", 1)[-1]
            if last in _FORCING_DECORATORS or (last in ("command", "callback") and "." in name):
                return True
        return node.name.value.startswith("test" if self._test_file else "test_")
