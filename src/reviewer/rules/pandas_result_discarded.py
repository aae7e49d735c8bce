"""RV505 pandas-result-discarded: a pandas method that returns a new object, called as a
statement without `inplace=True`: the work is done and thrown away."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.model import Applicability, Category, Confidence, Severity
from reviewer.sources.unit import ends_cell

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: DataFrame/Series methods that return a new object and change nothing in place by default.
_RETURNING = frozenset({
    "dropna", "fillna", "drop_duplicates", "sort_values", "sort_index", "reset_index", "set_index",
    "rename", "rename_axis", "astype", "ffill", "bfill", "interpolate", "replace", "reindex", "query",
    "assign", "clip", "round", "abs", "where", "mask", "drop",
})
#: Methods whose names other libraries also use with side effects: pandas only when a keyword
#: says so (`df.drop(columns=...)`, not SQLAlchemy's `table.drop(engine)`).
_AMBIGUOUS = {"drop": {"columns", "index", "labels", "axis"}, "where": {"cond", "other", "axis"},
              "mask": {"cond", "other", "axis"}, "round": {"decimals"}, "replace": {"to_replace", "regex"},
              "abs": set(), "clip": {"lower", "upper", "axis"}, "query": {"expr"}, "assign": set()}


class PandasResultDiscarded(Rule):
    """The result of a pandas method that returns a new object is discarded.

    ## What it does
    In modules that import pandas, flags expression statements such as `df.dropna()`,
    `df.fillna(0)`, `df.sort_values("a")`, `df.reset_index()`, `df.rename(columns=...)`,
    `df.astype(int)` or `df.drop(columns=["a"])` without `inplace=True`. Names other libraries
    share (`drop`, `where`, `replace`, `round`...) count only with a pandas keyword argument.

    ## Why is this bad?
    These methods return a new DataFrame or Series and leave the original unchanged, so the
    statement does nothing: the missing values are still there, the columns keep their names.
    Assign the result (`df = df.dropna()`); `inplace=True` is discouraged by pandas itself.

    ## Fix safety
    `reviewer fix --unsafe-fixes` assigns the result back to the name it was called on
    (`df.dropna()` -> `df = df.dropna()`) when that is a plain name or attribute. Unsafe: the
    code below now sees the changed frame, which is the point.
    """

    CODE = "RV505"
    NAME = "pandas-result-discarded"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "The method returns a new object and this statement discards it: assign the result"
    TRIGGERS = ("pandas",)
    FIX = "unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("import pandas as pd\n\ndf = pd.read_csv(p)\ndf = df.dropna()\n"),
        Valid("import pandas as pd\n\ndf = pd.read_csv(p)\ndf.dropna(inplace=True)\n"),
        Valid("import pandas as pd\n\nclean = pd.read_csv(p).fillna(0).sort_values('a')\n"),
        Valid("import pandas as pd\nfrom sqlalchemy import Table\n\ntable.drop(engine)\n"),
        Valid("import pandas as pd\n\nlog.replace_handlers()\ntext.replace\n"),
        Valid("import numpy as np\n\narr.astype(int)\n"),  # no pandas import: not this rule's business
        Valid("import pandas as pd\n\nreturn_value = df.rename(columns=m)\nprint(df.sort_values('a'))\n"),
        # The last expression of a cell is displayed: the sorted frame is what the reader sees.
        Valid(cells=("import pandas as pd\ndf = pd.read_csv('a.csv')\n", "df.sort_values('score')\n")),
        Valid("import pandas as pd\n\n# %%\nscores = pd.DataFrame(rows)\nscores.round(decimals=3)\n\n# %%\nprint(1)\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import pandas as pd\n\ndf = pd.read_csv(p)\ndf.dropna()\n", line=4,
                fixed="import pandas as pd\n\ndf = pd.read_csv(p)\ndf = df.dropna()\n"),
        Invalid("import pandas as pd\n\ndf = pd.read_csv(p)\ndf.rename(columns={'a': 'b'})\n", line=4),
        Invalid("import pandas as pd\n\ndf = pd.read_csv(p)\ndf.drop(columns=['tmp'])\n", line=4),
        Invalid("import pandas as pd\n\ndf['a'].fillna(0)\n", line=3),
        Invalid(cells=("import pandas as pd\ndf = pd.read_csv('a.csv')\n", "df.sort_values('score')\ndf.head()\n"),
                cell=1, line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._pandas: bool | None = None

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        if method not in _RETURNING:
            return
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        if "inplace" in keywords:
            return
        if method in _AMBIGUOUS and not keywords & _AMBIGUOUS[method]:
            return
        if not self._imports_pandas():
            return
        if self.context.stack and self._displayed(node):
            return
        receiver = dotted_name(call.func.value)
        fix = None
        if receiver is not None:
            line, column = self.context.span(node)[:2]
            fix = Autofix(f"Assign the result to `{receiver}`", applicability=Applicability.UNSAFE,
                          inserts=((line, column, f"{receiver} = "),))
        self.report(call, f"`.{method}()` returns a new object and leaves this one unchanged; the result is "
                          "discarded here: assign it", fix)

    def _displayed(self, node: cst.Expr) -> bool:
        """A module-level expression that ends a notebook cell or a `# %%` cell: it is shown
        (the frame, sorted or rounded, is the point), not thrown away."""
        if any(isinstance(a, (cst.FunctionDef, cst.ClassDef)) for a in self.context.stack):
            return False
        return ends_cell(self.context.unit, self.context.span(node)[2])

    def _imports_pandas(self) -> bool:
        if self._pandas is None:
            self._pandas = any(module.split(".")[0] == "pandas" for module, _ in self.context.imports.modules)
        return self._pandas
