"""RV201 mutable-default-argument: a list/dict/set default shared between calls."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.model import Applicability, Category, Confidence, Severity

_MUTABLE_CALLS = frozenset(
    {
        "builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray",
        "collections.defaultdict", "collections.OrderedDict", "collections.deque",
        "collections.Counter",
    }
)


class MutableDefaultArgument(Rule):
    """Function parameter defaults to a mutable object.

    ## What it does
    Flags parameters whose default value is a list, dict or set literal or comprehension, or a
    call that builds one (`list()`, `dict()`, `collections.defaultdict(...)`), when the function
    lets the shared object change: it mutates it (`items.append(x)`, `opts["k"] = v`,
    `seen |= ...`), returns or yields it, or stores it (`self.items = items`). A default that is
    only read, copied or passed on, and `@overload` stubs, are left alone.

    ## Why is this bad?
    The default is evaluated once, when the function is defined, and then shared by every call.
    Code that appends to it leaks state between calls: a classic bug in generated code.

    ## Fix safety
    `reviewer fix --unsafe-fixes` defaults the parameter to `None` and creates the object at the
    top of the body (`if items is None: items = []`, after the docstring). Unsafe: a caller that
    passes `None` on purpose now gets a fresh object, and code that relied on the shared one
    (a deliberate cache) changes. Lambdas and one-line bodies get advice only.
    """

    CODE = "RV201"
    NAME = "mutable-default-argument"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Mutable default argument is shared between calls; default to None instead"
    TRIGGERS = ("def ", "lambda")
    FIX = "unsafe"
    EQUIVALENT = ("B006",)  # ruff flake8-bugbear
    SUPERSEDES = EQUIVALENT  # B006 flags every mutable default; we look at what the function does

    VALID = [
        Valid("def f(items=None):\n    items = [] if items is None else items\n"),
        Valid("def render(rows, opts={}):\n    merged = {**DEFAULTS, **opts}\n    return draw(rows, merged)\n"),
        Valid("def count(words, stop=[]):\n    return sum(1 for w in words if w not in stop)\n"),
        Valid("def f(names=('a', 'b')):\n    return names\n"),
        Valid("def f(limit=10, name='x', flag=frozenset()):\n    return limit\n"),
    ]
    INVALID = [
        Invalid("def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n", line=1,
                fixed="def add(item, bucket=None):\n    if bucket is None:\n        bucket = []\n"
                      "    bucket.append(item)\n    return bucket\n"),
        Invalid("def f(cache={}):\n    return cache\n", line=1),
        Invalid("import collections as c\n\ndef f(counts=c.defaultdict(int)):\n    return counts\n", line=3),
        Invalid("async def f(seen=set()):\n    return seen\n", line=1),
        Invalid("g = lambda acc=[x for x in range(3)]: acc\n", line=1),
        Invalid("class Cart:\n    def __init__(self, items=[]):\n        self.items = items\n", line=2),
        Invalid("def tally(word, counts={}):\n    counts[word] = counts.get(word, 0) + 1\n", line=1),
        Invalid('class Cart:\n    def add(self, item, items=list()):\n        """Add one."""\n        items.append(item)\n',
                line=2, fixed='class Cart:\n    def add(self, item, items=None):\n        """Add one."""\n'
                '        if items is None:\n            items = list()\n        items.append(item)\n'),
    ]

    def visit_Param(self, node: cst.Param) -> None:
        default = node.default
        if default is None:
            return
        if isinstance(default, (cst.List, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp)) or isinstance(default, cst.Call) and self.context.qualified_name(default.func) in _MUTABLE_CALLS:
            function = self.context.enclosing(cst.FunctionDef, cst.Lambda)
            if function is None or self._may_change(function, node.name.value):
                self.report(default, fix=self._fix(node, default, function))

    def _may_change(self, function: cst.FunctionDef | cst.Lambda, name: str) -> bool:
        if isinstance(function, cst.FunctionDef) and any(
            (dotted := _decorator_name(d.decorator)) and dotted.rsplit(".", 1)[-1] == "overload"
            for d in function.decorators
        ):
            return False
        parsed = self._parsed_function(function, name) if isinstance(function, cst.FunctionDef) else None
        if parsed is not None:
            return changes(parsed, name)  # CPython's tree of the unit: no code generated again
        code = textwrap.dedent(self.context.code_for(
            function.with_changes(decorators=(), leading_lines=()) if isinstance(function, cst.FunctionDef) else function
        ))
        try:
            tree = ast.parse(code, mode="exec" if isinstance(function, cst.FunctionDef) else "eval")
        except (SyntaxError, ValueError, RecursionError):
            return True
        return changes(tree, name)

    def _parsed_function(self, function: cst.FunctionDef, name: str) -> ast.AST | None:
        """The `ast` node of `function` in the unit's CPython tree: the one function of that name
        with a parameter `name` that has a default, or None when that is not unique."""
        if self._functions is None:
            tree = self.context.syntax_tree()
            self._functions = {}
            for node in ast.walk(tree) if tree is not None else ():
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self._functions.setdefault(node.name, []).append(node)
        candidates = [
            node for node in self._functions.get(function.name.value, ())
            if any(arg.arg == name for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs))
        ]
        return candidates[0] if len(candidates) == 1 else None

    _functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] | None = None

    def _fix(self, node: cst.Param, default: cst.BaseExpression, function: cst.CSTNode | None) -> Autofix:
        name = node.name.value
        advice = Autofix(f"Default `{name}` to None and create the object inside the function",
                         applicability=Applicability.DISPLAY)
        created = self.context.code_for(default)
        if not isinstance(function, cst.FunctionDef) or not isinstance(function.body, cst.IndentedBlock) \
                or "\n" in created or "#" in created:
            return advice
        body = list(function.body.body)
        first = body[0]
        docstring = isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr) \
            and isinstance(first.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
        line, column, end_line, _ = self.context.span(first)
        indent = self.context.unit.line_text(line)[:column]
        if indent.strip():
            return advice
        if docstring:
            line = end_line + 1
            if len(body) > 1:
                line = self.context.span(body[1])[0]
        step = "\t" if indent.endswith("\t") else "    "
        check = f"{indent}if {name} is None:\n{indent}{step}{name} = {created.strip()}\n"
        return Autofix(f"Default `{name}` to None and create the object inside the function", "None",
                       Applicability.UNSAFE, lines=((line, check),))


#: Methods that change a list, dict, set or deque in place.
_MUTATORS = frozenset({
    "append", "extend", "insert", "remove", "pop", "popitem", "clear", "sort", "reverse", "update",
    "setdefault", "add", "discard", "difference_update", "intersection_update",
    "symmetric_difference_update", "appendleft", "extendleft", "rotate",
})


def changes(tree: ast.AST, name: str) -> bool:
    """Whether code may change the object bound to `name` or let it out (return, yield, store)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda) and isinstance(node.body, ast.Name) and node.body.id == name:
            return True
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = parents.get(node)
        if isinstance(node.ctx, ast.Store) and isinstance(parent, ast.AugAssign):
            return True  # `items += [x]` extends the shared list in place
        if not isinstance(node.ctx, ast.Load):
            continue
        if isinstance(parent, ast.Attribute) and parent.attr in _MUTATORS:
            return True
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is node and any(
            isinstance(t, (ast.Attribute, ast.Subscript)) for t in getattr(parent, "targets", [getattr(parent, "target", None)])
        ):
            return True  # stored on an object or in a container that outlives the call
    return False


def _decorator_name(node: cst.BaseExpression) -> str:
    return dotted_name(node.func if isinstance(node, cst.Call) else node) or ""
