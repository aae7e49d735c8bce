"""Pieces of autofixes that rules share: spelling a qualified name with the module's own imports,
and the line where an `import` the fix needs goes (in a notebook: in the fixed cell)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import libcst as cst

from reviewer.engine.imports import BUILTIN_NAMES

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext


def imports_module(context: RuleContext, module: str) -> bool:
    """Whether the module imports `module` (by any name) or something from it."""
    return _imports_module(context, module) or any(
        bound == module or bound.startswith(module + ".") for bound in context.imports.aliases.values()
    )


def _imports_module(context: RuleContext, module: str) -> bool:
    """Whether a module-level `import module` (or `import module as x`, or an import of a
    submodule below it) already makes `module` available as an attribute path."""
    return any(
        isinstance(statement, cst.Import) and (name == module or name.startswith(module + "."))
        for name, statement in context.imports.modules
    )


def import_line(context: RuleContext, module: str, near: cst.CSTNode) -> tuple[int, str] | None:
    """Where `import module` goes so that code at `near` can use it: after the last module-level
    import statement above `near` (in a notebook, in `near`'s cell), else at the top of the module
    (after its docstring and `from __future__` imports) or of the cell."""
    first = context.span(near)[0]
    unit = context.unit
    cell_start = 1
    if unit.cell_map is not None:
        found = unit.cell_map.locate(first)
        if found is None:
            return None
        cell_start = found[0].first_line
        magics = {line for line, _ in found[0].magics}
        leading = 1
        while leading in magics:  # `%%time`, `!pip install`: the cell's first lines stay first
            leading += 1
        cell_start += leading - 1
    after = None
    preamble = True  # only a docstring and `from __future__` imports so far
    for statement in context.module.body:
        start, _, end, _ = context.span(statement, (context.module, statement))
        if start >= first:
            break
        if start < cell_start:
            continue
        simple = isinstance(statement, cst.SimpleStatementLine)
        if simple and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body):
            after = end
        elif simple and preamble and (_is_docstring(statement) or _is_future(statement)):
            after = end
        else:
            preamble = False
    line = after + 1 if after is not None else cell_start
    return line, f"import {module}\n"


def _is_docstring(statement: cst.SimpleStatementLine) -> bool:
    small = statement.body[0] if statement.body else None
    return isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))


def _is_future(statement: cst.SimpleStatementLine) -> bool:
    small = statement.body[0] if statement.body else None
    return isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name) and small.module.value == "__future__"


def spell(context: RuleContext, qualified: str, module: str | None, near: cst.CSTNode,
          written: str | None = None) -> tuple[str, tuple[tuple[int, str], ...]] | None:
    """How code at `near` names `qualified` (e.g. `collections.abc.Mapping`, or a builtin such
    as `float`), and the import lines that requires; None when a local name is in the way.

    `module` is what must be imported (`collections.abc`); `written` the dotted text the code
    used for the old name (`c.Mapping` with `import collections as c`), whose alias is reused."""
    if module is None:  # a builtin, or an attribute of one (`str.maketrans`)
        root = qualified.split(".")[0]
        if root not in BUILTIN_NAMES or root in context.imports.aliases or root in context.imports.rebound:
            return None
        return qualified, ()
    if written is not None:
        local = written.split(".")[0]
        bound = context.imports.aliases.get(local)
        if bound is not None and (qualified.startswith(bound + ".") and (module == bound or module.startswith(bound + "."))):
            spelled = local + qualified[len(bound):]
            if module == bound or _imports_module(context, module):
                return spelled, ()
            line = import_line(context, module, near)
            return (spelled, (line,)) if line is not None else None
    for local, bound in context.imports.aliases.items():
        # `import pandas as pd`: `pandas.isna` is `pd.isna`
        if bound != local and module == bound and qualified.startswith(bound + "."):
            return local + qualified[len(bound):], ()
    root = qualified.split(".")[0]
    bound = context.imports.aliases.get(root)
    if (bound is not None and bound != root) or root in context.imports.rebound:
        return None  # `root` names something else here
    if _imports_module(context, module):
        return qualified, ()
    line = import_line(context, module, near)
    return (qualified, (line,)) if line is not None else None


def add_argument(call: cst.Call, argument: str, code: Callable[[cst.CSTNode], str]) -> tuple[cst.CSTNode, str] | None:
    """An edit that appends `argument` (`timeout=30`) to the call's arguments: the last argument's
    value rewritten as itself plus `, timeout=30`, so a trailing comma and line breaks stay where
    they are. None for a call without arguments or ending in `**kwargs`."""
    if not call.args or call.args[-1].star == "**":
        return None
    last = call.args[-1].value
    return last, code(last) + ", " + argument


def drop_argument(call: cst.Call, arg: cst.Arg, code: Callable[[cst.CSTNode], str]) -> tuple[cst.CSTNode, str] | None:
    """An edit that removes one argument of a call (a removed keyword, `inplace=True`); None when
    comments inside the call would be lost or misplaced."""
    if "#" in code(call):
        return None
    args = [a for a in call.args if a is not arg]
    if args and call.args[-1] is arg:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call, code(call.with_changes(args=args, lpar=(), rpar=()))


#: Expressions that keep their meaning wherever a fix template puts them (`$X.attr`, `f($X)`).
ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.SimpleString, cst.Integer, cst.Float,
         cst.List, cst.Tuple, cst.Dict, cst.Set, cst.FormattedString, cst.ConcatenatedString)


def operand(node: cst.BaseExpression, code: Callable[[cst.CSTNode], str], *, item: bool = False) -> str:
    """The code of `node` for a fix template: in parentheses unless it is an atom (or, as an
    argument or subscript `item`, unless it is a bare tuple, a walrus or a yield)."""
    text = code(node.with_changes(lpar=(), rpar=()) if node.lpar else node)
    if item:
        needs = isinstance(node, (cst.Tuple, cst.NamedExpr, cst.Yield))
    else:
        needs = not isinstance(node, ATOMS) or (isinstance(node, cst.Tuple) and bool(node.lpar))
    return f"({text})" if needs else text
