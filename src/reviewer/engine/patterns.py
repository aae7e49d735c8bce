"""Code patterns in Python syntax, matched on the CST: `$X` metavariables, `...` ellipsis.

`subprocess.$F(..., shell=True, ...)` matches `sp.call(cmd, shell=True)` after
`import subprocess as sp`: dotted names compare by qualified name, not by spelling.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from reviewer.analysis.bindings import literal
from reviewer.engine.imports import BUILTIN_NAMES, dotted_name
from reviewer.engine.walker import walkable_fields

#: A metavariable in pattern text; rewritten to a plain identifier so libcst can parse it.
METAVARIABLE = re.compile(r"\$([A-Z_][A-Z0-9_]*)")
_PREFIX = "__mv_"
#: `def f(...):` is not Python; it becomes `def f(*__mv_params__):`, which matches any parameters.
_ANY_PARAMS = "__mv_params__"
_ANY_REST = "__mv_rest__"
_TRAILING_ELLIPSIS = re.compile(r"""=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^=,()]+(?:\([^()]*\))?),\s*\.\.\.\s*\)""")
_DEF_ELLIPSIS = re.compile(r"\bdef\s+(\$?\w+)\s*\(\s*\.\.\.\s*\)")

Bindings = dict[str, "cst.CSTNode | str"]
#: qualified_name(node) -> "subprocess.run" or None (the unit's import table).
QualifiedName = Callable[[cst.BaseExpression], "str | None"]
#: code_for(node) -> source text of the node, for comparing repeated metavariables.
CodeFor = Callable[[cst.CSTNode], str]


class PatternError(ValueError):
    """Pattern text that is not Python syntax (after metavariables are rewritten)."""


def _metavariable(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.Name) and node.value.startswith(_PREFIX) and node.value not in (_ANY_PARAMS, _ANY_REST):
        return "$" + node.value[len(_PREFIX):]
    return None


def _is_ellipsis(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Ellipsis):
        return True
    if isinstance(node, (cst.Arg, cst.Element)) and not getattr(node, "keyword", None):
        return isinstance(node.value, cst.Ellipsis) and not getattr(node, "star", "")
    if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
        small = node.body[0]
        return isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis)
    return False


def _is_any_body(node: cst.CSTNode) -> bool:
    """A block that is only `...` (`def f(...): ...`) matches any block."""
    if isinstance(node, cst.SimpleStatementSuite):
        return len(node.body) == 1 and isinstance(node.body[0], cst.Expr) and isinstance(node.body[0].value, cst.Ellipsis)
    if isinstance(node, cst.IndentedBlock):
        return len(node.body) == 1 and _is_ellipsis(node.body[0])
    return False


def _chain(node: cst.CSTNode) -> list[str] | None:
    """`a.$B.c` -> ["a", "__mv_B", "c"]; None if the node is not a Name/Attribute chain."""
    if not isinstance(node, (cst.Name, cst.Attribute)):
        return None
    dotted = dotted_name(node)  # type: ignore[arg-type]
    return dotted.split(".") if dotted else None


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern; `dispatch` is the node type it can match at the root, and `call_name`
    the last name of the called function when that is fixed (an index key for fast matching)."""

    text: str
    node: cst.CSTNode
    dispatch: type[cst.CSTNode]
    call_name: str | None
    #: Words any matching source must contain (the first literal name of the pattern).
    trigger: str | None
    metavariables: frozenset[str]
    #: Keyword arguments a matching call must have (a cheap pre-check).
    keywords: frozenset[str] = frozenset()
    #: For a dotted name without metavariables, the qualified name it stands for.
    qualified: str | None = None
    #: For a call of a dotted name with a literal first part (`pickle.$F(...)`), that part.
    head: str | None = None


def compile_pattern(text: str) -> Pattern:
    code = _DEF_ELLIPSIS.sub(lambda m: f"def {m.group(1)}(*{_ANY_PARAMS})", text.strip())
    code = METAVARIABLE.sub(lambda m: _PREFIX + m.group(1), code)
    # `f(..., shell=True, ...)` is not Python (positional after keyword): the trailing `...`
    # becomes `**__mv_rest__`, which matches any further arguments.
    code = _TRAILING_ELLIPSIS.sub(f"=\\1, **{_ANY_REST})", code)
    node: cst.CSTNode
    try:
        node = cst.parse_expression(code)
    except cst.ParserSyntaxError:
        try:
            statement = cst.parse_statement(code + "\n")
        except cst.ParserSyntaxError as exc:
            raise PatternError(f"pattern is not Python syntax: {text!r} ({exc.message})") from None
        node = statement
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            node = small.value if isinstance(small, cst.Expr) else small
    for string in _strings(node):
        wanted = literal(string)
        if isinstance(wanted, str) and wanted.startswith("=~/") and wanted.endswith("/"):
            try:
                _regex(wanted[3:-1])
            except re.error as exc:
                raise PatternError(f"pattern {text!r} has an invalid regular expression: {exc}") from None
    call_name = None
    if isinstance(node, cst.Call):
        chain = _chain(node.func)
        if chain and not chain[-1].startswith(_PREFIX):
            call_name = chain[-1]
    keywords: frozenset[str] = frozenset()
    if isinstance(node, cst.Call):
        keywords = frozenset(a.keyword.value for a in node.args if a.keyword is not None)
    qualified = None
    chain = _chain(node)
    if chain and not any(part.startswith(_PREFIX) for part in chain):
        qualified = "builtins." + chain[0] if len(chain) == 1 and chain[0] in BUILTIN_NAMES else ".".join(chain)
    head = None
    if isinstance(node, cst.Call):
        func_chain = _chain(node.func)
        if func_chain and not func_chain[0].startswith(_PREFIX):
            head = "builtins" if len(func_chain) == 1 and func_chain[0] in BUILTIN_NAMES else func_chain[0]
    return Pattern(text, node, type(node), call_name, _trigger(node), frozenset(_names(code)), keywords, qualified,
                   head)


def _strings(node: cst.CSTNode) -> list[cst.SimpleString]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.SimpleString):
            found.append(current)
        stack.extend(current.children)
    return found


def _names(code: str) -> list[str]:
    return ["$" + name for name in re.findall(rf"\b{_PREFIX}([A-Z_][A-Z0-9_]*)\b", code)]


def _trigger(node: cst.CSTNode) -> str | None:
    """Text any source this pattern matches must contain: the last name of a called or assigned
    dotted name (it appears at the call, or in the `from x import name as alias` that renames
    it), else its first literal name (`subprocess` for `subprocess.$F(...)`)."""
    target = node.func if isinstance(node, cst.Call) else node
    if isinstance(target, cst.Assign):
        target = target.targets[0].target
    if isinstance(target, cst.Subscript):
        target = target.value
    chain = _chain(target)
    if not chain:
        return None
    if not chain[-1].startswith(_PREFIX) and len(chain[-1]) > 2:
        return chain[-1]
    for part in chain:
        if not part.startswith(_PREFIX):
            return part
    return None


class Matcher:
    """Matches patterns against nodes of one module."""

    def __init__(self, qualified_name: QualifiedName, code_for: CodeFor) -> None:
        self.qualified_name = qualified_name
        self.code_for = code_for

    def match(self, pattern: Pattern, node: cst.CSTNode, bindings: Bindings | None = None) -> Bindings | None:
        """The metavariable bindings if `node` matches, else None."""
        if pattern.keywords and type(node) is cst.Call:
            # Cheap rejection first: `f(..., shell=True, ...)` needs a `shell=` argument.
            present = {a.keyword.value for a in node.args if a.keyword is not None}  # type: ignore[attr-defined]
            if not pattern.keywords <= present:
                return None
        return self._match(pattern.node, node, dict(bindings or {}))

    # --- structural matching; each step returns the extended bindings or None ---
    def _match(self, p: cst.CSTNode, t: cst.CSTNode, b: Bindings) -> Bindings | None:
        # `type(x) is` rather than isinstance: libcst nodes have an ABC metaclass, whose
        # isinstance is several times slower, and this runs for every candidate node.
        kind = type(p)
        if kind is cst.Ellipsis or (kind is cst.SimpleStatementSuite or kind is cst.IndentedBlock) and _is_any_body(p):
            return b
        if kind is cst.Name:
            name = _metavariable(p)
            if name is not None:
                return self._bind(name, t, b)
            return self._match_chain(p, t, b)  # type: ignore[arg-type]
        if kind is cst.Attribute:
            if _chain(p) is not None:
                return self._match_chain(p, t, b)  # type: ignore[arg-type]
            if type(t) is not cst.Attribute:  # `f(x).$ATTR`: the value is not a dotted name
                return None
            found = self._match(p.value, t.value, b)  # type: ignore[attr-defined]
            return None if found is None else self._match(p.attr, t.attr, found)  # type: ignore[attr-defined]
        if kind is cst.Call:
            return self._match_call(p, t, b) if type(t) is cst.Call else None  # type: ignore[arg-type]
        if kind is cst.SimpleString or kind is cst.ConcatenatedString:
            return self._match_string(p, t, b)  # type: ignore[arg-type]
        if kind is cst.Integer or kind is cst.Float or kind is cst.Imaginary:
            ok = type(t) is kind and literal(t) == literal(p)  # type: ignore[arg-type]
            return b if ok else None
        if kind is cst.FunctionDef:
            return self._match_def(p, t, b)  # type: ignore[arg-type]
        if kind is not type(t):
            return None
        return self._match_fields(p, t, b)

    def _bind(self, name: str, t: cst.CSTNode | str, b: Bindings) -> Bindings | None:
        if name not in b:
            b[name] = t
            return b
        return b if self.text(b[name]) == self.text(t) else None

    def text(self, node: cst.CSTNode | str) -> str:
        """Source text of a bound value; names and literals without generating code."""
        if isinstance(node, str):
            return node
        kind = type(node)
        if kind is cst.Name or kind is cst.SimpleString or kind is cst.Integer or kind is cst.Float:
            return node.value  # type: ignore[attr-defined, no-any-return]
        if kind is cst.Attribute:
            dotted = dotted_name(node)  # type: ignore[arg-type]
            if dotted is not None:
                return dotted
        return self.code_for(node).strip()

    def _match_chain(self, p: cst.Name | cst.Attribute, t: cst.CSTNode, b: Bindings) -> Bindings | None:
        parts = _chain(p)
        assert parts is not None
        if parts[0].startswith(_PREFIX) and len(parts) > 1:
            # `$DF.append`: the tail must be spelled out; the head binds to any expression.
            node = t
            for part in reversed(parts[1:]):
                if not isinstance(node, cst.Attribute):
                    return None
                if part.startswith(_PREFIX):
                    if self._bind("$" + part[len(_PREFIX):], node.attr.value, b) is None:
                        return None
                elif node.attr.value != part:
                    return None
                node = node.value
            return self._bind("$" + parts[0][len(_PREFIX):], node, b)
        if not isinstance(t, (cst.Name, cst.Attribute)):
            return None
        qualified = self.qualified_name(t)  # type: ignore[arg-type]
        if qualified is None:
            return None
        if len(parts) == 1 and parts[0] in BUILTIN_NAMES:
            parts = ["builtins", parts[0]]
        actual = qualified.split(".")
        if len(actual) != len(parts):
            return None
        for want, got in zip(parts, actual):
            if want.startswith(_PREFIX):
                if self._bind("$" + want[len(_PREFIX):], got, b) is None:
                    return None
            elif want != got:
                return None
        return b

    def _match_string(self, p: cst.BaseExpression, t: cst.CSTNode, b: Bindings) -> Bindings | None:
        if not isinstance(t, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return None
        wanted = literal(p)  # type: ignore[arg-type]
        if wanted == "...":
            return b
        if isinstance(t, cst.FormattedString):
            return None
        actual = literal(t)  # type: ignore[arg-type]
        if isinstance(wanted, str) and len(wanted) > 4 and wanted.startswith("=~/") and wanted.endswith("/"):
            # Semgrep's `"=~/regex/"`: a string literal the regular expression finds a match in.
            return b if isinstance(actual, str) and _regex(wanted[3:-1]).search(actual) else None
        return b if actual == wanted else None

    def _match_call(self, p: cst.Call, t: cst.Call, b: Bindings) -> Bindings | None:
        found = self._match(p.func, t.func, b)
        if found is None:
            return None
        rest = any(a.star == "**" and isinstance(a.value, cst.Name) and a.value.value == _ANY_REST for a in p.args)
        p_positional = [a for a in p.args if a.keyword is None and a.star == ""]
        p_keywords = [a for a in p.args if a.keyword is not None]
        open_ended = rest or any(_is_ellipsis(a) for a in p_positional)
        if rest and not (p_positional and _is_ellipsis(p_positional[-1])):
            p_positional.append(_ANY_RUN)
        t_positional = [a for a in t.args if a.keyword is None and a.star == ""]
        t_starred = [a for a in t.args if a.star != ""]
        # `*$ARGS` / `**$KWARGS` in a pattern: the call passes such an argument.
        for star_arg in (a for a in p.args if a.star and _metavariable(a.value)):
            other = next((a for a in t_starred if a.star == star_arg.star), None)
            if other is None:
                return None
            found = self._match(star_arg.value, other.value, found)
            if found is None:
                return None
            t_starred = [a for a in t_starred if a is not other]
        t_keywords = {a.keyword.value: a for a in t.args if a.keyword is not None}
        for arg in p_keywords:
            assert arg.keyword is not None
            other = t_keywords.get(arg.keyword.value)
            if other is None:
                return None
            found = self._match(arg.value, other.value, found)
            if found is None:
                return None
        if not open_ended and (t_starred or set(t_keywords) - {a.keyword.value for a in p_keywords if a.keyword}):
            return None
        return self._match_sequence(
            [_ANY_RUN if _is_ellipsis(a) else a.value for a in p_positional],
            [a.value for a in t_positional],
            found,
        )

    def _match_sequence(self, ps: Sequence[cst.CSTNode], ts: Sequence[cst.CSTNode], b: Bindings) -> Bindings | None:
        """Element-wise, where an ellipsis element matches any run of elements (backtracking)."""
        if not ps:
            return b if not ts else None
        head, rest = ps[0], ps[1:]
        if head is _ANY_RUN:
            for skip in range(len(ts) + 1):
                found = self._match_sequence(rest, ts[skip:], dict(b))
                if found is not None:
                    return found
            return None
        if not ts:
            return None
        found = self._match(head, ts[0], dict(b))
        return None if found is None else self._match_sequence(rest, ts[1:], found)

    def _match_def(self, p: cst.FunctionDef, t: cst.CSTNode, b: Bindings) -> Bindings | None:
        if not isinstance(t, cst.FunctionDef):
            return None
        found = self._match(p.name, t.name, b)
        if found is None:
            return None
        star = p.params.star_arg
        if not (isinstance(star, cst.Param) and star.name.value == _ANY_PARAMS):
            found = self._match(p.params, t.params, found)
            if found is None:
                return None
        return self._match(p.body, t.body, found)

    def _match_fields(self, p: cst.CSTNode, t: cst.CSTNode, b: Bindings) -> Bindings | None:
        found: Bindings | None = b
        for field in _compared_fields(type(p)):
            pv, tv = getattr(p, field), getattr(t, field)
            if field == "orelse" and pv is None:
                continue  # `if $X: ...` with no else in the pattern: any else (or elif) matches
            if field == "operator":
                if type(pv) is not type(tv):
                    return None
            elif isinstance(pv, cst.CSTNode):
                if not isinstance(tv, cst.CSTNode):
                    return None
                found = self._match(pv, tv, found)  # type: ignore[arg-type]
            elif isinstance(pv, (tuple, list)):
                if not isinstance(tv, (tuple, list)):
                    return None
                found = self._match_sequence(_elements(pv), _elements(tv), found)  # type: ignore[arg-type]
            elif pv != tv:
                return None
            if found is None:
                return None
        return found


#: Marks a `...` element of a sequence: it matches any run of elements.
_ANY_RUN = cst.Arg(cst.Ellipsis())
_FIELDS: dict[type, tuple[str, ...]] = {}


def _compared_fields(node_type: type) -> tuple[str, ...]:
    """The fields that carry meaning: the walker's, plus operators (`+` is not `%`)."""
    names = _FIELDS.get(node_type)
    if names is None:
        fields = [*walkable_fields(node_type), *(
            ("operator",) if "operator" in {f.name for f in dataclasses.fields(node_type)} else ()
        )]
        # The assigned value first: `x.verify = False` patterns mostly fail on the value, cheaply.
        fields.sort(key=lambda name: name != "value")
        names = _FIELDS[node_type] = tuple(fields)
    return names


def _elements(items: Sequence[object]) -> list[cst.CSTNode]:
    """Sequence items as nodes, with `...` elements replaced by the any-run marker."""
    return [
        _ANY_RUN if _is_ellipsis(item) else item  # type: ignore[arg-type]
        for item in items
        if isinstance(item, cst.CSTNode)
    ]


def is_literal(node: cst.CSTNode | str) -> bool:
    """A constant the code cannot change at run time: numbers, strings without placeholders,
    True/False/None, and tuples/lists/sets of those."""
    if isinstance(node, str):
        return False
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(node, cst.Name):
        return node.value in ("True", "False", "None")
    if isinstance(node, cst.UnaryOperation):
        return is_literal(node.expression)
    if isinstance(node, cst.FormattedString):
        return not any(isinstance(part, cst.FormattedStringExpression) for part in node.parts)
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        return all(isinstance(e, cst.Element) and is_literal(e.value) for e in node.elements)
    return False


@functools.lru_cache(maxsize=256)
def _regex(text: str) -> re.Pattern[str]:
    return re.compile(text)
