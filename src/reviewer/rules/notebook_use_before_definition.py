"""RV401 notebook-use-before-definition: a cell uses a name that only a later cell defines."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst
from libcst.metadata import Assignment, GlobalScope, ScopeProvider

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.handlers import catches
from reviewer.engine.imports import BUILTIN_NAMES
from reviewer.analysis.notebook_scope import may_read_later_binding, bound_locally, runs_at_module_level, target_names
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Handlers that make a lookup deliberate: `try: df` / `except NameError: df = load()`.
_NAME_GUARDS = frozenset({"NameError", "Exception", "BaseException"})


class NotebookUseBeforeDefinition(Rule):
    """Notebook cell uses a name defined only in a later cell.

    ## What it does
    Flags names loaded at module level in a notebook cell (including inside comprehensions,
    lambdas, decorators, default values and class bodies, but not inside function bodies) that
    are not bound in that cell or an earlier one before the use, but are bound at module level in
    a later cell (by assignment, import, `def`, `class`, `for`, `with ... as`, `except ... as`,
    walrus or `global`). Each name is reported once per cell, at its first use. Builtins, and
    lookups guarded by `try: ... except NameError:`, are not flagged.

    ## Why is this bad?
    The notebook only worked because its cells were run out of order. Restart & Run All (and
    anyone else running it top to bottom, or `nbconvert --execute` in CI) fails with a NameError.
    """

    CODE = "RV401"
    NAME = "notebook-use-before-definition"
    CATEGORY = Category.NOTEBOOK
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = (
        "Name is used in a cell before the later cell that defines it; Restart & Run All fails"
    )
    NOTEBOOK_ONLY = True
    EQUIVALENT = ("F821",)  # ruff sees the name as undefined; ours says why

    VALID: ClassVar[list[Valid]] = [
        Valid(
            cells=("import pandas as pd\n", "df = pd.DataFrame({'a': [1]})\n", "df.describe()\n")
        ),
        Valid(cells=("def clean(df):\n    return df.dropna(subset=COLS)\n", "COLS = ['a']\n")),
        Valid(cells=("print(len([x for x in range(3)]))\n", "x = 10\n")),
        Valid(cells=("try:\n    model\nexcept NameError:\n    model = None\n", "model = 'x'\n")),
        Valid(cells=("total = 0\nfor i in range(3):\n    total += i\n", "total\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            cells=("df = load(PATH)\n", "import pandas as pd\nPATH = 'data.csv'\n"),
            cell=0,
            line=1,
        ),
        Invalid(
            cells=("import numpy as np\n", "scores = np.array(raw) * scale\n", "scale = 2.0\n"),
            cell=1,
            line=1,
        ),
        Invalid(
            cells=("x = 1\n", "result = [transform(v) for v in data]\n",
                   "data = [1, 2]\ndef transform(v):\n    return v * 2\n"),
            cell=1,
            line=1,
        ),
        Invalid(
            cells=(
                "model.fit(X_train, y_train)\n",
                "from sklearn.linear_model import LinearRegression\nmodel = LinearRegression()\n",
            ),
            cell=0,
            line=1,
        ),
        Invalid(
            cells=("import matplotlib.pyplot as plt\n\nplt.plot(history['loss'])\n",
                   "for history in runs:\n    pass\n"),
            cell=0,
            line=3,
        ),
        Invalid(cells=("step = 1\nepoch += step\n", "epoch = 0\n"), cell=0, line=2),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._guard_depth = 0
        self._guarded: set[cst.Name] = set()  #: names loaded inside `try: ... except NameError`
        #: Assignment target names -> their statement (the binding happens at its end).
        self._bound_after: dict[cst.CSTNode, cst.BaseSmallStatement] = {}
        self._aug_reads: list[cst.Name] = []  #: module-level `x += ...` targets

    # The walk records what scope metadata lacks (guarded lookups, when assignments take effect,
    # `x += 1` reads); the analysis runs on the scope metadata in finish().
    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if self._is_guarded_body(node):
            self._guard_depth += 1

    def leave_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if self._is_guarded_body(node):
            self._guard_depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if self._guard_depth:
            self._guarded.add(node)

    def _is_guarded_body(self, node: cst.IndentedBlock) -> bool:
        parent = self.context.parent()
        return isinstance(parent, cst.Try) and parent.body is node and any(
            catches(handler, _NAME_GUARDS) for handler in parent.handlers
        )

    # Assignment targets are bound after their value is evaluated: `x = x + 1` and `x += 1` use
    # the previous `x`. Their binding takes effect at the end of the statement.
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            for name in target_names(target.target):
                self._bound_after[name] = node

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for name in target_names(node.target):
            self._bound_after[name] = node
            # `x += 1` reads `x` first, but the scope metadata records no access for it.
            if self.context.enclosing(cst.FunctionDef, cst.ClassDef) is None:
                self._aug_reads.append(name)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        for name in target_names(node.target):
            self._bound_after[name] = node

    def finish(self) -> None:
        cell_map = self.context.unit.cell_map
        module = self.context.module
        if cell_map is None or not module.body:
            return

        def cell_index(line: int) -> int | None:
            found = cell_map.locate(line)
            return found[0].index if found is not None else None

        if not may_read_later_binding(self.context.syntax_tree(), cell_index):
            return  # no name is read before the cell that first binds it: nothing to find
        scopes = self.context.metadata(ScopeProvider)
        global_scope = scopes[module]
        if not isinstance(global_scope, GlobalScope):
            return
        span = self.context.span

        def cell_of(line: int) -> int | None:
            found = cell_map.locate(line)
            return found[0].index if found is not None else None

        # Name -> (position where the binding takes effect, cell) of every module-level binding.
        bindings: dict[str, list[tuple[tuple[int, int], int]]] = {}
        for assignment in global_scope.assignments:
            if not isinstance(assignment, Assignment):
                continue
            statement = self._bound_after.get(assignment.node)
            line, col, end_line, end_col = span(statement or assignment.node)
            position = (end_line, end_col) if statement is not None else (line, col)
            cell = cell_of(line)
            if cell is not None:
                bindings.setdefault(assignment.name, []).append((position, cell))

        candidates: list[cst.Name] = list(self._aug_reads)
        for scope in {s for s in scopes.values() if s is not None}:
            if not runs_at_module_level(scope, global_scope):
                continue
            candidates.extend(
                access.node
                for access in scope.accesses
                if isinstance(access.node, cst.Name)
                and not access.is_annotation
                and not bound_locally(access.node.value, scope, global_scope)
            )
        uses: list[tuple[tuple[int, int], int, cst.Name]] = []
        for name in candidates:
            if name.value not in bindings or name.value in BUILTIN_NAMES or name in self._guarded:
                continue
            line, col = span(name)[:2]
            cell = cell_of(line)
            if cell is not None:
                uses.append(((line, col), cell, name))

        reported: set[tuple[str, int]] = set()
        for position, cell, name in sorted(uses, key=lambda use: use[0]):
            places = bindings[name.value]
            if (name.value, cell) in reported or any(bound < position for bound, _ in places):
                continue
            later = [c for _, c in places if c > cell]
            if not later:
                continue  # only bound later in the same cell: an ordinary NameError, not ordering
            reported.add((name.value, cell))
            self.report(
                name,
                f"`{name.value}` is used in cell {cell + 1} but only defined in a later cell "
                f"{min(later) + 1}; the notebook fails on Restart & Run All",
            )

