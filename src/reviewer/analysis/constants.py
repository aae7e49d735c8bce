"""Values the code provably holds without running it: conditions built only from literals
(`if False:`, `if 1 == 2:`), and module-level containers whose elements are all literals.
A small interpreter over literals, never Python's eval."""

from __future__ import annotations

import libcst as cst

from reviewer.analysis.bindings import literal, module_assignments
from reviewer.engine.imports import dotted_name
from reviewer.engine.patterns import is_literal


def constant_containers(module: cst.Module) -> frozenset[str]:
    """Names bound once at module level to a dict/list/tuple/set whose values are all literals."""
    return frozenset(name for name, value in module_assignments(module).items() if _literal_container(value))


def _literal_container(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Dict):
        return all(isinstance(e, cst.DictElement) and is_literal(e.value) for e in value.elements)
    if isinstance(value, (cst.List, cst.Tuple, cst.Set)):
        return is_literal(value)
    return (
        isinstance(value, cst.Call) and dotted_name(value.func) in ("frozenset", "set", "tuple")
        and len(value.args) == 1 and is_literal(value.args[0].value)
    )


class _Unknown:
    """Not a constant (a literal may be None, so None cannot say this)."""


UNKNOWN = _Unknown()


def constant_key(node: cst.Subscript) -> object:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return UNKNOWN
    value = node.slice[0].slice.value
    if isinstance(value, (cst.SimpleString, cst.Integer)):
        key = literal(value)
        return UNKNOWN if key is None else key
    return UNKNOWN


def constant_truth(test: cst.CSTNode) -> bool | None:
    """The truth of a condition built only from literals (`if False:`, `if 1 == 2:`), else None.
    Evaluated by this small interpreter over literals, never by Python's eval."""
    value = _constant(test)
    return None if value is UNKNOWN else bool(value)


def _constant(node: cst.CSTNode) -> object:  # noqa: RV207 - one case per operator
    if isinstance(node, cst.Name):
        return {"True": True, "False": False, "None": None}.get(node.value, UNKNOWN)
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)):
        value = literal(node)  # type: ignore[arg-type]
        return UNKNOWN if value is None else value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
        inner = _constant(node.expression)
        return UNKNOWN if inner is UNKNOWN else not inner
    if isinstance(node, cst.BooleanOperation):
        left, right = _constant(node.left), _constant(node.right)
        if isinstance(node.operator, cst.And):
            if left is not UNKNOWN and not left:
                return left
            return right if left is not UNKNOWN else UNKNOWN
        if left is not UNKNOWN and left:
            return left
        return right if left is not UNKNOWN else UNKNOWN
    if isinstance(node, cst.Comparison) and len(node.comparisons) == 1:
        left, right = _constant(node.left), _constant(node.comparisons[0].comparator)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        op = node.comparisons[0].operator
        try:
            if isinstance(op, cst.Equal):
                return left == right
            if isinstance(op, cst.NotEqual):
                return left != right
            if isinstance(op, cst.LessThan):
                return left < right  # type: ignore[operator]
            if isinstance(op, cst.GreaterThan):
                return left > right  # type: ignore[operator]
            if isinstance(op, cst.LessThanEqual):
                return left <= right  # type: ignore[operator]
            if isinstance(op, cst.GreaterThanEqual):
                return left >= right  # type: ignore[operator]
            if isinstance(op, cst.Is):
                return left is right
            if isinstance(op, cst.IsNot):
                return left is not right
        except TypeError:
            return UNKNOWN
    return UNKNOWN
