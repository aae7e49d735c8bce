"""RV203 shadowed-builtin: a module or function binding that hides a commonly used builtin."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Builtins that generated code most often reuses as variable names.
_SHADOWED = frozenset(
    {
        "list", "dict", "set", "str", "int", "float", "bool", "type", "id", "input", "len", "max",
        "min", "sum", "map", "filter", "open", "format", "hash", "iter", "next", "object",
        "range", "vars", "zip", "compile", "dir", "help", "all", "any",
    }
)


def _calls(body: cst.BaseSuite, name: str) -> bool:
    """Whether `body` calls `name(...)` (the builtin the parameter hides, which it no longer is)."""
    return any(isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == name for n in iter_nodes(body))


class _Scope:
    __slots__ = ("is_class", "seen")

    def __init__(self, is_class: bool) -> None:
        self.is_class = is_class
        self.seen: set[str] = set()


class ShadowedBuiltin(Rule):
    """Module or function binding shadows a builtin.

    ## What it does
    Flags names bound at module level or inside a function - assignment and walrus targets,
    `class` names, `for` targets, `import ... as` names and `with ... as` names - that hide a
    builtin generated code often reuses: `list`, `dict`, `set`, `str`, `int`, `float`, `bool`,
    `type`, `id`, `input`, `len`, `max`, `min`, `sum`, `map`, `filter`, `open`, `format`,
    `hash`, `iter`, `next`, `object`, `range`, `vars`, `zip`, `compile`, `dir`, `help`, `all`,
    `any`. Each name is reported once per scope. A parameter is flagged when its function also
    calls the builtin it hides (`def f(list): return list(x)` calls the argument), or when it
    is a required parameter of a plain, undecorated module-level function; not otherwise, as a
    parameter's name is often forced on the author (a route variable `id`, a keyword option
    such as `inspect(obj, all=False)`, PyTorch's `forward(self, input)`). Function names (an
    API's own `open()` or `filter()`), `str = str` re-exports, attributes, keyword arguments
    and class-body names (`id: int` on a dataclass, a `format` method) are not flagged.

    ## Why is this bad?
    After `list = fetch_items()` every later `list(...)` in that scope calls the data instead of
    the builtin and fails far from the cause (`TypeError: 'list' object is not callable`).
    Readers also lose track of which `id` or `type` they are looking at.
    """

    CODE = "RV203"
    NAME = "shadowed-builtin"
    CATEGORY = Category.MAINTAINABILITY
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Name shadows a builtin; rename it"
    EQUIVALENT = ("A001", "A002")  # ruff flake8-builtins

    VALID: ClassVar[list[Valid]] = [
        Valid("items = list(range(3))\ntotal = sum(items)\n"),
        Valid("class User:\n    id: int\n    type = 'admin'\n\n    def format(self):\n        return str(self.id)\n"),
        Valid("def f(obj):\n    obj.id = 1\n    return dict(type=obj.type, _=2)\n"),
        Valid("for _ in range(3):\n    pass\nvalues = [len for len in ()]\n"),
        Valid("@app.route('/items/<int:id>')\ndef show(id, format='html'):\n    return render(id, format)\n"),
        Valid("class Scale(Module):\n    def forward(self, input):\n        return input * 2\n"),
        Valid("def open(path, mode='r'):\n    return Reader(path, mode)\n\nstr = str\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("list = [1, 2, 3]\nprint(list)\n", line=1),
        Invalid("def unique(items, set=None):\n    return sorted(set(items))\n", line=1),
        Invalid("def lookup(id, table):\n    return table[id]\n", line=1),
        Invalid("def total(rows):\n    sum = 0\n    for row in rows:\n        sum += row\n    return sum\n", line=2),
        Invalid("for input in inputs:\n    print(input)\n", line=1),
        Invalid("from io import open as open_\nimport json as dict\n", line=2),
        Invalid("with open(path) as file, lock as (min, max):\n    pass\n", line=1),
        Invalid("if (len := compute()) > 3:\n    pass\n", line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._scopes: list[_Scope] = [_Scope(is_class=False)]

    def _bind(self, target: cst.BaseExpression | cst.BaseAssignTargetExpression) -> None:
        if isinstance(target, cst.Name):
            name = target.value
            if name in _SHADOWED:
                scope = self._scopes[-1]
                if not scope.is_class and name not in scope.seen:
                    scope.seen.add(name)
                    self.report(
                        target,
                        f"`{name}` shadows the builtin `{name}`; rename it (e.g. `{name}_` or a "
                        "more descriptive name)",
                    )
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.append(_Scope(is_class=False))
        params = node.params
        # A plain function's required parameter is the author's choice; a method's (an override
        # of `forward(self, input)`), a decorated function's (a route's URL variable `id`) and
        # an option's (`inspect(obj, all=False)`) usually are not.
        chosen = len(self._scopes) == 2 and not self._scopes[0].is_class and not node.decorators
        for group in (params.posonly_params, params.params, params.kwonly_params):
            for param in group:
                name = param.name.value
                if name in _SHADOWED and (_calls(node.body, name) or (chosen and param.default is None)):
                    self._bind(param.name)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self._bind(star.name)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name)
        self._scopes.append(_Scope(is_class=True))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._scopes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        for target in node.targets:
            # `str = str` (a compat module re-exporting the builtin) hides nothing.
            if not (isinstance(target.target, cst.Name) and isinstance(value, cst.Name)
                    and target.target.value == value.value):
                self._bind(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is not None:
            self._bind(node.asname.name)
