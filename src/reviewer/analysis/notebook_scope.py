"""Module-level names across notebook cells, on top of libcst's ScopeProvider: which names an
assignment target binds, and which scopes run when their cell runs (shared by the notebook rules
RV401 and RV406)."""

from __future__ import annotations

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
