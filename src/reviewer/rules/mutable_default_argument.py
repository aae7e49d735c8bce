"""RV201 mutable-default-argument: a list/dict/set default shared between calls."""

from __future__ import annotations

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.model import Applicability, Category, Confidence, Severity

_MUTABLE_CALLS = frozenset(
    {
        "builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray",
        "collections.defaultdict", "collections.OrderedDict", "collections.deque",
        "collections.Counter",
    }
)


class MutableDefaultArgument(Rule):
    """Function parameter defaults to a mutable object.

    ## What it does
    Flags parameters whose default value is a list, dict or set literal or comprehension, or a
    call that builds one (`list()`, `dict()`, `collections.defaultdict(...)`).

    ## Why is this bad?
    The default is evaluated once, when the function is defined, and then shared by every call.
    Code that appends to it leaks state between calls: a classic bug in generated code.

    ## Fix safety
    The suggested change (default to `None` and create the object in the body) is advice only:
    the body must be edited too.
    """

    CODE = "RV201"
    NAME = "mutable-default-argument"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Mutable default argument is shared between calls; default to None instead"
    TRIGGERS = ("def ", "lambda")
    EQUIVALENT = ("B006",)  # ruff flake8-bugbear

    VALID = [
        Valid("def f(items=None):\n    items = [] if items is None else items\n"),
        Valid("def f(names=('a', 'b')):\n    return names\n"),
        Valid("def f(limit=10, name='x', flag=frozenset()):\n    return limit\n"),
    ]
    INVALID = [
        Invalid("def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n", line=1),
        Invalid("def f(cache={}):\n    return cache\n", line=1),
        Invalid("import collections as c\n\ndef f(counts=c.defaultdict(int)):\n    return counts\n", line=3),
        Invalid("async def f(seen=set()):\n    return seen\n", line=1),
        Invalid("g = lambda acc=[x for x in range(3)]: acc\n", line=1),
    ]

    def visit_Param(self, node: cst.Param) -> None:
        default = node.default
        if default is None:
            return
        if isinstance(default, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)) or isinstance(default, cst.Call) and self.context.qualified_name(default.func) in _MUTABLE_CALLS:
            self.report(default, fix=self._advice(node))

    @staticmethod
    def _advice(node: cst.Param) -> Autofix:
        return Autofix(
            f"Default `{node.name.value}` to None and create the object inside the function",
            applicability=Applicability.DISPLAY,
        )
