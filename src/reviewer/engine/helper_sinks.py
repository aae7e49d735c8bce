"""Sinks inside the project's helper functions: which parameter of `helpers/db.py: run(sql)` reaches
a taint rule's sink, so a call that passes request data to it is reported where the call is made.
Helper modules are read (never imported) once per process and keyed by size and mtime."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from reviewer.analysis.environment import stdlib_modules
from reviewer.analysis.project_modules import HelperModule, load
from reviewer.analysis.taint import SOURCE, TaintAnalysis
from reviewer.config import Config
from reviewer.engine.context import RuleContext
from reviewer.engine.walker import Walker
from reviewer.sources import SourceUnit

if TYPE_CHECKING:
    from reviewer.analysis.taint import SinkSite
    from reviewer.engine.packs import PackRule

#: Helper files whose sink sites are kept per process.
_MAX_FILES = 128


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b|import[ \t]+([\w.]+))", re.M)


#: Web frameworks whose request data the taint rules count (the sources of rules/taint.toml).
_FRAMEWORKS = ("flask", "django", "fastapi", "starlette", "quart", "bottle", "rest_framework")


def follows_helpers(unit: SourceUnit) -> bool:
    """Whether calls in this unit are checked against helpers' sinks: a web application's file
    on disk (so its imports can be found beside it), where request data comes from, that imports
    something other than the standard library (a module of its own project may be it)."""
    text = unit.text
    if not unit.on_disk or unit.is_notebook or "request" not in text or not any(f in text for f in _FRAMEWORKS):
        return False
    stdlib = stdlib_modules()
    for match in _IMPORT.finditer(unit.text):
        dots, module, plain = match.groups()
        root = (module or plain or "").split(".")[0]
        if dots or (root and root not in stdlib and root != "__future__"):
            return True
    return False


@dataclass(frozen=True)
class HelperSink:
    """A parameter of a helper function whose value reaches a sink of a taint rule."""

    parameter: int  #: position among the helper's parameters (positional ones first, then keyword-only)
    name: str  #: the parameter's name
    line: int  #: the sink's line in the helper file
    path: str  #: the helper file


_sites: dict[tuple[str, tuple[int, int], tuple[str, ...]], tuple[dict[str, list[SinkSite]], RuleContext]] = {}
_found: dict[tuple[object, ...], tuple[HelperSink, ...]] = {}


def helper_sinks(file: str, name: str, rule: type[PackRule], rules: list[type[PackRule]],
                 config: Config) -> tuple[HelperSink, ...]:
    """The parameters of the module-level function `name` of `file` that reach a sink of `rule`
    (a taint rule among `rules`, the taint rules of this run), with no source of their own needed."""
    helper = load(file)
    if helper is None or rule.TAINT is None:
        return ()
    function = helper.functions.get(name)
    if function is None:
        return ()
    key = (file, helper.stamp, name, rule.CODE)
    if key in _found:
        return _found[key]
    by_rule, context = _sink_sites(file, helper, rules, config)
    # Every sink of the module: `find(name)` may reach one through `run(sql)` beside it.
    sites = by_rule.get(rule.CODE, [])
    found: list[HelperSink] = []
    if sites:
        spec = rule.TAINT
        analysis = TaintAnalysis(helper.module, helper.matcher, sites, spec.sources, spec.sanitizers,
                                 spec.source_kinds, None, helper.syntax_tree, spec.guards, file, 1)
        parameters = _parameters(function)
        for hit in analysis.summary_of(function).hits.values():
            line = context.span(hit.node)[0]
            for label in sorted(hit.labels):
                if label != SOURCE and 0 <= label < len(parameters):
                    found.append(HelperSink(label, parameters[label], line, file))
    result = tuple(dict.fromkeys(found))
    if len(_found) > 4096:
        _found.clear()
    _found[key] = result
    return result


def _parameters(function: cst.FunctionDef) -> list[str]:
    params = function.params
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    names += [p.name.value for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return names


def _sink_sites(file: str, helper: HelperModule, rules: list[type[PackRule]],
                config: Config) -> tuple[dict[str, list[SinkSite]], RuleContext]:
    """Every taint rule's sink sites in a helper module: the rules' own visitor walks it, so the
    sinks' options (excluded shapes, receivers, handlers) mean the same as in the reviewed file."""
    from reviewer.engine.pack_visitor import PackVisitor  # noqa: PLC0415 - pack_visitor imports this module

    key = (file, helper.stamp, tuple(r.CODE for r in rules))
    cached = _sites.get(key)
    if cached is not None:
        return cached
    unit = SourceUnit(path=file, text=helper.module.code, on_disk=True)
    context = RuleContext(unit, helper.module, config)
    walker = Walker([], context)
    # A rule looks for its sinks only where its triggers say it may find them, as in a review.
    relevant = [r for r in rules if not r.TRIGGERS or any(t in unit.text for t in r.TRIGGERS)]
    visitor = PackVisitor(relevant, context, walker.failed, follow_helpers=False)
    walker.rules.append(visitor)  # type: ignore[arg-type]
    try:
        walker.walk(helper.module)
    except RecursionError:
        return {}, context
    sites = {rule.CODE: list(found) for rule, found in visitor.sinks.items() if rule not in walker.failed}
    if len(_sites) > _MAX_FILES:
        _sites.clear()
    _sites[key] = (sites, context)
    return sites, context
