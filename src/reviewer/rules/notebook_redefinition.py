"""RV406 notebook-redefinition-hazard: a cell whose result depends on a later cell (the value it
read was set by a cell below it, or a cell below deletes it), or a function or class that a later
cell silently replaces with a different one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import libcst as cst
from libcst.metadata import Assignment, GlobalScope, ScopeProvider

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.imports import BUILTIN_NAMES
from reviewer.analysis.notebook_scope import bound_locally, runs_at_module_level, target_names
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

Position = tuple[int, int]


@dataclass(frozen=True)
class _Binding:
    position: Position  #: where the binding takes effect (the end of an assignment statement)
    cell: int


@dataclass(frozen=True)
class _Read:
    position: Position
    cell: int
    node: cst.Name


class NotebookRedefinition(Rule):
    """Notebook cell depends on a later cell, or a later cell silently replaces a definition.

    ## What it does
    Flags three hidden-state hazards across the code cells of a notebook:

    - **A value from a cell below.** A cell reads a module-level variable that an earlier cell
      defines, but the saved execution counts show that a *later* cell rebinding it (by
      assignment, `def`, `class`, `import`, `for`...) ran last before this cell: the saved result
      used the later cell's value, and Restart & Run All will use the earlier one. Reported at
      the first such read in the cell. (RV402 says the cells ran out of order; this says which
      value is affected.)
    - **A variable a later cell deletes.** A cell reads a variable that a later cell removes with
      `del` and nothing binds again afterwards: re-running the cell after that one fails with a
      `NameError`. Reported once per `del`, at the read in the nearest cell before it. Cells that
      bind the variable themselves before reading it are fine.
    - **A definition replaced by another cell.** A function or class defined at the top level of
      two different cells with different code: cells between them use the first, cells after
      use the second, and which one a re-run cell gets depends on the order cells were run.
      Reported at the later definition. Identical copies and `@overload` stubs are fine, and so
      is a notebook whose saved execution counts show every cell ran once, top to bottom (a
      tutorial refining a class step by step); a redefinition inside one cell is ruff's F811.
      Importing the same module again in a later cell is not a hazard either.

    Uses of a name before any cell defines it are RV401.

    ## Why is this bad?
    The notebook's results depend on the order cells happened to be run in, not on the code top
    to bottom: what it shows cannot be reproduced by Restart & Run All, and re-running a single
    cell gives a different answer or fails. Give each variable and function one defining cell,
    and use new names for new values.
    """

    CODE = "RV406"
    NAME = "notebook-redefinition-hazard"
    CATEGORY = Category.NOTEBOOK
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Notebook cell depends on a later cell (hidden state)"
    NOTEBOOK_ONLY = True
    EQUIVALENT = ("F811",)  # ruff's redefinition of an unused name: ours says which cells

    VALID: ClassVar[list[Valid]] = [
        Valid(cells=("x = 1\n", "print(x)\n", "x = 2\n"), execution_counts=(1, 2, 3)),
        Valid(cells=("df = load()\n", "df = df.dropna()\n", "df.describe()\n"),
              execution_counts=(1, 2, 3)),
        Valid(cells=("x = 1\n", "x = 2\nprint(x)\n", "x = 5\n"), execution_counts=(1, 3, 2)),
        Valid(cells=("model = train()\n", "score(model)\n", "del model\nmodel = None\n")),
        Valid(cells=("def f(x):\n    return x\n", "f(1)\n", "def f(x):\n    return x\n")),
        Valid(cells=("tmp = load()\n", "tmp = tmp * 2\ndel tmp\n", "print('done')\n")),
        Valid(cells=("class Config:\n    lr = 0.1\n", "cfg = Config()\n", "class Config:\n    lr = 0.01\n"),
              execution_counts=(1, 2, 3)),
        Valid(cells=("import numpy as np\n", "x = np.zeros(3)\n", "import numpy as np\n"),
              execution_counts=(1, 3, 2)),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            cells=("threshold = 0.5\n", "preds = scores > threshold\n", "threshold = 0.8\n"),
            execution_counts=(1, 3, 2),
            cell=1,
            line=1,
        ),
        Invalid(
            cells=("import pandas as pd\ndf = pd.read_csv('a.csv')\n", "df.head()\n",
                   "del df\n"),
            cell=1,
            line=1,
        ),
        Invalid(
            cells=("def clean(df):\n    return df.dropna()\n", "out = clean(raw)\n",
                   "def clean(df):\n    return df.fillna(0)\n"),
            cell=2,
            line=1,
        ),
        Invalid(
            cells=("class Config:\n    lr = 0.1\n", "cfg = Config()\n",
                   "class Config:\n    lr = 0.01\n"),
            cell=2,
            line=1,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        #: Assignment target names -> their statement (the binding happens at its end).
        self._bound_after: dict[cst.CSTNode, cst.BaseSmallStatement] = {}
        self._deleted: list[cst.Name] = []  #: module-level `del x` targets, in order
        self._deleted_nodes: set[cst.Name] = set()
        self._defs: list[cst.FunctionDef | cst.ClassDef] = []  #: top-level definitions
        self._aug_reads: list[cst.Name] = []  #: module-level `x += ...` targets
        self._imports: dict[str, set[str | None]] = {}  #: module-level import bindings

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if self.context.enclosing(cst.FunctionDef, cst.ClassDef) is not None:
            return
        module = self.context.enclosing(cst.Import, cst.ImportFrom)
        source = dotted_name(node.name) or ""
        if isinstance(module, cst.ImportFrom):
            source = f"{'.' * len(module.relative)}{dotted_name(module.module) or ''}.{source}" if module.module else source
        local = node.asname.name.value if node.asname is not None and isinstance(node.asname.name, cst.Name) \
            else source.split(".")[-1] if isinstance(module, cst.ImportFrom) else source.split(".")[0]
        self._imports.setdefault(local, set()).add(source)

    @property
    def _reimported(self) -> set[str]:
        """Names every binding of which imports one and the same module."""
        assigned = {name.value for name in self._bound_after if isinstance(name, cst.Name)}
        return {name for name, sources in self._imports.items() if len(sources) == 1 and name not in assigned}

    # The walk records what the scope metadata lacks (when assignments take effect, `del`);
    # the analysis runs on the scope metadata in finish(), once per notebook.
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            for name in target_names(target.target):
                self._bound_after[name] = node

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for name in target_names(node.target):
            self._bound_after[name] = node
            # `x += 1` reads `x` first, but the scope metadata records no access for it.
            if self.context.enclosing(cst.FunctionDef, cst.ClassDef, cst.Lambda) is None:
                self._aug_reads.append(name)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        for name in target_names(node.target):
            self._bound_after[name] = node

    def visit_Del(self, node: cst.Del) -> None:
        names = target_names(node.target)
        self._deleted_nodes.update(names)
        if self.context.enclosing(cst.FunctionDef, cst.ClassDef, cst.Lambda) is None:
            self._deleted.extend(names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.context.parent() is self.context.module:
            self._defs.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.context.parent() is self.context.module:
            self._defs.append(node)

    def finish(self) -> None:
        cell_map = self.context.unit.cell_map
        module = self.context.module
        if cell_map is None or not module.body:
            return
        self._redefinitions()
        counts = {span.index: span.execution_count for span in cell_map.spans}
        if not self._deleted and not any(c is not None for c in counts.values()):
            return  # nothing ran and nothing is deleted: only redefinitions can be hazards
        scopes = self.context.metadata(ScopeProvider)
        global_scope = scopes[module]
        if not isinstance(global_scope, GlobalScope):
            return
        bindings = self._bindings(global_scope)
        reads = self._reads(scopes, global_scope, bindings)
        self._values_from_below(reads, bindings, counts)
        self._deleted_later(reads, bindings)

    # --- facts ---------------------------------------------------------------------------------
    def _cell(self, line: int) -> int | None:
        cell_map = self.context.unit.cell_map
        found = cell_map.locate(line) if cell_map is not None else None
        return found[0].index if found is not None else None

    def _bindings(self, global_scope: GlobalScope) -> dict[str, list[_Binding]]:
        bindings: dict[str, list[_Binding]] = {}
        for assignment in global_scope.assignments:
            if not isinstance(assignment, Assignment):
                continue
            statement = self._bound_after.get(assignment.node)
            line, col, end_line, end_col = self.context.span(statement or assignment.node)
            position = (end_line, end_col) if statement is not None else (line, col)
            cell = self._cell(line)
            if cell is not None:
                bindings.setdefault(assignment.name, []).append(_Binding(position, cell))
        return bindings

    def _reads(self, scopes: object, global_scope: GlobalScope,
               bindings: dict[str, list[_Binding]]) -> dict[str, list[_Read]]:
        names: list[cst.Name] = [n for n in self._aug_reads if n.value in bindings]
        for scope in {s for s in scopes.values() if s is not None}:  # type: ignore[attr-defined]
            if not runs_at_module_level(scope, global_scope):
                continue
            names.extend(
                access.node
                for access in scope.accesses
                if isinstance(access.node, cst.Name)
                and access.node.value in bindings
                and access.node.value not in BUILTIN_NAMES
                and not access.is_annotation
                and access.node not in self._deleted_nodes
                and not bound_locally(access.node.value, scope, global_scope)
            )
        reads: dict[str, list[_Read]] = {}
        for node in names:
            line, col = self.context.span(node)[:2]
            cell = self._cell(line)
            if cell is not None:
                reads.setdefault(node.value, []).append(_Read((line, col), cell, node))
        for found in reads.values():
            found.sort(key=lambda read: read.position)
        return reads

    # --- the three hazards -----------------------------------------------------------------------
    def _values_from_below(self, reads: dict[str, list[_Read]], bindings: dict[str, list[_Binding]],
                           counts: dict[int, int | None]) -> None:
        reported: set[tuple[str, int]] = set()
        for name, found in reads.items():
            if name in self._reimported:
                continue  # `import numpy as np` in two cells: the same module either way
            places = bindings[name]
            for read in found:
                count = counts.get(read.cell)
                if count is None or (name, read.cell) in reported:
                    continue
                before = [b for b in places if b.position < read.position]
                if not before or any(b.cell == read.cell for b in before):
                    continue  # RV401's case, or the cell binds the name itself first
                ran_before = [
                    (c, b.cell) for b in places
                    if (c := counts.get(b.cell)) is not None and c < count and b.cell != read.cell
                ]
                if not ran_before:
                    continue
                last_count, last_cell = max(ran_before)
                if last_cell <= read.cell:
                    continue
                top_down = max(before, key=lambda b: b.position).cell
                reported.add((name, read.cell))
                self.report(
                    read.node,
                    f"`{name}` read in cell {read.cell + 1} [{count}] came from cell "
                    f"{last_cell + 1} below it, which ran before it [{last_count}]; Restart & Run "
                    f"All uses the value from cell {top_down + 1} instead (hidden state)",
                )

    def _deleted_later(self, reads: dict[str, list[_Read]],
                       bindings: dict[str, list[_Binding]]) -> None:
        reported: set[str] = set()
        for target in self._deleted:
            name = target.value
            line, col = self.context.span(target)[:2]
            cell = self._cell(line)
            if cell is None or name in reported:
                continue
            if any(b.position > (line, col) for b in bindings.get(name, [])):
                continue  # bound again afterwards: re-running the earlier cells works
            candidates = [
                read for read in reads.get(name, [])
                if read.cell < cell and not any(
                    b.cell == read.cell and b.position < read.position for b in bindings.get(name, [])
                )
            ]
            if not candidates:
                continue
            nearest = max(read.cell for read in candidates)
            read = next(r for r in candidates if r.cell == nearest)
            reported.add(name)
            self.report(
                read.node,
                f"`{name}` is deleted by `del {name}` in cell {cell + 1}: re-running cell "
                f"{nearest + 1} after it fails with a NameError (hidden state)",
            )

    def _redefinitions(self) -> None:
        cell_map = self.context.unit.cell_map
        counts = [span.execution_count for span in cell_map.spans] if cell_map is not None else []
        if counts and all(c is not None for c in counts) and counts == sorted(set(counts)):
            return  # every cell ran once, top to bottom: a later version refines on purpose
        seen: dict[str, tuple[int, cst.FunctionDef | cst.ClassDef, str]] = {}
        for node in self._defs:
            if _is_overload(node):
                continue
            name = node.name.value
            cell = self._cell(self.context.span(node.name)[0])
            if cell is None:
                continue
            code = _normalized(self.context.code_for(node.with_changes(leading_lines=())))
            previous = seen.get(name)
            seen[name] = (cell, node, code)
            if previous is None or previous[0] == cell or previous[2] == code:
                continue
            kind = "class" if isinstance(node, cst.ClassDef) else "function"
            self.report(
                node.name,
                f"{kind.capitalize()} `{name}` defined in cell {previous[0] + 1} is replaced by "
                f"a different definition in cell {cell + 1}: which one a cell uses depends on the "
                "order cells were run (hidden state); give the new version its own name",
            )


def _is_overload(node: cst.FunctionDef | cst.ClassDef) -> bool:
    for decorator in node.decorators:
        target = decorator.decorator
        name = target.attr.value if isinstance(target, cst.Attribute) else getattr(target, "value", "")
        if name in {"overload", "setter", "getter", "deleter", "register"}:
            return True
    return False


def _normalized(code: str) -> str:
    """Code without comments, blank lines and trailing whitespace, for comparing definitions."""
    lines = []
    for line in code.splitlines():
        stripped = line.split("#", 1)[0].rstrip() if "#" in line else line.rstrip()
        if stripped:
            lines.append(stripped)
    return "\n".join(lines)
