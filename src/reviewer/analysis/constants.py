"""Values the code provably holds without running it: expressions built from literals and names
holding constants (`num = 86; if 7 * 42 - num > 200:`), and module-level containers whose elements
are all literals. A small bounded interpreter over literals, never Python's eval."""

from __future__ import annotations

import builtins
import re
from collections.abc import Mapping

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
_NO_NAMES: Mapping[str, object] = {}


def constant_key(node: cst.Subscript, names: Mapping[str, object] = _NO_NAMES) -> object:
    """The constant index or key of `x[k]` (a literal, or a name holding a constant), else UNKNOWN."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return UNKNOWN
    key = constant_value(node.slice[0].slice.value, names)
    return key if isinstance(key, (str, int, bytes)) and not isinstance(key, bool) else UNKNOWN


def constant_truth(test: cst.CSTNode, names: Mapping[str, object] = _NO_NAMES) -> bool | None:
    """The truth of a condition built from literals and names holding constants (`if False:`,
    `num = 86; if 7 * 42 - num > 200:`), else None."""
    value = constant_value(test, names)
    # Values are only str, bytes, numbers, None and tuples of them: bool() of each is total.
    return None if value is UNKNOWN else bool(value)


def constant_value(node: cst.CSTNode, names: Mapping[str, object] = _NO_NAMES) -> object:
    """The value of an expression built only from literals, names holding constants (`names`)
    and a few pure operations on them, else UNKNOWN. Results are bounded in size, so crafted
    code (`"x" * 10**9`) stays cheap; anything not modelled is UNKNOWN, never a guess."""
    try:
        value = _constant(node, names, 0)
    except (TypeError, ValueError, ArithmeticError, IndexError, KeyError, RecursionError, MemoryError):
        return UNKNOWN
    return value if value is UNKNOWN or _bounded(value) else UNKNOWN


#: Bounds on constant values: longer strings and larger numbers are not evaluated further.
_MAX_TEXT = 10_000
_MAX_INT = 1 << 64
_MAX_DEPTH = 100
#: A %-format with a width or precision (`%9s`, `%.5d`, `%*d`).
_WIDTH = re.compile(r"%[-+ #0]*(\d|\*|\.)")
#: Pure methods of str (and bytes) whose result the evaluator computes.
_STR_METHODS = frozenset({
    "lower", "upper", "strip", "lstrip", "rstrip", "startswith", "endswith", "replace", "split",
    "join", "casefold", "title", "capitalize", "find", "count", "isdigit", "isalpha", "isalnum",
    "format", "zfill", "removeprefix", "removesuffix",
})
#: Builtins whose result the evaluator computes from constant arguments.
_BUILTINS = frozenset({"len", "str", "int", "abs", "min", "max", "bool", "ord", "chr"})


def _bounded(value: object) -> bool:
    if isinstance(value, (str, bytes)):
        return len(value) <= _MAX_TEXT
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return -_MAX_INT <= value <= _MAX_INT
    if isinstance(value, float):
        return True
    if isinstance(value, tuple):
        return len(value) <= 1000 and all(_bounded(v) for v in value)
    return False


def _constant(node: cst.CSTNode, names: Mapping[str, object], depth: int) -> object:
    """Every intermediate value is bounded, so nested operations cannot grow one without limit."""
    if depth > _MAX_DEPTH:
        return UNKNOWN
    value = _evaluate(node, names, depth + 1)
    return value if value is UNKNOWN or _bounded(value) else UNKNOWN


def _evaluate(node: cst.CSTNode, names: Mapping[str, object], depth: int) -> object:  # noqa: RV207 - one case per node type
    if isinstance(node, cst.Name):
        fixed = {"True": True, "False": False, "None": None}
        if node.value in fixed and node.value not in names:
            return fixed[node.value]
        return names.get(node.value, UNKNOWN)
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)):
        if isinstance(node, cst.ConcatenatedString):
            left, right = _constant(node.left, names, depth), _constant(node.right, names, depth)
            if isinstance(left, str) and isinstance(right, str) or isinstance(left, bytes) and isinstance(right, bytes):
                return left + right  # type: ignore[operator]
            return UNKNOWN
        value = literal(node)  # type: ignore[arg-type]
        return UNKNOWN if value is None else value
    if isinstance(node, cst.FormattedString):
        return _fstring(node, names, depth)
    if isinstance(node, cst.UnaryOperation):
        inner = _constant(node.expression, names, depth)
        if inner is UNKNOWN:
            return UNKNOWN
        if isinstance(node.operator, cst.Not):
            return not inner
        if isinstance(inner, (int, float)):
            if isinstance(node.operator, cst.Minus):
                return -inner
            if isinstance(node.operator, cst.Plus):
                return +inner
            if isinstance(node.operator, cst.BitInvert) and isinstance(inner, int):
                return ~inner
        return UNKNOWN
    if isinstance(node, cst.BooleanOperation):
        left = _constant(node.left, names, depth)
        if left is UNKNOWN:
            return UNKNOWN
        if isinstance(node.operator, cst.And):
            return left if not left else _constant(node.right, names, depth)
        return left if left else _constant(node.right, names, depth)
    if isinstance(node, cst.BinaryOperation):
        return _binary(node.operator, _constant(node.left, names, depth), _constant(node.right, names, depth))
    if isinstance(node, cst.Comparison):
        return _comparison(node, names, depth)
    if isinstance(node, cst.IfExp):
        test = _constant(node.test, names, depth)
        if test is UNKNOWN:
            return UNKNOWN
        return _constant(node.body if test else node.orelse, names, depth)
    if isinstance(node, cst.Tuple):
        items = [_constant(e.value, names, depth) if isinstance(e, cst.Element) else UNKNOWN for e in node.elements]
        return UNKNOWN if any(v is UNKNOWN for v in items) else tuple(items)
    if isinstance(node, cst.Subscript):
        return _subscript(node, names, depth)
    if isinstance(node, cst.Call):
        return _call(node, names, depth)
    return UNKNOWN


def _fstring(node: cst.FormattedString, names: Mapping[str, object], depth: int) -> object:
    out: list[str] = []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            out.append(part.value)
        elif isinstance(part, cst.FormattedStringExpression):
            if part.conversion is not None or part.format_spec is not None:
                return UNKNOWN
            value = _constant(part.expression, names, depth)
            if not isinstance(value, (str, int)) or isinstance(value, bool):
                return UNKNOWN
            out.append(str(value))
    if any("{" in text or "}" in text or "\\" in text for text in out if isinstance(text, str)):
        return UNKNOWN  # escaped braces and escapes: not worth modelling
    return "".join(out)


def _binary(op: cst.BaseBinaryOp, left: object, right: object) -> object:  # noqa: RV207 - one case per operator
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    numbers = (int, float)
    if isinstance(op, cst.Add):
        if isinstance(left, str) and isinstance(right, str) or isinstance(left, tuple) and isinstance(right, tuple):
            return left + right if len(left) + len(right) <= _MAX_TEXT else UNKNOWN  # type: ignore[operator]
        if isinstance(left, numbers) and isinstance(right, numbers):
            return left + right
        return UNKNOWN
    if isinstance(op, cst.Multiply):
        if isinstance(left, (str, tuple)) and isinstance(right, int) or isinstance(right, (str, tuple)) and isinstance(left, int):
            text, times = (left, right) if isinstance(left, (str, tuple)) else (right, left)
            return text * times if len(text) * max(times, 0) <= _MAX_TEXT else UNKNOWN  # type: ignore[operator]
        if isinstance(left, numbers) and isinstance(right, numbers):
            return left * right
        return UNKNOWN
    if not (isinstance(left, numbers) and isinstance(right, numbers)):
        if isinstance(op, cst.Modulo) and isinstance(left, str) and isinstance(right, (str, int, float, tuple)):
            if _WIDTH.search(left):
                return UNKNOWN  # `"%999999999s" % x` would allocate the width
            result = left % right
            return result if len(result) <= _MAX_TEXT else UNKNOWN
        return UNKNOWN
    if isinstance(op, cst.Subtract):
        return left - right
    if isinstance(op, cst.Divide):
        return left / right
    if isinstance(op, cst.FloorDivide):
        return left // right
    if isinstance(op, cst.Modulo):
        return left % right
    if isinstance(op, cst.Power):
        if isinstance(right, int) and abs(right) <= 64 and abs(left) <= _MAX_INT:
            return left ** right
        return UNKNOWN
    if isinstance(left, int) and isinstance(right, int):
        if isinstance(op, cst.BitAnd):
            return left & right
        if isinstance(op, cst.BitOr):
            return left | right
        if isinstance(op, cst.BitXor):
            return left ^ right
        if isinstance(op, cst.LeftShift) and 0 <= right <= 64:
            return left << right
        if isinstance(op, cst.RightShift) and right >= 0:
            return left >> right
    return UNKNOWN


def _comparison(node: cst.Comparison, names: Mapping[str, object], depth: int) -> object:
    left = _constant(node.left, names, depth)
    if left is UNKNOWN:
        return UNKNOWN
    for target in node.comparisons:
        right = _constant(target.comparator, names, depth)
        if right is UNKNOWN:
            return UNKNOWN
        outcome = _compare(target.operator, left, right)
        if outcome is UNKNOWN or not outcome:
            return outcome
        left = right
    return True


def _compare(op: cst.BaseCompOp, left: object, right: object) -> object:  # noqa: RV207 - one case per operator
    if isinstance(op, cst.Equal):
        return left == right
    if isinstance(op, cst.NotEqual):
        return left != right
    if isinstance(op, cst.Is):
        return left is right if left is None or right is None or isinstance(left, bool) else UNKNOWN
    if isinstance(op, cst.IsNot):
        return left is not right if left is None or right is None or isinstance(left, bool) else UNKNOWN
    if isinstance(op, (cst.In, cst.NotIn)):
        if isinstance(right, str) and not isinstance(left, str) or isinstance(right, bytes) and not isinstance(left, bytes):
            return UNKNOWN
        if not isinstance(right, (str, bytes, tuple)):
            return UNKNOWN
        found = left in right  # type: ignore[operator]
        return found if isinstance(op, cst.In) else not found
    if isinstance(op, cst.LessThan):
        return left < right  # type: ignore[operator]
    if isinstance(op, cst.GreaterThan):
        return left > right  # type: ignore[operator]
    if isinstance(op, cst.LessThanEqual):
        return left <= right  # type: ignore[operator]
    if isinstance(op, cst.GreaterThanEqual):
        return left >= right  # type: ignore[operator]
    return UNKNOWN


def _subscript(node: cst.Subscript, names: Mapping[str, object], depth: int) -> object:
    base = _constant(node.value, names, depth)
    if not isinstance(base, (str, bytes, tuple)) or len(node.slice) != 1:
        return UNKNOWN
    index = node.slice[0].slice
    if isinstance(index, cst.Index):
        key = _constant(index.value, names, depth)
        return base[key] if isinstance(key, int) and not isinstance(key, bool) else UNKNOWN
    bounds = []
    for part in (index.lower, index.upper, index.step):
        value = None if part is None else _constant(part, names, depth)
        if value is not None and not (isinstance(value, int) and not isinstance(value, bool)):
            return UNKNOWN
        bounds.append(value)
    if bounds[2] == 0:
        return UNKNOWN
    return base[slice(*bounds)]


def _call(node: cst.Call, names: Mapping[str, object], depth: int) -> object:
    if any(arg.star or arg.keyword is not None for arg in node.args):
        return UNKNOWN
    func = node.func
    if isinstance(func, cst.Name) and func.value in _BUILTINS and func.value not in names:
        args = [_constant(arg.value, names, depth) for arg in node.args]
        if any(a is UNKNOWN for a in args) or not args:
            return UNKNOWN
        if func.value == "str" and not isinstance(args[0], (str, int, float, bool)):
            return UNKNOWN
        if func.value == "int" and isinstance(args[0], str) and len(args[0]) > 100:
            return UNKNOWN
        return getattr(builtins, func.value)(*args)
    if isinstance(func, cst.Attribute) and func.attr.value in _STR_METHODS:
        receiver = _constant(func.value, names, depth)
        if not isinstance(receiver, str):
            return UNKNOWN
        args = [_constant(arg.value, names, depth) for arg in node.args]
        if any(not isinstance(a, (str, int, tuple)) or isinstance(a, bool) for a in args):
            return UNKNOWN
        if func.attr.value == "format" and (":" in receiver or any(not isinstance(a, (str, int)) for a in args)):
            return UNKNOWN  # a format spec may ask for any width
        if func.attr.value == "zfill" and (not args or not isinstance(args[0], int) or args[0] > _MAX_TEXT):
            return UNKNOWN
        if func.attr.value == "replace" and len(args) >= 2 and len(receiver) * max(len(str(args[1])), 1) > _MAX_TEXT * 10:
            return UNKNOWN
        if func.attr.value == "split":
            return tuple(getattr(receiver, "split")(*args))
        if func.attr.value == "join":
            if len(args) != 1 or not isinstance(args[0], tuple) or not all(isinstance(a, str) for a in args[0]):
                return UNKNOWN
        result = getattr(receiver, func.attr.value)(*args)
        return result
    return UNKNOWN
