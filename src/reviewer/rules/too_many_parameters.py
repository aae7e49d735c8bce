"""RV204 too-many-parameters: a function that takes more parameters than the configured limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_IMPLICIT = frozenset({"self", "cls"})


class TooManyParameters(Rule):
    """Function takes too many parameters.

    ## What it does
    Flags functions with more named parameters than `max-parameters` in
    `[tool.reviewer.thresholds]` (default 7). Positional-only, ordinary and keyword-only
    parameters count; `self`, `cls`, `*args` and `**kwargs` do not.

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
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def f(a, b, c, d, e, f, g, h):\n    pass\n", line=1),
        Invalid("class A:\n    def m(self, a, b, c, d, e, f, g, h):\n        pass\n", line=2),
        Invalid("def f(a, b, /, c, d, *, e, f, g, h):\n    pass\n", line=1),
        Invalid("async def f(a, b, c, d, e, *args, f=1, g=2, h=3, **kw):\n    pass\n", line=1),
        Invalid("@cache\ndef build(\n    a, b, c, d,\n    e, f, g, h, i,\n):\n    pass\n", line=2),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._limit = context.config.thresholds.max_parameters

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        count = len(params.posonly_params) + len(params.params) + len(params.kwonly_params)
        if count <= self._limit:
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
