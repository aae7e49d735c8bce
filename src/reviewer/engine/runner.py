"""analyze(unit, config) -> findings: parse once, walk once with every applicable rule.

Failures stay local: a syntax error is a ToolError for the file (for notebooks, for the cell, and
the other cells are still reviewed); a rule that raises is a ToolError for that file and rule.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import replace

import libcst as cst

from reviewer.analysis.tests_detection import is_test_path
from reviewer.config import Config
from reviewer.engine.context import RuleContext
from reviewer.engine.helper_sinks import follows_helpers
from reviewer.engine.pack_visitor import PackVisitor
from reviewer.engine.packs import PackRule
from reviewer.engine.parsing import TooComplex, parse_module
from reviewer.engine.registry import select_rules
from reviewer.engine.rule import Autofix, ProjectRule, ProjectRun, Report, Rule
from reviewer.engine.walker import Walker
from reviewer.model import (
    CLEARED_SINK,
    DEPENDS_ON,
    EXAMINED,
    Applicability,
    Confidence,
    Edit,
    Finding,
    Fix,
    Location,
    Severity,
    Source,
    ToolError,
)
from reviewer.sources import SourceUnit
from reviewer.sources.unit import split_lines

# Long implicit string concatenations nest deeply (pydoc_data/topics.py); Python 3.11 frames for
# pure-Python recursion are cheap, so a higher limit is safe and keeps such files reviewable.
RECURSION_LIMIT = 20_000


def analyze(
    unit: SourceUnit, config: Config, rules: list[type[Rule]] | None = None, *, verdicts: bool = False
) -> tuple[list[Finding], list[ToolError]]:
    """Findings and per-file errors; with `verdicts`, also the rules' verdicts that a place is
    safe (model.CLEARED_SINK) and markers of the units rules examined whole (model.EXAMINED),
    which only the pipeline's supersede step consumes."""
    rules = select_rules(config.select, config.ignore, config.pack_directories) if rules is None else rules
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    whole = [r for r in rules if issubclass(r, ProjectRule)]
    findings, errors = _analyze(unit, config, [r for r in rules if r not in whole], verdicts)
    # Whole-project rules asked about one unit (rule examples, an editor): it is the whole run.
    # The pipeline leaves them out and runs them once on every unit instead.
    for rule in whole:
        findings += _project_findings(rule, unit, config, errors)
    return findings, errors


def _analyze(unit: SourceUnit, config: Config, rules: list[type[Rule]], verdicts: bool,
             ) -> tuple[list[Finding], list[ToolError]]:
    module, unit, errors = parse(unit)
    if module is None:
        return [], errors
    test_file = is_test_path(unit.path)
    # A file that reads requests may pass them to a helper of the project that runs a sink: the
    # taint rules examine it even when it spells none of their sinks itself.
    helpers = follows_helpers(unit)
    active = [r for r in rules if (applies(r, unit) or helpers and issubclass(r, PackRule) and r.TAINT is not None)
              and not (r.NOT_IN_TESTS and test_file)]
    # A rule about deployed code has examined a test file by knowing it is one: what it owns
    # does not apply there, so the tools' findings of that concept are superseded too.
    markers = [_examined(r, unit) for r in rules if verdicts and r.SUPERSEDES and r.NOT_IN_TESTS and test_file]
    if not active:
        return markers, errors
    context = RuleContext(unit, module, config)
    packs = [r for r in active if issubclass(r, PackRule)]
    instances = [rule(context) for rule in active if not issubclass(rule, PackRule)]
    walker = Walker(list(instances), context)
    if packs:
        # All pack rules share one visitor (one index lookup per node); it records each
        # failing rule in walker.failed itself.
        # Taint rules active only for the helpers' sinks: their own sink shapes (`$CONN.search`)
        # are not looked for in a file their triggers (`ldap`) say is about something else.
        helper_only = frozenset(r for r in packs if not applies(r, unit))
        pack_visitor = PackVisitor(packs, context, walker.failed, helper_only=helper_only)
        walker.rules.append(pack_visitor)  # type: ignore[arg-type]
        instances.append(pack_visitor)  # type: ignore[arg-type]
    try:
        walker.walk(module)
    except RecursionError:
        return [], [*errors, ToolError("reviewer", "too deeply nested to analyze", unit.path)]
    for instance in instances:
        if type(instance) in walker.failed:
            continue
        try:
            instance.finish()
        except Exception as exc:  # reported below like a failure during the walk
            walker.failed[type(instance)] = exc
    for rule, exc in walker.failed.items():
        errors.append(
            ToolError("reviewer", f"rule {rule.CODE} crashed: {type(exc).__name__}: {exc}", unit.path)
        )
    findings = [
        to_finding(report, context)
        for report in context.reports
        if report.rule not in walker.failed and (verdicts or not report.cleared)
    ]
    if verdicts:
        findings += [_examined(rule, unit) for rule in active if rule.SUPERSEDES and rule not in walker.failed]
        findings += [_depends_on(path, unit) for path in sorted(context.dependencies)]
    return [*findings, *markers], errors


def _project_findings(rule: type[ProjectRule], unit: SourceUnit, config: Config,
                      errors: list[ToolError]) -> list[Finding]:
    try:
        return rule.check(ProjectRun((unit,), config)).get(unit.path, [])
    except Exception as exc:  # a rule bug costs only this rule on this unit
        errors.append(ToolError("reviewer", f"rule {rule.CODE} crashed: {type(exc).__name__}: {exc}", unit.path))
        return []


def _depends_on(path: str, unit: SourceUnit) -> Finding:
    return Finding(code="RV000", name=DEPENDS_ON, message=path, location=Location(unit.path, 1),
                   severity=Severity.NOTE, confidence=Confidence.LOW)


def _examined(rule: type[Rule], unit: SourceUnit) -> Finding:
    return Finding(code=rule.CODE, name=EXAMINED, message="examined", location=Location(unit.path, 1),
                   severity=Severity.NOTE, confidence=Confidence.LOW)


def applies(rule: type[Rule], unit: SourceUnit) -> bool:
    if rule.NOTEBOOK_ONLY and not unit.is_notebook:
        return False
    return not rule.TRIGGERS or any(trigger in unit.text for trigger in rule.TRIGGERS)


def parse(unit: SourceUnit) -> tuple[cst.Module | None, SourceUnit, list[ToolError]]:
    """Parse the unit; for notebooks, blank out cells with syntax errors and parse the rest."""
    try:
        return parse_module(unit.text), unit, []
    except TooComplex as exc:
        if unit.cell_map is not None:
            return _parse_cells(unit)
        return None, unit, [ToolError("reviewer", f"cannot review: {exc.message}", unit.path, exc.line)]
    except cst.ParserSyntaxError as exc:
        if unit.cell_map is not None:
            return _parse_cells(unit)
        verdict = _cpython_syntax_error(unit.text)
        if verdict is None:
            # libcst's parser has limits CPython lacks (e.g. ~4,000 implicitly concatenated
            # strings); say so instead of calling valid code a syntax error.
            message = f"libcst cannot parse this valid file ({exc.message}); engine rules skipped"
            return None, unit, [ToolError("reviewer", message, unit.path, exc.raw_line)]
        return None, unit, [ToolError("reviewer", f"syntax error: {verdict[0]}", unit.path, verdict[1])]
    except RecursionError:
        return None, unit, [ToolError("reviewer", "too deeply nested to parse", unit.path)]


def _parse_cells(unit: SourceUnit) -> tuple[cst.Module | None, SourceUnit, list[ToolError]]:
    """IPython runs each cell on its own, so each must parse alone: blank the ones that don't,
    report each at its own line, and review the rest."""
    assert unit.cell_map is not None
    errors: list[ToolError] = []
    lines = split_lines(unit.text)
    for span in unit.cell_map.spans:
        cell_text = "\n".join(lines[span.first_line - 1 : span.first_line - 1 + span.line_count])
        try:
            parse_module(cell_text + "\n")
        except TooComplex as exc:
            errors.append(ToolError("reviewer", f"cannot review this cell: {exc.message}", unit.path, exc.line,
                                    span.index))
            unit = blank_cell(unit, span.index)
        except cst.ParserSyntaxError as exc:
            message, line = _cpython_syntax_error(cell_text) or (exc.message, exc.raw_line)
            errors.append(ToolError("reviewer", f"syntax error: {message}", unit.path, line, span.index))
            unit = blank_cell(unit, span.index)
    try:
        return parse_module(unit.text), unit, errors
    except (cst.ParserSyntaxError, RecursionError, TooComplex) as exc:
        message = getattr(exc, "message", "too deeply nested to parse")
        return None, unit, [*errors, ToolError("reviewer", f"cannot parse the notebook: {message}", unit.path)]


def _cpython_syntax_error(text: str) -> tuple[str, int] | None:
    """CPython's own verdict (parsing only: nothing is executed): None if it accepts the text,
    else its message and line, which are clearer than libcst's ("expected ':'")."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return exc.msg, exc.lineno or 1
    except (ValueError, RecursionError, MemoryError) as exc:
        return str(exc) or type(exc).__name__, 1
    return None


def blank_cell(unit: SourceUnit, cell: int) -> SourceUnit:
    """The same unit with one cell's lines emptied (line numbers unchanged)."""
    span = unit.cell_map.cell_of(cell) if unit.cell_map else None
    if span is None:
        return unit
    lines = split_lines(unit.text)
    for index in range(span.first_line - 1, span.first_line - 1 + span.line_count):
        lines[index] = ""
    text = "".join(line + "\n" for line in lines)
    return replace(unit, text=text, skipped_cells=(*unit.skipped_cells, cell))


def to_finding(report: Report, context: RuleContext) -> Finding:
    rule = report.rule
    if report.line is not None:
        line, col, end_line = report.line, 0, report.line
        end_col = report.end_column
        if end_col is None:
            end_col = len(context.unit.line_text(report.line))
    else:
        line, col, end_line, end_col = context.span(report.node, report.path)
    location = context.unit.location(line, col + 1, end_line, end_col + 1)
    fix = None
    if report.fix is not None:
        edits = _fix_edits(report.fix, location, context, (*report.path, report.node) if report.path else None)
        applicability = report.fix.applicability
        if edits is None:  # an edit outside the finding's cell: the fix stays advice
            edits, applicability = (), Applicability.DISPLAY
        fix = Fix(report.fix.description, edits, applicability)
    return Finding(
        code=rule.CODE,
        name=CLEARED_SINK if report.cleared else rule.NAME,
        message=report.message,
        location=location,
        source=Source.REVIEWER,
        category=rule.CATEGORY,
        severity=Severity.NOTE if report.cleared else report.severity or rule.SEVERITY,
        confidence=Confidence.LOW if report.cleared else rule.CONFIDENCE,
        cwe=tuple(rule.CWE),
        fix=fix,
        sources=(Source.REVIEWER,),
    )


def _fix_edits(autofix: Autofix, location: Location, context: RuleContext,
               path: tuple[cst.CSTNode, ...] | None) -> tuple[Edit, ...] | None:
    """The autofix as edits in the finding's coordinates; None when an edit falls in another cell."""
    edits: list[Edit] = []
    if autofix.replacement is not None:
        replacement = autofix.replacement
        content = replacement if isinstance(replacement, str) else context.module.code_for_node(replacement)
        edits.append(_edit(location, content))
    for node, content in autofix.also:
        # The edited node is usually inside the reported one: its statement alone is generated.
        line, col, end_line, end_col = context.span(node, path)
        where = context.unit.location(line, col + 1, end_line, end_col + 1)
        if where.cell != location.cell or where.end_line is None or where.end_line < where.line:
            return None
        edits.append(_edit(where, content))
    insertions = [(line, 0, content) for line, content in autofix.lines] + list(autofix.inserts)
    for line, column, content in insertions:
        where = context.unit.location(line, column + 1, line, column + 1)
        if where.cell != location.cell:
            return None
        edits.append(Edit(where.line, column + 1, where.line, column + 1, content))
    return tuple(edits)


def _edit(location: Location, content: str) -> Edit:
    return Edit(
        location.line,
        location.column,
        location.end_line or location.line,
        location.end_column or location.column,
        content,
    )
