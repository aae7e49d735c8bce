"""Ruff and bandit findings that the code around them contradicts or repeats, settled per file.

The tools judge one node at a time. Read with its context, some of their findings are wrong (a
`# %%` cell's last expression is displayed, an attribute read inside `pytest.raises` is meant
to raise, a closure called in the same loop pass sees the current value, a right-to-left mark
in an Arabic date format is not a Trojan Source attack, a hardcoded `/tmp` path in a test is
test scaffolding) and some repeat one problem many times (every name from a star import).
Measured on real projects (benchmarks/precision.py), these were most of the tools' false
findings.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePosixPath

from reviewer.model import Category, Finding, Severity
from reviewer.sources import SourceUnit
from reviewer.sources.unit import ends_cell, is_generated

_BACKTICKED = re.compile(r"`([^`]+)`")
#: Context managers inside which an expression statement is there to raise.
_RAISES = ("raises", "assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assertWarns")
#: Words an SQL statement starts with; text built with `select ... from` inside a sentence (an
#: LLM prompt, a message) starts with another word.
_SQL_START = re.compile(
    r"\s*[(\s]*(?:select|insert|update|delete|with|replace|merge|upsert|create|alter|drop|truncate|"
    r"explain|pragma|values|set|from|where|and|or|order|group|limit|join|union|having|returning|on)\b",
    re.IGNORECASE,
)
_IPYTHON_BUILTINS = frozenset({"get_ipython", "display", "__IPYTHON__"})
#: Tool security checks that still matter in test code: running code from data.
IN_TESTS_TOO = frozenset({"B102", "S102", "B307", "S307", "B506", "S506"})
#: Bidirectional characters that reorder text (the Trojan Source attack: overrides, embeddings,
#: isolates); the plain marks U+200E/U+200F/U+061C only set a direction in locale text.
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")


def refine(unit: SourceUnit, findings: list[Finding], test_file: bool) -> list[Finding]:
    """The findings of one unit minus the ones their context contradicts, repeats collapsed."""
    if not findings:
        return findings
    name = PurePosixPath(unit.path).name
    package_init = name == "__init__.py"
    compat = name.lstrip("_").endswith("compat.py")
    generated = is_generated(unit.text)
    tree = _Tree(unit)
    kept: list[Finding] = []
    for finding in findings:
        code = finding.code
        if test_file and finding.category is Category.SECURITY and code not in IN_TESTS_TOO:
            continue  # test scaffolding: fixtures, local servers, temporary paths, fake keys
        if generated and finding.category is not Category.SECURITY and finding.severity is not Severity.ERROR:
            continue  # style in a file a tool writes: nobody edits it by hand
        if code in ("B613", "PLE2502") and _marks_only(unit, finding):
            continue
        if (package_init or compat) and code in ("F401", "F403", "F405"):
            continue  # a package's __init__ or a compat module re-exports: imports are its API
        if code == "F401" and "find_spec" in finding.message:
            continue  # imported to test availability (ruff's own hint), not for use
        if code == "B018" and _displayed_or_probing(tree, unit, finding, test_file):
            continue
        if code == "B015" and _displayed_comparison(tree, unit, finding):
            continue
        if code in ("B608", "S608") and _prose(tree, unit, finding):
            continue
        if code == "B023" and _called_in_same_pass(tree, unit, finding):
            continue
        if code == "F821" and _guarded_name(tree, unit, finding):
            continue
        kept.append(finding)
    return _collapse(kept)


def _collapse(findings: list[Finding]) -> list[Finding]:
    """F405 once per unit (listing the names), F821/F811 once per name and line."""
    out: list[Finding] = []
    star_uses: list[Finding] = []
    seen: set[tuple[str, int | None, int, str]] = set()
    for finding in findings:
        if finding.code == "F405":
            star_uses.append(finding)
            continue
        if finding.code in ("F821", "F811"):
            names = _BACKTICKED.findall(finding.message)
            key = (finding.code, finding.location.cell, finding.location.line, names[0] if names else "")
            if key in seen:
                continue
            seen.add(key)
        out.append(finding)
    if star_uses:
        names = list(dict.fromkeys(n for f in star_uses for n in _BACKTICKED.findall(f.message)[:1]))
        shown = ", ".join(f"`{n}`" for n in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        first = star_uses[0]
        verb = "comes" if len(names) == 1 else "come"
        out.append(replace(first, message=(
            f"{shown}{more} {verb} from a star import or nowhere ({len(star_uses)} uses): "
            "import the names explicitly so undefined ones show")))
    return out


class _Tree:
    """CPython's parse of the unit, made on first use (most units never need it); statements by
    line and the chain of ancestors for a line."""

    def __init__(self, unit: SourceUnit) -> None:
        self.unit = unit
        self._module: ast.Module | None | bool = False
        self._parents: dict[ast.AST, ast.AST] = {}
        self._by_line: dict[int, list[ast.AST]] = {}

    @property
    def module(self) -> ast.Module | None:
        if self._module is False:
            try:
                self._module = ast.parse(self.unit.text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._module = None
            else:
                for node in ast.walk(self._module):
                    if hasattr(node, "lineno"):
                        self._by_line.setdefault(node.lineno, []).append(node)
                    for child in ast.iter_child_nodes(node):
                        self._parents[child] = node
        return self._module  # type: ignore[return-value]

    def node_at(self, line: int, column: int, kind: type[ast.AST] | tuple[type[ast.AST], ...]) -> ast.AST | None:
        """The node of `kind` starting at (line, 0-based column), else the first on the line."""
        if self.module is None:
            return None
        candidates = [n for n in self._by_line.get(line, ()) if isinstance(n, kind)]
        exact = [n for n in candidates if getattr(n, "col_offset", -1) == column]
        return (exact or candidates or [None])[0]

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        while node in self._parents:
            node = self._parents[node]
            yield node


def _marks_only(unit: SourceUnit, finding: Finding) -> bool:
    """The flagged lines hold direction marks but no reordering control character."""
    first = unit.virtual_line(finding.location)
    last = max(first, unit.virtual_end(finding.location))
    text = "".join(unit.line_text(n) for n in range(first, last + 1))
    return not _REORDERING.intersection(text) and bool(_BIDI_MARKS.intersection(text))


def _position(unit: SourceUnit, finding: Finding) -> tuple[int, int]:
    return unit.virtual_line(finding.location), finding.location.column - 1


def _displayed_or_probing(tree: _Tree, unit: SourceUnit, finding: Finding, test_file: bool) -> bool:
    """B018 on an expression that is there on purpose: in a test (a smoke check that it does
    not raise), inside `pytest.raises`/`assertRaises`, as a probe in a `try` that catches the
    failure, a display (dict, list...) written out as documentation, one a comment explains
    (a property read for its side effect), or the last expression of a `# %%` cell, which
    notebooks and sphinx-gallery display."""
    if test_file:
        return True
    line, column = _position(unit, finding)
    statement = tree.node_at(line, column, ast.Expr)
    if statement is None:
        return False
    if isinstance(statement.value, (ast.Dict, ast.List, ast.Set, ast.Tuple, ast.Constant)):
        return True
    if "#" in unit.line_text(line) or unit.line_text(line - 1).lstrip().startswith("#"):
        return True  # `state.apps  # render all`: the author says why the value is read
    for ancestor in tree.ancestors(statement):
        if isinstance(ancestor, (ast.With, ast.AsyncWith)) and any(
            _called_name(item.context_expr) in _RAISES for item in ancestor.items
        ):
            return True
        if isinstance(ancestor, ast.Try) and ancestor.handlers and _within(statement, ancestor.body):
            return True
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
    return _last_in_percent_cell(unit, statement)


def _displayed_comparison(tree: _Tree, unit: SourceUnit, finding: Finding) -> bool:
    """B015 on a module-level comparison that ends a `# %%` cell: the cell displays its result."""
    line, column = _position(unit, finding)
    statement = tree.node_at(line, column, ast.Expr)
    return statement is not None and tree._parents.get(statement) is tree.module \
        and _last_in_percent_cell(unit, statement)


def _within(node: ast.AST, body: list[ast.stmt]) -> bool:
    return any(stmt.lineno <= node.lineno <= (stmt.end_lineno or stmt.lineno) for stmt in body)


def _called_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _last_in_percent_cell(unit: SourceUnit, statement: ast.Expr) -> bool:
    """A module-level expression that ends a `# %%` cell of a script (notebooks have none)."""
    return unit.cell_map is None and ends_cell(unit, statement.end_lineno or statement.lineno)


def _called_in_same_pass(tree: _Tree, unit: SourceUnit, finding: Finding) -> bool:
    """B023 on a function defined in a loop and called in the same loop body: it runs while the
    loop variable still has the value it was written for, so late binding changes nothing."""
    line, column = _position(unit, finding)
    name = tree.node_at(line, column, ast.Name)
    if name is None:
        return False
    function = loop = None
    for ancestor in tree.ancestors(name):
        if function is None and isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            function = ancestor
        elif function is not None and isinstance(ancestor, (ast.For, ast.AsyncFor, ast.While)):
            loop = ancestor
            break
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or loop is None:
        return False  # lambdas are usually stored for later, which is where late binding bites
    escapes = False
    called = False
    for node in ast.walk(loop):
        if isinstance(node, ast.Name) and node.id == function.name:
            parent = tree._parents.get(node)
            if isinstance(parent, ast.Call) and parent.func is node:
                called = True
            else:
                escapes = True  # stored, returned or handed over: may run after the loop moves on
    return called and not escapes


def _guarded_name(tree: _Tree, unit: SourceUnit, finding: Finding) -> bool:
    """F821 for a name whose absence the code expects: IPython's builtins, or a use inside a
    `try` that catches NameError."""
    names = _BACKTICKED.findall(finding.message)
    if names and names[0] in _IPYTHON_BUILTINS:
        return True
    line, column = _position(unit, finding)
    name = tree.node_at(line, column, ast.Name)
    if name is None:
        return False
    for ancestor in tree.ancestors(name):
        if isinstance(ancestor, ast.Try) and _within(name, ancestor.body) and any(
            _catches(handler, "NameError") for handler in ancestor.handlers
        ):
            return True
    return False


def _catches(handler: ast.ExceptHandler, name: str) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_called_name(t) in (name, "Exception", "BaseException") for t in types)


def _prose(tree: _Tree, unit: SourceUnit, finding: Finding) -> bool:
    """B608 on text that mentions SQL words inside a sentence ("select up to 3 tags from the
    following list" in an LLM prompt): its first word is not one an SQL statement or clause
    starts with. A string that starts with an interpolated value stays reported."""
    line, column = _position(unit, finding)
    node = tree.node_at(line, column, (ast.Constant, ast.JoinedStr, ast.BinOp))
    while isinstance(node, ast.BinOp):
        node = node.left  # "SELECT * FROM " + table: the statement starts on the left
    if isinstance(node, ast.JoinedStr):
        node = node.values[0] if node.values else None
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    text = node.value.lstrip()
    return bool(text[:1].isalpha()) and not _SQL_START.match(text)
