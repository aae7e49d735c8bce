"""Runs every selected pack rule in the engine's one walk: pattern rules report as nodes match;
taint rules collect their sinks and decide in `finish()`, analysing only functions with a sink."""

from __future__ import annotations

import os
import re
from pathlib import Path

import libcst as cst

from reviewer.analysis.bindings import module_assignments, string_value
from reviewer.analysis.taint import SinkSite, TaintAnalysis
from reviewer.analysis.taint_spec import call_name, dispatch_types
from reviewer.engine.context import RuleContext
from reviewer.engine.imports import dotted_name
from reviewer.engine.packs import Condition, PackRule, TaintSpec
from reviewer.engine.patterns import Bindings, Matcher, Pattern, is_literal
from reviewer.analysis.project_modules import locate
from reviewer.engine.fix_edits import add_argument, imports_module, operand, spell
from reviewer.engine.helper_sinks import follows_helpers, helper_sinks
from reviewer.engine.rule import Autofix, Report, Rule
from reviewer.engine.walker import iter_nodes
from reviewer.model import Applicability

_SHOWN = 60  #: characters of a bound expression shown in a message


class PackVisitor:
    """One visitor for all pack rules of a unit; per-rule failures land in `failed`."""

    def __init__(self, rules: list[type[PackRule]], context: RuleContext,
                 failed: dict[type[Rule], BaseException], follow_helpers: bool = True,
                 helper_only: frozenset[type[PackRule]] = frozenset()) -> None:
        self.context = context
        self.failed = failed
        self.matcher = Matcher(self._qualified_name, context.code_for)
        self.sinks: dict[type[PackRule], list[SinkSite]] = {}
        self._constants: dict[str, cst.BaseExpression] | None = None
        self._bound_values: dict[str, list[cst.CSTNode]] | None = None
        self._names: dict[int, str | None] = {}
        #: Sink node -> its ancestors (for cheap positions in finish()).
        self._paths: dict[int, tuple[cst.CSTNode, ...]] = {}
        self._cleared_node: cst.CSTNode | None = None
        self._cleared: set[tuple[type[PackRule], str]] = set()
        #: (rule, node) pairs already reported at a constant's definition (one finding per secret).
        self._at_definition: set[tuple[type[PackRule], int]] = set()
        #: Enclosing functions of the node being visited, outermost first.
        self.functions: list[cst.FunctionDef] = []
        #: Called name -> the functions (or the module) containing such a call: taint analysis
        #: follows a sink's parameters up to these callers. Dicts as ordered sets: CST nodes
        #: hash by identity, so a set's order (and the "through f()" a finding names) would vary.
        self.callers: dict[str, dict[cst.CSTNode, None]] = {}
        # One index over every rule's patterns: a node meets only the patterns that can match it.
        self.by_call: dict[str | None, list[tuple[type[PackRule], Pattern]]] = {}
        self.by_type: dict[type, list[tuple[type[PackRule], Pattern]]] = {}
        self.by_name: dict[str, list[tuple[type[PackRule], Pattern]]] = {}
        for rule in rules:
            patterns = rule.PATTERNS if rule.TAINT is None else tuple(s.pattern for s in rule.TAINT.sinks)
            if rule.TAINT is not None:
                self.sinks[rule] = []
            if rule in helper_only:
                continue  # only calls of the project's helpers are its sinks here
            for pattern in patterns:
                entry = (rule, pattern)
                if pattern.qualified is not None:
                    self.by_name.setdefault(pattern.qualified, []).append(entry)
                elif pattern.dispatch is cst.Call:
                    self.by_call.setdefault(pattern.call_name, []).append(entry)
                else:
                    for node_type in dispatch_types(pattern):
                        self.by_type.setdefault(node_type, []).append(entry)
        #: Calls of helper functions in other files of the project are sinks when the helper
        #: passes a parameter to one (only in files that read requests: where the data comes from).
        self._taint_rules = [r for r in rules if r.TAINT is not None]
        self._follow_helpers = follow_helpers and bool(self._taint_rules) and follows_helpers(context.unit)
        self._name_heads = frozenset(
            part for name in self.by_name for part in name.split(".")[: 2 if name.startswith("builtins.") else 1]
        )
        types = set(self.by_type) | {cst.Call}  # every call is indexed for the taint rules' callers
        if self.by_name:
            types |= {cst.Name, cst.Attribute}
        self._match_functions = cst.FunctionDef in types
        types.discard(cst.FunctionDef)
        for node_type in types:
            setattr(self, f"visit_{node_type.__name__}", self.visit)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)
        if self._match_functions:
            self.visit(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.pop()

    def _qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The import table's answer, unless an enclosing function's parameter shadows the
        imported name (`def view(request)` in a module that imports flask's `request`)."""
        key = id(node)
        if key in self._names:
            return self._names[key]
        qualified = self._names[key] = self._resolve(node)
        return qualified

    def _resolve(self, node: cst.BaseExpression) -> str | None:
        qualified = self.context.qualified_name(node)
        if qualified is None or "." not in qualified and qualified == getattr(node, "value", None):
            return qualified
        dotted = dotted_name(node)
        head = dotted.partition(".")[0] if dotted else None
        if head is None or head not in self.context.imports.aliases:
            return qualified
        for function in self.functions:
            params = function.params
            if any(p.name.value == head for p in (*params.posonly_params, *params.params, *params.kwonly_params)):
                return dotted
        return qualified

    def visit(self, node: cst.CSTNode) -> None:
        name = None
        if isinstance(node, cst.Call):
            name = call_name(node, self.context.qualified_name)
            if self.sinks:
                func = node.func
                # `f(x)` may call a module-level function; `obj.f(x)` only a method (and
                # `subprocess.run(cmd)` never this module's own `run`).
                called = "." + func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
                if isinstance(called, str):
                    owner = self.functions[-1] if self.functions else self.context.module
                    self.callers.setdefault(called, {})[owner] = None
                if self._follow_helpers:
                    qualified = self._qualified_name(func)
                    if qualified is not None and "." in qualified and not qualified.startswith("builtins."):
                        self._helper_call(node, qualified)
        decided: set[type[PackRule]] = set()
        for rule, pattern in self._candidates(node, name):
            if rule in self.failed or rule in decided:
                continue
            try:
                bindings = self.matcher.match(pattern, node)
                if bindings is None:
                    continue
                if rule.TAINT is not None:
                    self._sink(rule, pattern, node, bindings)
                    continue
                accepted = self._accepted(rule, node, bindings)
                if accepted is not None:
                    decided.add(rule)
                    definition = self._definition(rule, accepted)
                    if definition is None:
                        fix = self._fix(rule, node, accepted)
                        self.context.add_report(Report(rule, node, self._message(rule, accepted, node), fix))
                    elif (rule, id(definition)) not in self._at_definition:
                        # `KEY = "..."` used in `jwt.encode(p, KEY)`: one finding, where the literal
                        # is written (it merges with what other rules say about that line).
                        self._at_definition.add((rule, id(definition)))
                        self.context.add_report(Report(rule, definition, self._message(rule, accepted, node), None))
                elif rule.VERDICTS and rule.EQUIVALENT and (rule, "cleared") not in self._cleared_at(node):
                    # The shape matched and the conditions proved it harmless: a verdict that
                    # lets the pipeline play down pattern-only tool findings on this line.
                    self._cleared_at(node).add((rule, "cleared"))
                    verdict = "the conditions of this rule show the code is safe"
                    self.context.add_report(Report(rule, node, verdict, None, cleared=True))
            except RecursionError:
                raise
            except Exception as exc:  # one broken rule must not hide the others' findings
                self.failed[rule] = exc

    def _fix(self, rule: type[PackRule], node: cst.CSTNode, bindings: Bindings) -> Autofix | None:
        """The first of the rule's fixes whose pattern matches the reported node and that applies."""
        for fix in rule.FIXES:
            if self.matcher.match(fix.pattern, node) is None:
                continue
            safety = Applicability.SAFE if fix.safe else Applicability.UNSAFE
            if fix.add_keyword and isinstance(node, cst.Call):
                edit = add_argument(node, fix.add_keyword, self.context.code_for)
                if edit is not None:
                    return Autofix(fix.description, applicability=safety, also=(edit,))
            elif fix.replace and (not fix.when_imported or imports_module(self.context, fix.when_imported)):
                text = self._fill(fix.replace, bindings, node)
                if text is not None:
                    return Autofix(fix.description, text, safety)
        return None

    def _fill(self, template: str, bindings: Bindings, near: cst.CSTNode) -> str | None:
        """The template with `$X` as the bound code (in parentheses unless atomic) and
        `{pandas.isna}` as the module spells it; None when a name cannot be spelled."""
        missing = False

        def name(match: re.Match[str]) -> str:
            nonlocal missing
            qualified = match.group(1)
            spelled = spell(self.context, qualified, qualified.rsplit(".", 1)[0], near)
            if spelled is None or spelled[1]:
                missing = True  # only names the module already imports
                return ""
            return spelled[0]

        def variable(match: re.Match[str]) -> str:
            nonlocal missing
            bound = bindings.get(match.group(0))
            if not isinstance(bound, cst.BaseExpression):
                missing = True
                return ""
            # An argument or subscript item (`f($X)`, `[$X, ...]`) needs fewer parentheses.
            before, after = template[:match.start()].rstrip()[-1:], template[match.end():].lstrip()[:1]
            item = before in ("(", "[", ",") and after in (")", "]", ",")
            return operand(bound, self.context.code_for, item=item)

        template = re.sub(r"\{([\w.]+)\}", name, template)
        text = re.sub(r"\$[A-Z_][A-Z0-9_]*", variable, template)
        return None if missing or "\n" in text else text

    def _cleared_at(self, node: cst.CSTNode) -> set[tuple[type[PackRule], str]]:
        if self._cleared_node is not node:
            self._cleared_node, self._cleared = node, set()
        return self._cleared

    def _candidates(self, node: cst.CSTNode, name: str | None) -> list[tuple[type[PackRule], Pattern]]:
        kind = type(node)
        if kind is cst.Call:
            out = list(self.by_call.get(name, ()))
            generic = self.by_call.get(None, ())
            if generic:
                func = node.func  # type: ignore[attr-defined]
                qualified = self._qualified_name(func) if type(func) in (cst.Name, cst.Attribute) else None
                head = qualified.partition(".")[0] if qualified else None
                # `pickle.$F(...)` can only match a call whose qualified name starts with pickle.
                out.extend(e for e in generic if e[1].trigger is None or e[1].head is None or e[1].head == head)
            return out
        out = list(self.by_type.get(kind, ()))
        if self.by_name and (kind is cst.Name or kind is cst.Attribute):
            head = _head(node)
            # Most names are locals: only an imported name or the head of an indexed one
            # (`os` of `os.environ`, `eval` of `builtins.eval`) can resolve to an indexed name.
            if head in self._name_heads or head in self.context.imports.aliases:
                out[:0] = self.by_name.get(self._qualified_name(node) or "", ())  # type: ignore[arg-type]
        return out

    def _accepted(self, rule: type[PackRule], node: cst.CSTNode, bindings: Bindings) -> Bindings | None:
        for excluded in rule.PATTERN_NOT:
            found = self.matcher.match(excluded, node, bindings)
            # Conditions on metavariables only this pattern-not binds apply to it
            # (`secure=$SECURE` excludes a cookie unless $SECURE is `False`).
            if found is not None and all(self._holds(c, found) for c in rule.WHERE if c.metavariable not in bindings):
                return None
        ancestors = self.context.stack[:-1]
        for inside in rule.INSIDE:
            for ancestor in reversed(ancestors):
                found = self._match_at(inside, ancestor, bindings)
                if found is not None:
                    bindings = found
                    break
            else:
                return None
        if rule.INSIDE_ANY:
            for ancestor in reversed(ancestors):
                found = next((f for p in rule.INSIDE_ANY if (f := self._match_at(p, ancestor, bindings)) is not None
                              and all(self._holds(c, f) for c in rule.WHERE)), None)
                if found is not None:
                    bindings = found
                    break
            else:
                return None
        for outside in rule.NOT_INSIDE:
            for ancestor in ancestors:
                found = self._match_at(outside, ancestor, bindings)
                if found is not None and all(self._holds(c, found) for c in rule.WHERE):
                    return None
        if all(self._holds(c, bindings) for c in rule.WHERE):
            return bindings
        return None

    def _match_at(self, pattern: Pattern, node: cst.CSTNode, bindings: Bindings) -> Bindings | None:
        if isinstance(node, pattern.dispatch) or isinstance(node, (cst.Name, cst.Attribute)) and pattern.dispatch in (cst.Name, cst.Attribute):
            return self.matcher.match(pattern, node, bindings)
        if isinstance(node, cst.SimpleStatementLine):  # `x = ...` patterns against a statement line
            for small in node.body:
                if isinstance(small, pattern.dispatch):
                    found = self.matcher.match(pattern, small, bindings)
                    if found is not None:
                        return found
        return None

    def _holds(self, condition: Condition, bindings: Bindings) -> bool:
        bound = bindings.get(condition.metavariable)
        if bound is None:
            return True  # a condition on a metavariable this pattern does not bind
        value = self._constant(bound)
        if condition.literal is not None and is_literal(value) != condition.literal:
            return False
        if condition.regex is not None:
            texts = [self.matcher.text(bound)]
            if value is not bound and isinstance(value, cst.CSTNode):
                texts.append(self.matcher.text(value))
            text_value = string_value(value) if isinstance(value, cst.BaseExpression) else None
            if text_value is not None:
                texts.append(text_value)
            return any(condition.regex.search(text.strip()) for text in texts)
        return True

    def _definition(self, rule: type[PackRule], bindings: Bindings) -> cst.CSTNode | None:
        """The module-level literal a `literal = true` condition was met through, if any."""
        for condition in rule.WHERE:
            bound = bindings.get(condition.metavariable)
            if condition.literal and isinstance(bound, cst.Name):
                value = self._constant(bound)
                if value is not bound and isinstance(value, cst.CSTNode):
                    return value
        return None

    def _constant(self, bound: cst.CSTNode | str) -> cst.CSTNode | str:
        """A name bound once at module level to a literal stands for that literal
        (`HOST = "0.0.0.0"; app.run(host=HOST)`)."""
        if not isinstance(bound, cst.Name):
            return bound
        if self._constants is None:
            self._constants = {
                name: value for name, value in module_assignments(self.context.module).items() if is_literal(value)
            }
        return self._constants.get(bound.value, bound)

    def _message(self, rule: type[Rule], bindings: Bindings, node: cst.CSTNode | None = None) -> str:
        def show(match: re.Match[str]) -> str:
            bound = bindings.get(match.group(0))
            if bound is None:
                # A pattern of the rule that does not bind this metavariable matched (the
                # message's `$F` with `torch.load(...)`): name the called function instead.
                bound = node.func if isinstance(node, cst.Call) else None
            if bound is None:
                return "this call"
            text = bound if isinstance(bound, str) else self.context.code_for(bound).strip()
            text = " ".join(text.split())
            return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."

        return re.sub(r"\$[A-Z_][A-Z0-9_]*", show, rule.MESSAGE)

    # --- taint rules ---
    def _sink(self, rule: type[PackRule], pattern: Pattern, node: cst.CSTNode, bindings: Bindings) -> None:
        assert rule.TAINT is not None
        sink = next(s for s in rule.TAINT.sinks if s.pattern is pattern)
        argument = bindings.get(sink.argument) if sink.argument else None
        if isinstance(argument, str):
            return
        if any(self.matcher.match(p, node) is not None for p in sink.exclude):
            return
        if sink.regex is not None and not any(
            sink.regex.search(text) for text in _string_literals(argument or node)
        ):
            return
        if sink.receiver is not None and not self._made_by(bindings.get(sink.receiver), sink.receiver_from):
            return
        owner = self.functions[-1] if self.functions else self.context.module
        if argument is not None and self._safe_prefix(rule.TAINT, argument, owner):
            return
        if sink.handler_from and not (isinstance(owner, cst.FunctionDef) and self._handler_of(owner, sink.handler_from)):
            return
        if sink.text_only and not _text_like(argument or node, owner):
            return
        if sink.not_after and self._undone_after(node, sink.not_after):
            return
        sites = self.sinks[rule]
        stack = self.context.stack
        self._paths[id(node)] = tuple(stack)
        if not any(site.node is node for site in sites):
            sites.append(SinkSite(node, argument, sink.handler_only, owner))

    def _helper_call(self, node: cst.Call, qualified: str) -> None:
        """`run_query(sql)` where `helpers/db.py: run_query` executes its parameter: the call is a
        sink of that rule for the argument passed to that parameter."""
        located = locate(self.context.unit.path, qualified)
        if located is None:
            return
        file, function = located
        for rule in self._taint_rules:
            if rule in self.failed:
                continue
            for sink in helper_sinks(file, function, rule, self._taint_rules, self.context.config):
                argument = _argument_for(node, sink.parameter, sink.name)
                if argument is None:
                    continue
                owner = self.functions[-1] if self.functions else self.context.module
                shown = os.path.relpath(sink.path, os.path.dirname(os.path.abspath(self.context.unit.path)))
                via = f"{function}() in {Path(shown).as_posix()}, line {sink.line}"
                self.sinks.setdefault(rule, []).append(SinkSite(node, argument, owner=owner, via=via))
                self._paths[id(node)] = tuple(self.context.stack)
                self.context.dependencies.add(file)
                break

    def _line_name(self, line: int) -> str:
        location = self.context.unit.location(line)
        return f"line {line}" if location.cell is None else f"cell {location.cell + 1}, line {location.line}"

    def _safe_prefix(self, spec: TaintSpec, argument: cst.CSTNode, owner: cst.CSTNode, depth: int = 0) -> bool:
        """The argument starts with what the rule's `safe-prefixes` allow; a variable does when
        every value the function assigns to it does."""
        if not spec.safe_prefixes and spec.safe_prefix_regex is None:
            return False
        if isinstance(argument, cst.Name) and depth < 3:
            values = _assigned_values(owner, argument)
            return bool(values) and all(self._safe_prefix(spec, v, owner, depth + 1) for v in values)
        head = _head(argument)
        if isinstance(head, (cst.SimpleString, cst.FormattedStringText)):
            text = string_value(head) if isinstance(head, cst.SimpleString) else head.value
            return text is not None and spec.safe_prefix_regex is not None and bool(spec.safe_prefix_regex.search(text))
        return any(self.matcher.match(p, head) is not None for p in spec.safe_prefixes)

    def _handler_of(self, function: cst.FunctionDef, factories: tuple[Pattern, ...]) -> bool:
        """A decorator of `function` is a method of an object one of `factories` made
        (`app = Flask(__name__)` ... `@app.route("/")`)."""
        for decorator in function.decorators:
            expr = decorator.decorator
            func = expr.func if isinstance(expr, cst.Call) else expr
            if isinstance(func, cst.Attribute) and self._made_by(func.value, factories):
                return True
        return False

    def _undone_after(self, node: cst.CSTNode, patterns: tuple[Pattern, ...]) -> bool:
        """`resp = <node>` and a later statement of the same block matches one of `patterns`
        with `$R` bound to `resp` (`resp.mimetype = "application/json"`)."""
        stack = self.context.stack
        line = next((n for n in reversed(stack) if isinstance(n, cst.SimpleStatementLine)), None)
        block = next((n for n in reversed(stack) if isinstance(n, (cst.IndentedBlock, cst.Module))), None)
        if line is None or block is None:
            return False
        assign = next((s for s in line.body if isinstance(s, cst.Assign) and s.value is node), None)
        if assign is None or len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            return False
        result = assign.targets[0].target
        statements = list(block.body)
        after = statements[statements.index(line) + 1:] if line in statements else []
        for statement in after:
            for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
                targets = [small, *(getattr(small, "value", None),)]
                for target in targets:
                    if isinstance(target, cst.CSTNode) and any(
                        isinstance(target, p.dispatch) and self.matcher.match(p, target, {"$R": result}) is not None
                        for p in patterns
                    ):
                        return True
        return False

    def _made_by(self, receiver: cst.CSTNode | str | None, factories: tuple[Pattern, ...]) -> bool:
        """Whether a variable is bound (anywhere in the module) to a call of one of `factories`,
        or is itself such a call (`requests.Session().get(url)`)."""
        if isinstance(receiver, cst.Call):
            return any(self.matcher.match(p, receiver) is not None for p in factories)
        if not isinstance(receiver, (cst.Name, cst.Attribute)):
            return False
        if self._bound_values is None:
            self._bound_values = _bound_values(self.context.module)
        name = dotted_name(receiver)
        return any(
            self.matcher.match(p, value) is not None
            for value in self._bound_values.get(name or "", ())
            for p in factories
        )

    def finish(self) -> None:
        for rule, sites in self.sinks.items():
            if not sites or rule in self.failed:
                continue
            assert rule.TAINT is not None
            try:
                analysis = TaintAnalysis(self.context.module, self.matcher, sites, rule.TAINT.sources,
                                         rule.TAINT.sanitizers, rule.TAINT.source_kinds, self.callers,
                                         self.context.syntax_tree(), rule.TAINT.guards, self.context.unit.path)
                seen: set[object] = set()
                sites_by_node = {id(site.node): site for site in sites}
                reached = analysis.reached()
                self.context.dependencies |= analysis.dependencies
                for hit in reached:
                    path = self._paths.get(id(hit.node))
                    # `conn.execute(text(q))`, or two `os.popen()` in one statement: one finding
                    # for the statement (its line when the ancestors are unknown).
                    statement = next((n for n in reversed(path or ()) if isinstance(n, cst.SimpleStatementLine)), None)
                    key = id(statement) if statement is not None else self.context.span(hit.node, path)[0]
                    if key in seen:
                        continue
                    seen.add(key)
                    site = sites_by_node.get(id(hit.node))
                    via = ", ".join(v for v in (hit.via, site.via if site is not None else "") if v)
                    message = rule.MESSAGE + (f" (through {via})" if via else "")
                    built = _assigned_values(site.owner, site.argument) if site is not None else []
                    lines = sorted({self.context.span(value)[0] for value in built} - {self.context.span(hit.node, path)[0]})
                    if lines:
                        message += "; built on " + ", ".join(self._line_name(line) for line in lines)
                    self.context.add_report(Report(rule, hit.node, message, None, path=path))
                    # One problem, one finding: a tool's guess where the value was built (B608
                    # on the query string) is this finding, not another one.
                    for value in built:
                        self.context.add_report(Report(rule, value, "reported where it is used", None, cleared=True))
                decided = {id(hit.node) for hit in reached} | analysis.unresolved
                for site in sites:
                    if id(site.node) not in decided:
                        verdict = "no untrusted data reaches this sink (dataflow)"
                        path = self._paths.get(id(site.node))
                        self.context.add_report(Report(rule, site.node, verdict, None, cleared=True, path=path))
                        # The verdict covers where the value was built too (`sql = "..." % t`
                        # then `cursor.execute(sql)`): a tool's guess on that line is answered.
                        for built in _assigned_values(site.owner, site.argument):
                            self.context.add_report(Report(rule, built, verdict, None, cleared=True))
            except RecursionError:
                self.failed[rule] = RecursionError("too deeply nested for taint analysis")
            except Exception as exc:
                self.failed[rule] = exc


def _argument_for(call: cst.Call, position: int, name: str) -> cst.BaseExpression | None:
    """The argument a call passes to the helper's parameter (by position or by keyword); None
    when `*args`/`**kwargs` may hold it."""
    positional = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is not None:
            if arg.keyword.value == name:
                return arg.value
        elif positional == position:
            return arg.value
        else:
            positional += 1
    return None


def _string_literals(node: cst.CSTNode) -> list[str]:
    """The string literals written inside an expression (as in the source, quotes included)."""
    return [n.value for n in iter_nodes(node) if type(n) in (cst.SimpleString, cst.FormattedStringText)]  # type: ignore[attr-defined]


def _bound_values(module: cst.Module) -> dict[str, list[cst.CSTNode]]:
    """Every value assigned to a name or attribute (`x = ...`, `self.x = ...`, `with ... as x`)."""
    found: dict[str, list[cst.CSTNode]] = {}
    for node in iter_nodes(module):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                name = dotted_name(target.target)  # type: ignore[arg-type]
                if name:
                    found.setdefault(name, []).append(node.value)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            name = dotted_name(node.asname.name)  # type: ignore[arg-type]
            if name:
                found.setdefault(name, []).append(node.item)
    return found


def _head(node: cst.CSTNode) -> str | None:
    """`os` for `os.path.join`; None when the chain does not start with a name (`f().x`)."""
    while type(node) is cst.Attribute:
        node = node.value  # type: ignore[attr-defined]
    return node.value if type(node) is cst.Name else None  # type: ignore[attr-defined]


def _assigned_values(scope: cst.CSTNode | None, argument: cst.CSTNode | None) -> list[cst.CSTNode]:
    """The values assigned to the variable `argument` names in `scope` (its function)."""
    if scope is None or not isinstance(argument, cst.Name):
        return []
    name = argument.value
    return [
        node.value
        for node in iter_nodes(scope, (cst.ClassDef, cst.FunctionDef, cst.Lambda))
        if isinstance(node, cst.Assign) and any(
            isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets)
    ]


#: Request attributes whose items are text (a query parameter, a form field, a cookie, a header).
_TEXT_ITEMS = re.compile(r"^(flask\.)?request\.(args|form|values|cookies|headers|GET|POST|COOKIES|META)$")
#: String methods: their result is text when their receiver is.
_TEXT_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "replace", "format", "join"})


def _text_like(expr: cst.CSTNode, scope: cst.CSTNode | None, depth: int = 0) -> bool:
    """Whether an expression is text by its syntax: a string literal or one built with `+`, `%`,
    f-strings or `format()`, `str()` of text, or an item of the request's text mappings; a variable
    when every value the function assigns to it is. Dicts, lists and unknown calls are not."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Modulo)):
        return _text_like(expr.left, scope, depth) or isinstance(expr.operator, cst.Add) and _text_like(expr.right, scope, depth)
    if isinstance(expr, cst.Subscript):
        return bool(_TEXT_ITEMS.match(dotted_name(expr.value) or ""))
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Name) and func.value == "str":
            # `str(obj)` of parsed data is a repr, rarely a page: text only when `obj` is.
            return len(expr.args) == 1 and _text_like(expr.args[0].value, scope, depth)
        if isinstance(func, cst.Attribute):
            if func.attr.value == "get" and _TEXT_ITEMS.match(dotted_name(func.value) or ""):
                return True
            if func.attr.value in _TEXT_METHODS:
                return _text_like(func.value, scope, depth)
        return False
    if isinstance(expr, cst.Name) and depth < 3:
        values = _assigned_values(scope, expr)
        return bool(values) and all(_text_like(v, scope, depth + 1) for v in values)
    return False


def _head(expr: cst.CSTNode) -> cst.CSTNode:
    """What a built string starts with: the left end of `a + b` / `a % b`, the first part of an
    f-string, the template of `"...".format(x)`."""
    while True:
        if isinstance(expr, (cst.BinaryOperation, cst.ConcatenatedString)):
            expr = expr.left
        elif isinstance(expr, cst.FormattedString) and expr.parts:
            part = expr.parts[0]
            expr = part.expression if isinstance(part, cst.FormattedStringExpression) else part
        elif (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute)
              and expr.func.attr.value == "format" and isinstance(expr.func.value, (cst.SimpleString, cst.ConcatenatedString))):
            expr = expr.func.value
        else:
            return expr
