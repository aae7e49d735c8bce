"""Taint tracking: follow values from sources to sinks within a function and through calls to
functions and methods of the same module, respecting sanitizers, guards and provable constants.

A value's taint is a set of labels: SOURCE (outside data) or a parameter index of the function
being summarized. Summaries say what a function returns and which sinks its parameters reach, so
`handler -> build_query(name) -> run(query)` is followed across three functions.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from reviewer.analysis.constants import (
    UNKNOWN,
    constant_containers,
    constant_key,
    constant_truth,
    constant_value,
)
from reviewer.analysis.notebook_scope import target_names
from reviewer.analysis.project_modules import load, locate
from reviewer.analysis.taint_guards import guarded, subject
from reviewer.analysis.taint_spec import PatternIndex, call_name, defaults
from reviewer.engine.imports import dotted_name
from reviewer.engine.packs import Guard
from reviewer.engine.patterns import Matcher, Pattern
from reviewer.engine.walker import walkable_fields

SOURCE = -1
#: A name the module never binds (a notebook cell's input, a global set elsewhere): its origin
#: is unknown, so a sink it reaches is neither reached nor proven safe.
FREE = -2
Labels = frozenset[int]
CLEAN: Labels = frozenset()
TAINTED: Labels = frozenset({SOURCE})
UNKNOWN_ORIGIN: Labels = frozenset({FREE})

#: Calls after which the code below does not run (`abort(400)`), besides return/raise.
_TERMINATING_CALLS = re.compile(r"^(abort|exit|_exit|fail|die|raise_\w+|redirect)$")
#: Methods that put their arguments into the receiver.
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "write", "appendleft"})
_MAX_DEPTH = 6  #: how deep summaries follow same-module calls
_MAX_NESTING = 2  #: how many modules away a helper's summary is computed
_MAX_EXTERNAL = 4096  #: summaries of other modules' functions kept per process
#: (file, its parsed module, function, rule) -> what the function returns, and the files used.
_external_summaries: dict[tuple[object, ...], Summary] = {}
_external_dependencies: dict[tuple[object, ...], frozenset[str]] = {}
#: Calls whose result is a parsed view of their first argument: checking the view checks it.
_VIEWS = frozenset({"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse", "urlparse.urlsplit"})


@dataclass
class Hit:
    """A sink reached by tainted data: where, and with which labels."""

    node: cst.CSTNode
    labels: Labels
    via: str = ""  #: the function chain, for the message


@dataclass
class Summary:
    returns: Labels = CLEAN
    hits: dict[int, Hit] = field(default_factory=dict)  #: by id(sink node)


@dataclass(frozen=True)
class SinkSite:
    """A sink pattern matched in the module: the node and the value that matters."""

    node: cst.CSTNode
    argument: cst.CSTNode | None  #: None: every argument of the call matters
    handler_only: bool = False  #: counts only inside a web handler
    owner: cst.CSTNode | None = None  #: the enclosing function, or the module
    via: str = ""  #: a helper's sink this call reaches (`run() in helpers/db.py, line 12`)


class _Env:
    """Taint of names (and dotted attribute paths), per-key taint of containers with constant
    keys (`shapes` says which are lists, whose keys are positions), and the constant value of
    names that provably hold one (`num = 86`)."""

    __slots__ = ("names", "items", "shapes", "values", "views")

    def __init__(self, names: dict[str, Labels] | None = None,
                 items: dict[str, dict[object, Labels]] | None = None,
                 shapes: dict[str, str] | None = None, values: dict[str, object] | None = None,
                 views: dict[str, str] | None = None) -> None:
        self.names = dict(names or {})
        self.items = {k: dict(v) for k, v in (items or {}).items()}
        self.shapes = dict(shapes or {})
        self.values = dict(values or {})
        #: `parsed = urlparse(url)`: parsed -> url. A check of the parse is a check of the URL.
        self.views = dict(views or {})

    def copy(self) -> _Env:
        return _Env(self.names, self.items, self.shapes, self.values, self.views)

    def merge(self, other: _Env) -> None:
        for name, labels in other.names.items():
            self.names[name] = self.names.get(name, CLEAN) | labels
        for name in list(self.items):
            theirs = other.items.get(name)
            if theirs is None:
                if name in other.names:
                    self.forget_items(name)
                continue
            mine = self.items[name]
            if self.shapes.get(name) != other.shapes.get(name) or (
                self.shapes.get(name) == "list" and len(mine) != len(theirs)
            ):
                self.forget_items(name)  # positions differ by path: only "any element" is known
                continue
            for key in set(mine) | set(theirs):
                mine[key] = mine.get(key, CLEAN) | theirs.get(key, CLEAN)
        self.views = {k: v for k, v in self.views.items() if other.views.get(k) == v}
        # A constant survives a join only when every path gave it the same value.
        self.values = {
            name: value for name, value in self.values.items()
            if name in other.values and _same(other.values[name], value)
            or name not in other.values and name not in other.names
        }

    def forget_items(self, name: str) -> None:
        self.items.pop(name, None)
        self.shapes.pop(name, None)


def _same(left: object, right: object) -> bool:
    return type(left) is type(right) and left == right


class _Terminated(Exception):
    """Control does not continue after this statement (return, raise, abort())."""


class TaintAnalysis:
    """One taint rule over one module: `reached()` yields the sinks that outside data reaches."""

    def __init__(self, module: cst.Module, matcher: Matcher, sinks: list[SinkSite],
                 sources: Iterable[Pattern] = (), sanitizers: Iterable[Pattern] = (),
                 source_kinds: Iterable[str] = (), callers: dict[str, dict[cst.CSTNode, None]] | None = None,
                 syntax_tree: ast.Module | None = None, guards: Iterable[Guard] = (),
                 path: str | None = None, nesting: int = 0) -> None:
        self.module = module
        self.syntax_tree = syntax_tree  #: CPython's parse of the same code: a faster walk
        self.matcher = matcher
        self.settings = defaults()
        self.sinks = {id(site.node): site for site in sinks}
        kinds = tuple(source_kinds) or self.settings.source_kinds
        standard = [p for kind in kinds for p in self.settings.sources[kind]]
        self.sources = PatternIndex((*standard, *sources))
        #: Sources of the kinds this rule does not count (the operator's argv for a path rule):
        #: not untrusted here, but not proof of a constant either, so a sink they reach is
        #: neither reached nor cleared (labelled like a name of unknown origin).
        others = [p for kind in self.settings.source_kinds if kind not in kinds for p in self.settings.sources[kind]]
        self.other_sources = PatternIndex(others) if others else None
        #: Web handler parameters are request data.
        self.handler_parameters_tainted = "request" in kinds
        self.parent: dict[int, cst.FunctionDef] = {}
        self.callers = callers or {}
        self.closures: dict[int, _Env] = {}
        self.sanitizers = PatternIndex((*self.settings.sanitizers, *sanitizers))
        self.guards = tuple(guards)
        #: The rule as given, to analyse helpers in other files of the project the same way.
        self.path = path
        self.nesting = nesting
        self._rule = (tuple(sources), tuple(sanitizers), tuple(source_kinds), self.guards)
        #: Patterns live as long as their rule classes: their identities name the rule cheaply.
        self._rule_key = (tuple(map(id, self._rule[0])), tuple(map(id, self._rule[1])), self._rule[2],
                          tuple(map(id, self.guards)))
        #: Files of the project whose functions' summaries this analysis used.
        self.dependencies: set[str] = set()
        self.functions: dict[str, list[cst.FunctionDef]] = {}
        self.owner: dict[int, cst.ClassDef | None] = {}
        self._collect(module.body, None)
        self.constants = constant_containers(module)
        self.summaries: dict[int, Summary] = {}
        self.in_progress: set[int] = set()
        #: Sinks a parameter reaches in a function no code of this module calls, or that a name
        #: the module never binds reaches (set by `reached()`): neither reached nor proven safe.
        self.unresolved: set[int] = set()
        self._bound: frozenset[str] | None = None
        self.depth = 0

    # --- module structure ---
    def _collect(self, body: Iterable[cst.CSTNode], owner: cst.ClassDef | None,
                 parent: cst.FunctionDef | None = None) -> None:
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                self.functions.setdefault(stmt.name.value, []).append(stmt)
                self.owner[id(stmt)] = owner
                if parent is not None:
                    self.parent[id(stmt)] = parent
                if isinstance(stmt.body, cst.IndentedBlock):
                    self._collect(stmt.body.body, owner, stmt)
            elif isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
                self._collect(stmt.body.body, stmt, parent)
            elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
                for block in _blocks(stmt):
                    self._collect(block, owner, parent)

    def reached(self) -> list[Hit]:
        """Sinks reached by outside data, analysing each function that holds a sink (and the
        module's top-level code), then its callers while a parameter still reaches a sink."""
        found: dict[int, Hit] = {}
        pending = self._roots()
        done: set[int] = set()
        while pending:
            scope = pending.pop()
            if id(scope) in done:
                continue
            done.add(id(scope))
            summary = self._summary(scope)
            for key, hit in summary.hits.items():
                if SOURCE in hit.labels:
                    found.setdefault(key, hit)
                elif FREE in hit.labels:
                    self.unresolved.add(key)
            if isinstance(scope, cst.FunctionDef) and any(h.labels - TAINTED - UNKNOWN_ORIGIN for h in summary.hits.values()):
                callers = self._callers(scope)
                pending.extend(callers)
                if not callers:  # called from outside the module: what its parameters hold is unknown
                    self.unresolved.update(k for k, h in summary.hits.items() if h.labels - TAINTED - UNKNOWN_ORIGIN)
        return list(found.values())

    def is_free(self, name: str, qualified: str | None) -> bool:
        """A name nothing in the module binds and that is not a builtin or an import."""
        if qualified is not None and qualified != name:
            return False  # imported, or a builtin (`builtins.len`)
        if self._bound is None:
            self._bound = _bound_names(self.module, self.syntax_tree)
        return name not in self._bound

    def _roots(self) -> list[cst.CSTNode]:
        roots: list[cst.CSTNode] = [self.module]
        roots.extend(site.owner for site in self.sinks.values() if site.owner is not None)
        return roots

    def _callers(self, function: cst.FunctionDef) -> list[cst.CSTNode]:
        """Scopes that may call `function`: by name for a module-level function, through an
        attribute (`self.f()`, `obj.f()`) for a method."""
        name = function.name.value
        key = name if self.owner.get(id(function)) is None else "." + name
        return [caller for caller in self.callers.get(key, ()) if caller is not function]

    # --- summaries ---
    def summary_of(self, function: cst.FunctionDef) -> Summary:
        """What the function's parameters reach (sinks, by parameter position) and return."""
        return self._summary(function)

    def _summary(self, scope: cst.CSTNode) -> Summary:
        key = id(scope)
        if key in self.summaries:
            return self.summaries[key]
        if key in self.in_progress or self.depth >= _MAX_DEPTH:
            return Summary()  # recursion: assume nothing flows (sound enough, never loops)
        self.in_progress.add(key)
        self.depth += 1
        try:
            run = _Run(self, scope)
            summary = run.execute()
        finally:
            self.depth -= 1
            self.in_progress.discard(key)
        self.summaries[key] = summary
        return summary

    def resolve_callee(self, call: cst.Call, scope: cst.CSTNode) -> tuple[cst.FunctionDef, bool] | None:
        """The same-module function a call runs, and whether it is a bound method call."""
        func = call.func
        if isinstance(func, cst.Name):
            if self.matcher.qualified_name(func) != func.value:
                return None  # imported or builtin
            candidates = [f for f in self.functions.get(func.value, ()) if self.owner.get(id(f)) is None]
            return (candidates[-1], False) if candidates else None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            if func.value.value in ("self", "cls"):
                owner = self.owner.get(id(scope))
                candidates = [f for f in self.functions.get(func.attr.value, ())
                              if owner is None or self.owner.get(id(f)) is owner]
                return (candidates[-1], True) if candidates else None
        return None

    def external(self, call: cst.Call) -> tuple[cst.FunctionDef, Summary] | None:
        """The summary of a function in another module of the project that `call` runs
        (`from helpers.text import clean`; `clean(x)`): what its result holds, by parameter."""
        if self.path is None or self.nesting >= _MAX_NESTING:
            return None
        qualified = self.matcher.qualified_name(call.func)
        if qualified is None or qualified.startswith("builtins.") or "." not in qualified:
            return None
        located = locate(self.path, qualified)
        if located is None:
            return None
        file, name = located
        helper = load(file)
        if helper is None or Path(file).resolve() == Path(self.path).resolve():
            return None
        function = helper.functions.get(name)
        if function is None:
            return None
        key = (file, helper.stamp, name, self._rule_key)
        summary = _external_summaries.get(key)
        if summary is None:
            sources, sanitizers, kinds, guards = self._rule
            other = TaintAnalysis(helper.module, helper.matcher, [], sources, sanitizers, kinds, None,
                                  helper.syntax_tree, guards, file, self.nesting + 1)
            summary = Summary(returns=other._summary(function).returns)
            other.dependencies.add(file)
            _external_summaries[key] = summary
            _external_dependencies[key] = frozenset(other.dependencies)
            if len(_external_summaries) > _MAX_EXTERNAL:
                _external_summaries.clear()
                _external_dependencies.clear()
                _external_summaries[key] = summary
                _external_dependencies[key] = frozenset(other.dependencies)
        self.dependencies |= _external_dependencies.get(key, frozenset({file}))
        return function, summary

    def is_handler(self, function: cst.FunctionDef) -> bool:
        for decorator in function.decorators:
            expr = decorator.decorator
            for pattern in self.settings.handler_decorators:
                if isinstance(expr, pattern.dispatch) and self.matcher.match(pattern, expr) is not None:
                    return True
        params = [p.name.value for p in function.params.params]
        if params and params[0] in ("self", "cls"):
            params = params[1:]
        # A Django-style view by convention (`def view(request, slug)`), unless the module's own
        # code calls it: then it is a helper, and its arguments hold what the callers pass.
        return bool(params) and params[0] == "request" and not self._callers(function)

    def source_labels(self, node: cst.CSTNode, name: str | None, matcher: Matcher) -> Labels | None:
        """TAINTED for a source this rule counts, UNKNOWN_ORIGIN for one of another kind, else None."""
        if _matches(self.sources, node, name, matcher):
            return TAINTED
        if self.other_sources is not None and _matches(self.other_sources, node, name, matcher):
            return UNKNOWN_ORIGIN
        return None

    def is_sanitizer(self, node: cst.Call, name: str | None, matcher: Matcher) -> bool:
        return any(matcher.match(p, node) is not None for p in self.sanitizers.candidates(node, name))


class _Run:
    """Abstract execution of one function body (or the module's top level)."""

    def __init__(self, analysis: TaintAnalysis, scope: cst.CSTNode) -> None:
        self.a = analysis
        self.scope = scope
        self.env = _Env()
        self.summary = Summary()
        self.parameters: list[str] = []
        if isinstance(scope, cst.FunctionDef):
            self._inherit_closure(scope)
            self._bind_parameters(scope)
        # A parameter shadows a module-level import of the same name (`def view(request)` in a
        # module that also does `from flask import request`).
        self.matcher = Matcher(self._qualified_name, analysis.matcher.code_for)

    def _qualified_name(self, node: cst.BaseExpression) -> str | None:
        dotted = dotted_name(node)
        if dotted is not None and dotted.partition(".")[0] in self.parameters:
            return dotted
        return self.a.matcher.qualified_name(node)

    def _inherit_closure(self, function: cst.FunctionDef) -> None:
        """A nested function sees the enclosing function's variables as they were where it was
        defined; only outside data counts (the parent's parameters mean nothing here)."""
        parent = self.a.parent.get(id(function))
        if parent is None:
            return
        self.a._summary(parent)
        closure = self.a.closures.get(id(function))
        if closure is not None:
            self.env.names = {k: TAINTED for k, v in closure.names.items() if SOURCE in v}

    def _bind_parameters(self, function: cst.FunctionDef) -> None:
        params = function.params
        ordered = [*params.posonly_params, *params.params]
        handler = self.a.is_handler(function)
        skip = self.a.settings.handler_skip_parameters
        index = 0
        for param in [*ordered, *params.kwonly_params]:
            name = param.name.value
            self.parameters.append(name)
            if handler and not self.a.handler_parameters_tainted:
                self.env.names[name] = CLEAN
            elif handler:
                depends = isinstance(param.default, cst.Call) and (dotted_name(param.default.func) or "").endswith("Depends")
                self.env.names[name] = CLEAN if name in skip or depends else TAINTED
            else:
                self.env.names[name] = frozenset({index})
            index += 1
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.parameters.append(star.name.value)
                self.env.names[star.name.value] = (
                    (TAINTED if self.a.handler_parameters_tainted else CLEAN) if handler else frozenset({index})
                )
                index += 1

    def execute(self) -> Summary:
        body = self.scope.body if isinstance(self.scope, cst.FunctionDef) else self.scope
        statements = body.body if isinstance(body, (cst.IndentedBlock, cst.Module)) else getattr(body, "body", ())
        try:
            self.block(statements)
        except _Terminated:
            pass
        return self.summary

    # --- statements ---
    def block(self, statements: Iterable[cst.CSTNode]) -> None:
        for stmt in statements:
            self.statement(stmt)

    def suite(self, suite: cst.BaseSuite | None) -> None:
        if suite is not None:
            self.block(suite.body)  # type: ignore[arg-type]

    def statement(self, stmt: cst.CSTNode) -> None:
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for small in stmt.body:
                self.small(small)
        elif isinstance(stmt, cst.If):
            self.branch(stmt)
        elif isinstance(stmt, (cst.For, cst.While)):
            self.loop(stmt)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                labels = self.expr(item.item)
                if item.asname is not None:
                    self.assign(item.asname.name, labels, item.item)
            self.suite(stmt.body)
        elif isinstance(stmt, cst.Try):
            self.attempt(stmt)
        elif isinstance(stmt, cst.Match):
            self.expr(stmt.subject)
            self.match(stmt)
        elif isinstance(stmt, cst.FunctionDef) and isinstance(self.scope, cst.FunctionDef):
            self.a.closures[id(stmt)] = self.env.copy()

    def small(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.Assign):
            labels = self.expr(node.value)
            for target in node.targets:
                self.assign(target.target, labels, node.value)
            self.check_sink(node)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.expr(node.value), node.value)
                self.check_sink(node)
        elif isinstance(node, cst.AugAssign):
            labels = self.expr(node.value) | self.expr(node.target)
            combined = cst.BinaryOperation(node.target, _binary_operator(node.operator), node.value)  # type: ignore[arg-type]
            self.assign(node.target, labels, None, self.constant(combined) if isinstance(node.target, cst.Name) else UNKNOWN)
            self.check_sink(node)
        elif isinstance(node, cst.Expr):
            self.expr(node.value)
            if isinstance(node.value, cst.Call) and _terminates(node.value):
                raise _Terminated
        elif isinstance(node, cst.Return):
            if node.value is not None:
                self.summary.returns |= self.expr(node.value)
                self.check_sink(node)
            raise _Terminated
        elif isinstance(node, cst.Raise):
            if node.exc is not None:
                self.expr(node.exc)
            raise _Terminated
        elif isinstance(node, (cst.Continue, cst.Break)):
            raise _Terminated
        elif isinstance(node, cst.Del):
            for target in target_names(node.target):
                name = target.value
                self.env.names.pop(name, None)
                self.env.values.pop(name, None)
                self.env.forget_items(name)
        elif isinstance(node, cst.Assert):
            self.expr(node.test)

    def assign(self, target: cst.CSTNode, labels: Labels, value: cst.CSTNode | None,
               constant: object = UNKNOWN) -> None:
        env = self.env
        if isinstance(target, cst.Name):
            name = target.value
            env.names[name] = labels
            env.views.pop(name, None)
            for view in [v for v, origin in env.views.items() if origin == name]:
                del env.views[view]
            origin = self._viewed(value) if value is not None else None
            if origin is not None:
                env.views[name] = origin
            if value is not None and constant is UNKNOWN:
                constant = self.constant(value)
            if constant is UNKNOWN:
                env.values.pop(name, None)
            else:
                env.values[name] = constant
            shaped = self._items(value) if value is not None else None
            if shaped is None:
                env.forget_items(name)
            else:
                env.shapes[name], env.items[name] = shaped
        elif isinstance(target, (cst.Tuple, cst.List)):
            targets = [e.value for e in target.elements]
            elements = value.elements if isinstance(value, (cst.Tuple, cst.List)) else None
            if elements is not None and len(elements) == len(targets) and not any(
                isinstance(e, cst.StarredElement) for e in (*elements, *target.elements)
            ):
                # Evaluate every value before binding any name: `a, b = b, a`.
                evaluated = [(self.expr(e.value), self.constant(e.value)) for e in elements]
                for sub, element, (sub_labels, sub_constant) in zip(targets, elements, evaluated):
                    self.assign(sub, sub_labels, element.value, sub_constant)
                return
            whole = self.constant(value) if value is not None else UNKNOWN
            source = dotted_name(value) if value is not None else None
            items = env.items.get(source) if source is not None else None
            for index, sub in enumerate(targets):
                if isinstance(whole, tuple) and len(whole) == len(targets):
                    self.assign(sub, CLEAN, None, whole[index])
                elif items is not None and len(items) == len(targets) and index in items and not isinstance(sub, cst.StarredElement):
                    self.assign(sub, items[index], None)  # `a, b = pair` of a tracked tuple or list
                else:
                    self.assign(sub, labels, None)
        elif isinstance(target, cst.Subscript):
            base = dotted_name(target.value)
            self.expr(target.value)
            if base is not None:
                env.names[base] = env.names.get(base, CLEAN) | labels
                env.values.pop(base, None)
                key = constant_key(target, env.values)
                shape = env.shapes.get(base)
                if base in env.items and key is not UNKNOWN and shape == "dict":
                    env.items[base][key] = labels
                    env.names[base] = _union(env.items[base].values())
                elif base in env.items and shape == "list" and isinstance(key, int):
                    items = env.items[base]
                    position = key + len(items) if key < 0 else key
                    if position in items:
                        items[position] = labels
                        env.names[base] = _union(items.values())
                    else:
                        env.forget_items(base)
                elif base in env.items:
                    env.forget_items(base)
        elif isinstance(target, cst.Attribute):
            path = dotted_name(target)
            if path is not None:
                env.names[path] = labels
                env.values.pop(path, None)
                owner = dotted_name(target.value)
                if owner is not None and labels:
                    env.names[owner] = env.names.get(owner, CLEAN) | labels
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, labels, None)

    def _viewed(self, value: cst.CSTNode) -> str | None:
        """The variable a value is a parsed view of (`urlparse(url)` -> `url`), else None."""
        if isinstance(value, cst.Call) and value.args and isinstance(value.args[0].value, cst.Name):
            if self.a.matcher.qualified_name(value.func) in _VIEWS:
                return value.args[0].value.value
        return None

    def rule_guards(self, test: cst.CSTNode, truth: bool) -> set[str]:
        """Names the rule's own guards prove safe when `test` (an atomic condition) is `truth`."""
        names: set[str] = set()
        for guard in self.a.guards:
            if guard.safe_when != truth or not isinstance(test, guard.pattern.dispatch):
                continue
            bound = self.matcher.match(guard.pattern, test)
            checked = bound.get("$X") if bound else None
            if isinstance(checked, cst.CSTNode):
                name = subject(checked)
                if name is not None:
                    names.add(name)
        return names

    def constant(self, node: cst.CSTNode) -> object:
        """The value `node` provably holds here (literals and names bound to constants), else UNKNOWN."""
        return constant_value(node, self.env.values)

    def _items(self, value: cst.CSTNode) -> tuple[str, dict[object, Labels]] | None:
        """The shape and per-key taint of a dict/list/tuple built with constant keys (`{"a": x}`,
        `[x, y]`, `[]`, `dict()`), else None."""
        if isinstance(value, cst.Dict):
            items: dict[object, Labels] = {}
            for element in value.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                key = self.constant(element.key)
                if not isinstance(key, (str, int, bytes)):
                    return None
                items[key] = self.expr(element.value)
            return "dict", items
        if isinstance(value, (cst.List, cst.Tuple)):
            if any(not isinstance(e, cst.Element) for e in value.elements):
                return None
            shape = "list" if isinstance(value, cst.List) else "tuple"
            return shape, {index: self.expr(e.value) for index, e in enumerate(value.elements)}
        if isinstance(value, cst.Call) and not value.args and isinstance(value.func, cst.Name):
            empty = {"dict": "dict", "list": "list"}.get(value.func.value)
            if empty is not None and self.a.matcher.qualified_name(value.func) in (empty, f"builtins.{empty}"):
                return empty, {}
        return None

    def branch(self, stmt: cst.If) -> None:
        verdict = constant_truth(stmt.test, self.env.values)
        if verdict is None:
            self.expr(stmt.test)
        if verdict is True:
            self.suite(stmt.body)
            return
        if verdict is False:
            self._orelse(stmt.orelse)
            return
        before = self.env
        when_true = before.copy()
        for name in guarded(stmt.test, True, self.a.settings.validators, self.rule_guards):
            _clean(when_true, name)
        when_false = before.copy()
        for name in guarded(stmt.test, False, self.a.settings.validators, self.rule_guards):
            _clean(when_false, name)
        outcomes: list[_Env] = []
        for env, run in ((when_true, lambda: self.suite(stmt.body)), (when_false, lambda: self._orelse(stmt.orelse))):
            self.env = env
            try:
                run()
                outcomes.append(self.env)
            except _Terminated:
                pass
        self._join(outcomes)

    def _orelse(self, orelse: cst.If | cst.Else | None) -> None:
        if isinstance(orelse, cst.If):
            self.branch(orelse)
        elif isinstance(orelse, cst.Else):
            self.suite(orelse.body)

    def _join(self, outcomes: list[_Env]) -> None:
        if not outcomes:
            raise _Terminated
        self.env = outcomes[0]
        for other in outcomes[1:]:
            self.env.merge(other)

    def alternatives(self, suites: list[cst.BaseSuite], may_skip: bool) -> None:
        """Run one of `suites` (or, with `may_skip`, none of them) and join what each leaves."""
        before = self.env
        outcomes = [before.copy()] if may_skip else []
        for suite in suites:
            self.env = before.copy()
            try:
                self.suite(suite)
                outcomes.append(self.env)
            except _Terminated:
                pass
        self._join(outcomes)

    def match(self, stmt: cst.Match) -> None:
        """`match` on a constant subject runs the first case whose pattern provably matches;
        cases that provably do not match carry no data. Otherwise any case (or none) may run."""
        subject = self.constant(stmt.subject)
        suites: list[cst.BaseSuite] = []
        exhaustive = False
        for case in stmt.cases:
            verdict = _case_matches(case.pattern, subject) if subject is not UNKNOWN else None
            if verdict is False:
                continue
            suites.append(case.body)
            guard = constant_truth(case.guard, self.env.values) if case.guard is not None else True
            if verdict is True and guard is True:
                exhaustive = True
                break
        if exhaustive and len(suites) == 1:
            self.suite(suites[0])
            return
        self.alternatives(suites, may_skip=not exhaustive)

    def loop(self, stmt: cst.For | cst.While) -> None:
        if isinstance(stmt, cst.While) and constant_truth(stmt.test, self.env.values) is False:
            return
        # A name the body rebinds holds different values on different iterations.
        for name in _collect_bound_names(stmt):
            self.env.values.pop(name, None)
        before = self.env.copy()
        for _ in range(2):  # twice: a value tainted late in the body reaches the top again
            if isinstance(stmt, cst.For):
                self.assign(stmt.target, self.expr(stmt.iter), None)
            else:
                self.expr(stmt.test)
            try:
                self.suite(stmt.body)
            except _Terminated:
                pass
        self.env.merge(before)
        if stmt.orelse is not None:
            try:
                self.suite(stmt.orelse.body)
            except _Terminated:
                pass

    def attempt(self, stmt: cst.Try) -> None:
        before = self.env.copy()
        outcomes: list[_Env] = []
        try:
            self.suite(stmt.body)
            if stmt.orelse is not None:
                self.suite(stmt.orelse.body)
            outcomes.append(self.env)
        except _Terminated:
            pass
        for handler in stmt.handlers:
            self.env = before.copy()
            for outcome in outcomes:
                self.env.merge(outcome)
            if handler.name is not None:
                self.assign(handler.name.name, CLEAN, None)
            try:
                self.suite(handler.body)
                outcomes.append(self.env)
            except _Terminated:
                pass
        if stmt.finalbody is not None:
            self.env = before.copy()
            for outcome in outcomes:
                self.env.merge(outcome)
            self.suite(stmt.finalbody.body)
            if not outcomes:
                raise _Terminated
            return
        self._join(outcomes)

    # --- expressions ---
    def expr(self, node: cst.CSTNode | None) -> Labels:
        if node is None:
            return CLEAN
        labels = self._expr(node)
        return labels

    def _expr(self, node: cst.CSTNode) -> Labels:  # noqa: RV207 - one dispatch over node types
        a = self.a
        if isinstance(node, cst.Name):
            if node.value in self.env.names:
                return self.env.names[node.value]
            found = a.source_labels(node, None, self.matcher)
            if found is not None:
                return found
            return UNKNOWN_ORIGIN if a.is_free(node.value, self.matcher.qualified_name(node)) else CLEAN
        if isinstance(node, cst.Attribute):
            path = dotted_name(node)
            if path is not None and path in self.env.names:
                return self.env.names[path]
            found = a.source_labels(node, None, self.matcher)
            if found is not None:
                return found
            return self.expr(node.value)
        if isinstance(node, cst.Call):
            return self.call(node)
        if isinstance(node, cst.Subscript):
            return self.subscript(node)
        if isinstance(node, (cst.BinaryOperation, cst.BooleanOperation)):
            return self.expr(node.left) | self.expr(node.right)
        if isinstance(node, cst.FormattedString):
            out = CLEAN
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    out |= self.expr(part.expression)
            return out
        if isinstance(node, cst.ConcatenatedString):
            return self.expr(node.left) | self.expr(node.right)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            out = CLEAN
            for element in node.elements:
                out |= self.expr(element.value)
            return out
        if isinstance(node, cst.Dict):
            out = CLEAN
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    self.expr(element.key)
                out |= self.expr(element.value)
            return out
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self.comprehension(node)
        if isinstance(node, cst.IfExp):
            verdict = constant_truth(node.test, self.env.values)
            if verdict is not None:
                return self.expr(node.body if verdict else node.orelse)
            self.expr(node.test)
            return self.guarded_expr(node.body, node.test, True) | self.guarded_expr(node.orelse, node.test, False)
        if isinstance(node, (cst.Await, cst.StarredElement)):
            return self.expr(node.expression if isinstance(node, cst.Await) else node.value)
        if isinstance(node, cst.NamedExpr):
            labels = self.expr(node.value)
            self.assign(node.target, labels, node.value)
            return labels
        if isinstance(node, cst.UnaryOperation):
            labels = self.expr(node.expression)
            return CLEAN if isinstance(node.operator, cst.Not) else labels
        if isinstance(node, cst.Comparison):
            self.expr(node.left)
            for comparison in node.comparisons:
                self.expr(comparison.comparator)
            return CLEAN
        return CLEAN  # literals, lambdas, ellipsis

    def guarded_expr(self, node: cst.CSTNode, test: cst.CSTNode, truth: bool) -> Labels:
        """`x if x in ALLOWED else "/"`: evaluate a branch with the names its condition checked."""
        names = guarded(test, truth, self.a.settings.validators, self.rule_guards)
        if not names:
            return self.expr(node)
        saved = self.env
        self.env = saved.copy()
        for name in names:
            _clean(self.env, name)
        try:
            return self.expr(node)
        finally:
            self.env = saved

    def comprehension(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp) -> Labels:
        saved = self.env
        self.env = saved.copy()
        try:
            clause: cst.CompFor | None = node.for_in
            while clause is not None:
                self.assign(clause.target, self.expr(clause.iter), None)
                for condition in clause.ifs:
                    self.expr(condition.test)
                clause = clause.inner_for_in
            if isinstance(node, cst.DictComp):
                return self.expr(node.key) | self.expr(node.value)
            return self.expr(node.elt)
        finally:
            self.env = saved

    def is_constant_container(self, node: cst.CSTNode) -> bool:
        """A module-level dict/list/tuple/set of literals that this function does not rebind:
        whatever key is looked up, the value read is a constant."""
        return isinstance(node, cst.Name) and node.value in self.a.constants and node.value not in self.env.names

    def subscript(self, node: cst.Subscript) -> Labels:
        if self.is_constant_container(node.value):
            for element in node.slice:
                if isinstance(element.slice, cst.Index):
                    self.expr(element.slice.value)
            return CLEAN
        base = dotted_name(node.value)
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                self.expr(element.slice.value)
        if base is not None and base in self.env.items:
            key = constant_key(node, self.env.values)
            items = self.env.items[base]
            if isinstance(key, int) and key < 0 and self.env.shapes.get(base) in ("list", "tuple"):
                key += len(items)
            if key is not UNKNOWN and key in items:
                return items[key]
            if key is not UNKNOWN and self.env.shapes.get(base) == "dict":
                return CLEAN  # a key the dict never held: nothing (a KeyError) comes from it
        elif base is not None and base in self.env.values:
            return CLEAN  # indexing a constant string or tuple
        found = self.a.source_labels(node, None, self.matcher)
        if found is not None:
            return found
        return self.expr(node.value)

    def call(self, node: cst.Call) -> Labels:
        a = self.a
        name = call_name(node, a.matcher.qualified_name)
        func = node.func
        receiver = self.expr(func.value) if isinstance(func, cst.Attribute) else CLEAN
        args = [self.expr(arg.value) for arg in node.args]
        self.check_sink(node, args)
        if not (name or "").startswith("builtins."):
            # A tracked container handed to other code may be changed there, element by element.
            for arg in node.args:
                if isinstance(arg.value, cst.Name) and arg.value.value in self.env.items:
                    self.env.forget_items(arg.value.value)
        found = a.source_labels(node, name, self.matcher)
        if found is TAINTED:
            return TAINTED
        if found is not None:
            # A source of a kind this rule does not count (an LLM's answer for the session
            # rule): its own text is of unknown origin; what the call was given still flows.
            out = receiver
            for labels in args:
                out |= labels
            return out | UNKNOWN_ORIGIN
        if a.is_sanitizer(node, name, self.matcher):
            return CLEAN
        callee = a.resolve_callee(node, self.scope)
        if callee is not None:
            return self.through(node, callee[0], callee[1], args)
        external = a.external(node) if a.path is not None else None
        if external is not None:
            return self.through(node, external[0], False, args, external[1])
        if isinstance(func, cst.Attribute):
            if name in a.settings.clean_methods or name == "get" and self.is_constant_container(func.value):
                return CLEAN
            tracked = self.container_method(node, func, args)
            if tracked is not None:
                return tracked
            if name in _MUTATORS and isinstance(func.value, cst.Name):
                merged = frozenset().union(*args) if args else CLEAN
                target = func.value.value
                self.env.names[target] = self.env.names.get(target, CLEAN) | merged
                if merged:
                    self.env.items.pop(target, None)
                return CLEAN
        out = receiver
        for labels in args:
            out |= labels
        return out

    def container_method(self, node: cst.Call, func: cst.Attribute, args: list[Labels]) -> Labels | None:
        """A method call on a list or dict whose elements are tracked one by one: keep each
        element's own taint (`values.append(x)`, `values.pop(0)`, `d.get("a")`). None when the
        receiver is not such a container; unmodelled methods fall back to "any element"."""
        receiver = func.value
        if not isinstance(receiver, cst.Name):
            return None
        base = receiver.value
        env = self.env
        items = env.items.get(base)
        shape = env.shapes.get(base)
        if items is None or shape not in ("list", "dict"):
            return None
        method = func.attr.value
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        if len(positional) != len(node.args):
            env.forget_items(base)
            return None
        keys = [self.constant(arg.value) for arg in positional]
        result: Labels | None = None
        if shape == "list":
            result = _list_method(items, method, keys, args)
        else:
            result = _dict_method(items, method, keys, args)
        if result is None:
            if method not in _READERS:
                env.forget_items(base)  # an unmodelled change: only "any element" is known now
            return None
        env.names[base] = _union(items.values())
        return result

    def through(self, node: cst.Call, callee: cst.FunctionDef, bound: bool, args: list[Labels],
                summary: Summary | None = None) -> Labels:
        """Apply the callee's summary (its own, or one from another module): its parameters take
        the arguments' labels."""
        if summary is None:
            summary = self.a._summary(callee)
        params = [p.name.value for p in (*callee.params.posonly_params, *callee.params.params)]
        if bound and params and params[0] in ("self", "cls"):
            offset = 1
        else:
            offset = 0
        all_params = [*params, *(p.name.value for p in callee.params.kwonly_params)]
        for star in (callee.params.star_arg, callee.params.star_kwarg):
            if isinstance(star, cst.Param):
                all_params.append(star.name.value)
        incoming: dict[int, Labels] = {}
        position = offset
        for arg, labels in zip(node.args, args):
            if arg.keyword is not None:
                if arg.keyword.value in all_params:
                    index = all_params.index(arg.keyword.value)
                    incoming[index] = incoming.get(index, CLEAN) | labels
            elif arg.star:
                for index in range(position, len(all_params)):
                    incoming[index] = incoming.get(index, CLEAN) | labels
            else:
                index = min(position, len(all_params) - 1) if all_params else 0
                incoming[index] = incoming.get(index, CLEAN) | labels
                position += 1

        def substitute(labels: Labels) -> Labels:
            out = CLEAN
            for label in labels:
                out |= TAINTED if label == SOURCE else UNKNOWN_ORIGIN if label == FREE else incoming.get(label, CLEAN)
            return out

        for key, hit in summary.hits.items():
            reached = substitute(hit.labels)
            if reached:
                self._record(key, hit.node, reached, via=f"{callee.name.value}()")
        return substitute(summary.returns)

    def check_sink(self, node: cst.CSTNode, args: list[Labels] | None = None) -> None:
        site = self.a.sinks.get(id(node))
        if site is None:
            return
        if site.handler_only and not (isinstance(self.scope, cst.FunctionDef) and self.a.is_handler(self.scope)):
            return
        if site.argument is not None:
            labels = self.expr(site.argument)
        elif args is not None:
            labels = frozenset().union(*args) if args else CLEAN
        else:
            labels = CLEAN
        if labels:
            self._record(id(node), node, labels)

    def _record(self, key: int, node: cst.CSTNode, labels: Labels, via: str = "") -> None:
        hit = self.summary.hits.get(key)
        if hit is None:
            self.summary.hits[key] = Hit(node, labels, via)
        else:
            hit.labels = hit.labels | labels


# --- helpers over syntax ---
def _union(labels: Iterable[Labels]) -> Labels:
    return frozenset().union(*labels)


def _clean(env: _Env, name: str) -> None:
    """A check proved a variable safe. Only variables the function bound count: a name it never
    bound (flask's `request`) is where untrusted data comes from, and checking one attribute of
    it (`request.method == "POST"`) says nothing about the others (`request.args`)."""
    if name not in env.names:
        return
    env.names[name] = CLEAN
    env.forget_items(name)
    origin = env.views.get(name)
    if origin is not None and origin in env.names:
        env.names[origin] = CLEAN
        env.forget_items(origin)


#: Container methods that read without changing the container.
_READERS = frozenset({"copy", "count", "index", "keys", "values", "items", "get", "__getitem__", "__len__", "__contains__"})


def _list_method(items: dict[object, Labels], method: str, keys: list[object], args: list[Labels]) -> Labels | None:
    """Apply a list method to per-position taint (positions 0..n-1); the call's result, or None
    when the method or its index is not modelled."""
    size = len(items)
    if method == "append" and len(args) == 1:
        items[size] = args[0]
        return CLEAN
    if method == "pop":
        index = keys[0] if keys else -1
        if not isinstance(index, int) or isinstance(index, bool) or not -size <= index < size:
            return None
        position = index + size if index < 0 else index
        values = [items[i] for i in range(size)]
        popped = values.pop(position)
        items.clear()
        items.update(enumerate(values))
        return popped
    if method == "insert" and len(args) == 2 and isinstance(keys[0], int) and not isinstance(keys[0], bool):
        values = [items[i] for i in range(size)]
        values.insert(keys[0], args[1])
        items.clear()
        items.update(enumerate(values))
        return CLEAN
    if method == "reverse" and not args:
        values = [items[i] for i in range(size)]
        items.clear()
        items.update(enumerate(reversed(values)))
        return CLEAN
    if method == "clear" and not args:
        items.clear()
        return CLEAN
    return None


def _dict_method(items: dict[object, Labels], method: str, keys: list[object], args: list[Labels]) -> Labels | None:
    """Apply a dict method with a constant key to per-key taint; the call's result, or None when
    the method or its key is not modelled."""
    key = keys[0] if keys else UNKNOWN
    if not isinstance(key, (str, int, bytes)):
        return None
    default = args[1] if len(args) > 1 else CLEAN
    if method == "get" and len(args) in (1, 2):
        return items[key] if key in items else default
    if method == "pop" and len(args) in (1, 2):
        return items.pop(key) if key in items else default
    if method == "setdefault" and len(args) in (1, 2):
        if key not in items:
            items[key] = default
        return items[key]
    return None


def _binary_operator(op: cst.BaseAugOp) -> cst.BaseBinaryOp:
    """`+=` -> `+`."""
    return getattr(cst, type(op).__name__.removesuffix("Assign"))()  # type: ignore[no-any-return]


def _case_matches(pattern: cst.MatchPattern, subject: object) -> bool | None:
    """Whether a case pattern matches a constant subject: True, False, or None (not modelled)."""
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is None:
        return True  # `case _:` or a capture
    if isinstance(pattern, cst.MatchAs):
        return _case_matches(pattern.pattern, subject)
    if isinstance(pattern, cst.MatchValue):
        value = constant_value(pattern.value)
        return None if value is UNKNOWN else bool(value == subject)
    if isinstance(pattern, cst.MatchSingleton):
        value = constant_value(pattern.value)
        return subject is value
    if isinstance(pattern, cst.MatchOr):
        verdicts = [_case_matches(p.pattern, subject) for p in pattern.patterns]
        if any(v is True for v in verdicts):
            return True
        return False if all(v is False for v in verdicts) else None
    return None


def _terminates(call: cst.Call) -> bool:
    name = dotted_name(call.func) or ""
    return bool(_TERMINATING_CALLS.match(name.rsplit(".", 1)[-1])) or name in ("sys.exit", "os._exit")


def _blocks(stmt: cst.CSTNode) -> list[Iterable[cst.CSTNode]]:
    out: list[Iterable[cst.CSTNode]] = []
    for suite in (getattr(stmt, "body", None), getattr(getattr(stmt, "orelse", None), "body", None)):
        if isinstance(suite, cst.IndentedBlock):
            out.append(suite.body)
    for handler in getattr(stmt, "handlers", ()):
        if isinstance(handler.body, cst.IndentedBlock):
            out.append(handler.body.body)
    return out


#: The last module's bound names: every taint rule of a file asks for the same module.
_last_bound: tuple[cst.Module, frozenset[str]] | None = None


def _bound_names(module: cst.Module, tree: ast.Module | None = None) -> frozenset[str]:
    """Every name the module binds anywhere (assignments, parameters, loops, imports, defs...)."""
    global _last_bound
    cached = _last_bound  # one read: another thread may replace it meanwhile
    if cached is not None and cached[0] is module:
        return cached[1]
    names = frozenset(_ast_bound_names(tree) if tree is not None else _collect_bound_names(module))
    _last_bound = (module, names)
    return names


def _ast_bound_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
    return names


def _collect_bound_names(module: cst.CSTNode) -> set[str]:
    names: set[str] = set()
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            names.add(node.name.value)
        elif isinstance(node, cst.Param):
            names.add(node.name.value)
        elif isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            target = node.target
            names.update(n.value for n in target_names(target))
        elif isinstance(node, (cst.AsName,)):
            names.update(n.value for n in target_names(node.name))
        elif isinstance(node, cst.ImportAlias) and node.asname is None:
            dotted = dotted_name(node.name)
            if dotted:
                names.add(dotted.split(".")[0])
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            names.update(item.name.value for item in node.names)
        # The dataclass fields, not `node.children` (which visits every whitespace token).
        for name in walkable_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                stack.append(value)
            elif isinstance(value, (list, tuple)):
                stack.extend(item for item in value if isinstance(item, cst.CSTNode))
    return names


def _matches(index: PatternIndex, node: cst.CSTNode, name: str | None, matcher: Matcher) -> bool:
    if index.names and type(node) in (cst.Name, cst.Attribute):
        if matcher.qualified_name(node) in index.names:  # type: ignore[arg-type]
            return True
    return any(matcher.match(p, node) is not None for p in index.candidates(node, name))
