"""Values bound to a name (`name = value`, `obj.name = value`, `d["name"] = value`, `f(name=value)`,
`def f(name=value)`, `{"name": value}`) and the text of string literals."""

from __future__ import annotations

import libcst as cst


def literal(node: cst.BaseExpression) -> object | None:
    """The value of a string/number literal, or None when Python would reject it (libcst's
    `evaluated_value` raises on, e.g., a NUL character inside a string)."""
    try:
        return node.evaluated_value  # type: ignore[attr-defined]
    except (ValueError, SyntaxError, MemoryError, RecursionError, AttributeError):
        return None


def string_value(expr: cst.BaseExpression, *, raw: bool = False) -> str | None:
    """The text of a string literal or an implicit concatenation of them; None for anything else,
    f-strings included.

    By default the evaluated `str` value (bytes literals give None). With `raw`, the source text
    between the quotes, escape sequences as written and bytes literals included: what a scanner
    looking for secrets in the source reads.
    """
    if isinstance(expr, cst.SimpleString):
        if raw:
            return expr.raw_value
        if "b" in expr.prefix.lower():
            return None
        value = literal(expr)
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.ConcatenatedString):
        left, right = string_value(expr.left, raw=raw), string_value(expr.right, raw=raw)
        return None if left is None or right is None else left + right
    return None


def module_assignments(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Names bound exactly once by a plain or annotated assignment at module level, and the
    value bound (`HOST = "0.0.0.0"`, `ALLOWED = {"a", "b"}`): candidates for constants."""
    values: dict[str, cst.BaseExpression] = {}
    counts: dict[str, int] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                targets = [t.target for t in small.targets]
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                targets = [small.target]
            else:
                continue
            for target in targets:
                if isinstance(target, cst.Name):
                    counts[target.value] = counts.get(target.value, 0) + 1
                    values[target.value] = small.value  # type: ignore[assignment]
    return {name: value for name, value in values.items() if counts[name] == 1}


def target_name(expr: cst.BaseExpression) -> str | None:
    """`x` for `x = ...`, `attr` for `obj.attr = ...`, `k` for `d["k"] = ...` (the key as written
    in the source), None for other targets."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index):
            return string_value(index.value, raw=True)
    return None
