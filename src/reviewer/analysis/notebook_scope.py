"""Module-level names across notebook cells, on top of libcst's ScopeProvider: which names an
assignment target binds, and which scopes run when their cell runs (shared by the notebook rules
RV401 and RV406)."""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst as cst
from libcst.metadata import ClassScope, ComprehensionScope, FunctionScope, GlobalScope, Scope


def target_names(target: cst.BaseExpression) -> list[cst.Name]:
    """The names bound by an assignment target (`a`, `a, (b, *c)`); not `obj.attr` or `d[k]`."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []


def runs_at_module_level(scope: Scope, global_scope: GlobalScope) -> bool:
    """The scope's code runs when its cell runs: module level, or comprehensions, lambdas and
    class bodies nested (only) in module-level code. Function bodies run when called."""
    while scope is not global_scope:
        if isinstance(scope, FunctionScope):
            if not isinstance(scope.node, cst.Lambda):
                return False
        elif not isinstance(scope, (ComprehensionScope, ClassScope)):
            return False
        scope = scope.parent
    return True


def bound_locally(name: str, scope: Scope, global_scope: GlobalScope) -> bool:
    """Bound by a comprehension, lambda or class body between the use and the module.

    Access.referents cannot answer this: at module level it only holds bindings made before the
    use, and a binding in a later cell is exactly what the notebook rules look for.
    """
    while scope is not global_scope:
        if scope.assignments[name]:
            return True
        scope = scope.parent
    return False


def may_read_later_binding(tree: ast.Module | None, cell_of: Callable[[int], int | None]) -> bool:
    """Whether some name is read in a cell while every module-level binding of it is in a later
    cell: the only case a use-before-definition can exist. A fast, conservative screen on
    CPython's tree (reads inside functions count too, `global` makes it answer True), so the
    scope analysis runs only for notebooks that may have such a read."""
    if tree is None:
        return True
    first: dict[str, int] = {}  #: name -> the first cell that binds it at module level
    pending = list(tree.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [statement.name]
        else:
            augmented = {id(node.target) for node in ast.walk(statement) if isinstance(node, ast.AugAssign)}
            names = [node.id for node in ast.walk(statement)  # `x += 1` reads x before binding it
                     if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in augmented]
            names += [(alias.asname or alias.name).split(".")[0] for node in ast.walk(statement)
                      if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names]
        cell = cell_of(statement.lineno)
        if cell is None:
            continue
        for name in names:
            first[name] = min(first.get(name, cell), cell)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return True
        read = node.target if isinstance(node, ast.AugAssign) else node
        if isinstance(read, ast.Name) and (isinstance(read.ctx, ast.Load) or read is not node) and read.id in first:
            cell = cell_of(read.lineno)
            if cell is None or cell < first[read.id]:
                return True
    return False
