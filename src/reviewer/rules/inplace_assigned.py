"""RV506 inplace-assigned: the result of a call with `inplace=True` (None) assigned to a name."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.engine.fix_edits import drop_argument
from reviewer.model import Applicability, Category, Confidence, Severity

#: pandas methods that take `inplace=` (and then return None).
_INPLACE_METHODS = frozenset({
    "dropna", "fillna", "drop_duplicates", "sort_values", "sort_index", "reset_index", "set_index",
    "rename", "rename_axis", "replace", "drop", "query", "eval", "interpolate", "ffill", "bfill", "clip",
    "where", "mask", "set_axis", "update", "insert", "pad", "backfill",
})


class InplaceAssigned(Rule):
    """A call made with `inplace=True` whose result is assigned.

    ## What it does
    Flags `df = df.dropna(inplace=True)`, `clean = df.fillna(0, inplace=True)` and returns of
    such calls, for the pandas methods that take `inplace=` (`dropna`, `fillna`, `sort_values`,
    `reset_index`, `rename`, `drop`, `replace`...): given `inplace=True` they change the object
    and return `None`. Constructors such as `nn.ReLU(inplace=True)` return what they build.

    ## Why is this bad?
    The name now holds `None`: the next line fails with `'NoneType' object has no attribute`, or,
    worse, a function returns `None` where its callers expect the cleaned frame. Either assign the
    result without `inplace=True` (`df = df.dropna()`) or call it as a statement.

    ## Fix safety
    `reviewer fix --unsafe-fixes` removes `inplace=True`, so the name gets the new object. Unsafe:
    the object the method was called on is no longer changed, which other names for it saw.
    """

    CODE = "RV506"
    NAME = "inplace-assigned"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.ERROR
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "With `inplace=True` the method returns None, and None is what is assigned here"
    TRIGGERS = ("inplace",)
    FIX = "unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("df.dropna(inplace=True)\n"),
        Valid("df = df.dropna()\n"),
        Valid("df = df.dropna(inplace=False)\n"),
        Valid("result = model.apply(inplace=flag)\n"),
        Valid("import torch.nn as nn\n\nact = nn.ReLU(inplace=True)\nself_act = self.act(inplace=True)\n"),
        Valid(cells=("import pandas as pd\ndf = pd.read_csv('sales.csv')\n", "df.dropna(inplace=True)\ndf.head()\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("df = df.dropna(inplace=True)\n", line=1, fixed="df = df.dropna()\n"),
        Invalid("clean: object = frame.fillna(0, inplace=True)\n", line=1),
        Invalid("def tidy(df):\n    return df.reset_index(drop=True, inplace=True)\n", line=2),
        Invalid(cells=("import pandas as pd\n", "df = df.sort_values('a', inplace=True)\n"), cell=1, line=1),
    ]

    def visit_Assign(self, node: cst.Assign) -> None:
        self._check(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._check(node.value)

    def _check(self, value: cst.BaseExpression) -> None:
        if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
            return
        if value.func.attr.value not in _INPLACE_METHODS:
            return  # `nn.ReLU(inplace=True)` builds a layer: its result is the layer
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value == "inplace" and isinstance(arg.value, cst.Name) \
                    and arg.value.value == "True":
                edit = drop_argument(value, arg, self.context.code_for)
                fix = Autofix("Remove `inplace=True`", applicability=Applicability.UNSAFE,
                              also=(edit,)) if edit is not None else None
                self.report(value, f"`.{value.func.attr.value}(inplace=True)` returns None, and None is what "
                                   "is assigned here: drop `inplace=True` or the assignment", fix)
                return
