"""RV513 iterrows-mutation: an assignment to the row that `df.iterrows()` (or `itertuples()`)
yields, which never reaches the frame."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.walker import child_nodes, iter_nodes
from reviewer.model import Category, Confidence, Severity

_ITERATORS = frozenset({"iterrows", "itertuples"})
#: Wrappers whose first argument is what is iterated (`tqdm(df.iterrows())`).
_WRAPPERS = frozenset({"tqdm", "enumerate", "list", "track"})
_INDEXERS = frozenset({"loc", "iloc", "at", "iat"})
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _iterator(node: cst.BaseExpression) -> tuple[str, bool] | None:
    """(method, wrapped in enumerate) when `node` iterates `X.iterrows()`/`X.itertuples()`."""
    enumerated = False
    for _ in range(3):
        if not isinstance(node, cst.Call):
            return None
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _ITERATORS:
            return func.attr.value, enumerated
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if name not in _WRAPPERS or not node.args:
            return None
        enumerated = enumerated or name == "enumerate"
        node = node.args[0].value
    return None


def _row_name(target: cst.BaseExpression, method: str, enumerated: bool) -> str | None:
    if enumerated:
        if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != 2:
            return None
        target = target.elements[1].value
    if method == "itertuples":
        return target.value if isinstance(target, cst.Name) else None
    if isinstance(target, (cst.Tuple, cst.List)) and len(target.elements) == 2:
        row = target.elements[1].value
        return row.value if isinstance(row, cst.Name) else None
    return None


def _mutated_key(target: cst.BaseExpression, row: str) -> str | None:
    """The code of what `target` writes into `row` (`row["a"]`, `row.a`, `row.loc[...]`), or None."""
    if isinstance(target, cst.Subscript):
        base = target.value
        if isinstance(base, cst.Name) and base.value == row:
            return "subscript"
        if isinstance(base, cst.Attribute) and base.attr.value in _INDEXERS \
                and isinstance(base.value, cst.Name) and base.value.value == row:
            return "indexer"
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == row:
        return "attribute"
    return None


class IterrowsMutation(Rule):
    """An assignment to the row of `iterrows()`, which is a copy.

    ## What it does
    Inside `for index, row in df.iterrows():` flags assignments to the row (`row["col"] = v`,
    `row.col = v`, `row.loc["col"] = v`, `row["n"] += 1`); with `itertuples()` any assignment to
    the tuple. Stays quiet when the row is rebound in the loop (`row = row.copy()`) or used as a
    whole after the assignment (appended, returned, yielded, passed to a function, written back
    with `df.loc[index] = row`), since then the changed copy is the point; and when a changed
    value is read back in the loop (the row used as scratch). `df.at[index, "col"] = v` and
    `df.loc[index, "col"] = v` write to the frame and are fine.

    ## Why is this bad?
    `iterrows()` builds a new Series for every row: writing to it changes that copy, and the
    frame keeps its old values with no warning. (`itertuples()` yields namedtuples, which cannot be
    assigned at all: the line raises.) Write through the frame (`df.at[index, "col"] = v`), or
    better compute the column at once (`df["col"] = ...`, `np.where`, `df.apply`).
    """

    CODE = "RV513"
    NAME = "iterrows-mutation"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "`iterrows()` yields a copy of each row: this assignment never reaches the frame"
    TRIGGERS = ("iterrows", "itertuples")

    VALID: ClassVar[list[Valid]] = [
        Valid("for i, row in df.iterrows():\n    df.at[i, 'total'] = row['a'] + row['b']\n"),
        Valid("for i, row in df.iterrows():\n    df.loc[i, 'total'] = row.a + row.b\n"),
        Valid("out = []\nfor _, row in df.iterrows():\n    row = row.copy()\n    row['x'] = 1\n    out.append(row)\n"),
        Valid("out = []\nfor _, row in df.iterrows():\n    row['x'] = 1\n    out.append(row)\n"),
        Valid("def rows(df):\n    for _, row in df.iterrows():\n        row['x'] = 1\n        yield row\n"),
        Valid("for i, row in df.iterrows():\n    row['x'] = row['a'] * 2\n    df.loc[i] = row\n"),
        Valid("for i, row in df.iterrows():\n    row['x'] = row['a'] * 2\n    print(row['x'])\n"),
        Valid("records = [dict(r) for _, r in df.iterrows()]\nfor key, value in table.items():\n"
              "    value['seen'] = True\n"),
        Valid(cells=("import pandas as pd\ndf = pd.read_csv('a.csv')\n",
                     "for idx, row in df.iterrows():\n    df.at[idx, 'flag'] = row['score'] > 0.5\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("for i, row in df.iterrows():\n    if row['a'] > 0:\n        row['flag'] = True\n", line=3),
        Invalid("for _, row in df.iterrows():\n    row.total = row.a + row.b\n", line=2),
        Invalid("for _, row in df.iterrows():\n    row['name'] = row['name'].strip()\n", line=2),
        Invalid("for _, row in tqdm(df.iterrows(), total=len(df)):\n    row['n'] += 1\n", line=2),
        Invalid("for n, (i, row) in enumerate(df.iterrows()):\n    row.loc['rank'] = n\n", line=2),
        Invalid("for row in df.itertuples():\n    row.price = 0\n", line=2),
        Invalid(cells=("import pandas as pd\ndf = pd.read_csv('a.csv')\n",
                       "for idx, row in df.iterrows():\n    row['flag'] = row['score'] > 0.5\n"), cell=1, line=2),
    ]

    def visit_For(self, node: cst.For) -> None:
        found = _iterator(node.iter)
        if found is None:
            return
        method, enumerated = found
        row = _row_name(node.target, method, enumerated)
        if row is None:
            return
        mutations: list[tuple[cst.CSTNode, cst.BaseExpression]] = []
        for statement in iter_nodes(node.body, _SCOPES):
            if isinstance(statement, cst.Assign):
                targets = [t.target for t in statement.targets]
            elif isinstance(statement, (cst.AugAssign, cst.AnnAssign)):
                targets = [statement.target]
            else:
                continue
            for target in targets:
                if isinstance(target, cst.Name) and target.value == row:
                    return  # rebound: a copy (or something else) is built on purpose
                if _mutated_key(target, row) is not None:
                    mutations.append((statement, target))
        if not mutations or self._used_after(node.body, row, mutations):
            return
        statement = mutations[0][0]
        if method == "itertuples":
            self.report(statement, "`itertuples()` yields namedtuples, which cannot be assigned: this line raises; "
                                   "write to the frame (`df.at[row.Index, 'col'] = ...`)")
        else:
            self.report(statement, "`iterrows()` yields a copy of each row: this assignment changes the copy, not the "
                                   "frame; write with `df.at[index, 'col'] = ...` or compute the column at once")

    def _used_after(self, body: cst.BaseSuite, row: str, mutations: list[tuple[cst.CSTNode, cst.BaseExpression]],
                    ) -> bool:
        """The changed row is used after the first assignment: as a whole (collected, written back,
        passed on), through a method (`row.to_dict()`), or by reading a changed key back."""
        targets = {id(t) for _, t in mutations}
        written = {self.context.code_for(t) for _, t in mutations}
        first = mutations[0][0]
        after = False
        for statement in iter_nodes(body, _SCOPES):
            if statement is first:
                after = True  # from the next statement on: `row["a"] = row["a"].lower()` reads before it writes
                continue
            if not after or not isinstance(statement, cst.BaseSmallStatement):
                continue
            if isinstance(statement, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                roots: list[cst.CSTNode] = [statement.value] if statement.value is not None else []
                if isinstance(statement, cst.Assign):  # `other[row.name] = ...`: the row read in a target
                    roots += [t.target for t in statement.targets if id(t.target) not in targets]
            else:
                roots = [statement]
            for root in roots:
                if self._reads_row(root, row, written):
                    return True
        return False

    def _reads_row(self, root: cst.CSTNode, row: str, written: set[str]) -> bool:
        parents: dict[int, cst.CSTNode] = {}
        for node in iter_nodes(root, _SCOPES):
            for child in child_nodes(node):
                parents[id(child)] = node
            if not (isinstance(node, cst.Name) and node.value == row):
                continue
            parent = parents.get(id(node))
            if isinstance(parent, cst.Subscript) and parent.value is node:
                if self.context.code_for(parent) in written:
                    return True  # a changed value read back: the row is scratch space
                continue
            if isinstance(parent, cst.Attribute) and parent.value is node:
                if self.context.code_for(parent) in written or isinstance(parents.get(id(parent)), cst.Call) \
                        and parent.attr.value not in _INDEXERS:
                    return True  # `row.total` read back, or `row.to_dict()`
                continue
            return True  # the row itself: appended, yielded, returned, written back
        return False
