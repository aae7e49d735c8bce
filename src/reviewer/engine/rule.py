"""The Rule base class (Fixit-like) and the examples every rule carries as its own tests.

A rule is a class with metadata attributes, `visit_<Node>`/`leave_<Node>` methods and
`self.report(node, message=None, fix=None)`. VALID and INVALID examples document it and are run by
one parametrized test.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.config import Config
from reviewer.model import Applicability, Category, Confidence, Finding, Severity
from reviewer.sources import SourceUnit

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext


@dataclass(frozen=True)
class Valid:
    """Code the rule must not flag. `cells` makes it a notebook (one string per code cell)."""

    code: str = ""
    cells: tuple[str, ...] = ()
    #: Optional saved outputs per code cell (nbformat output dicts), for notebook rules.
    outputs: tuple[tuple[dict[str, object], ...], ...] = ()
    #: Optional execution count per code cell (None: never run).
    execution_counts: tuple[int | None, ...] = ()
    #: With `files`, the example is reviewed as the file `path` of a project on disk made of
    #: `files` ((relative path, text) pairs): for rules that read the project around a file.
    path: str = "example.py"
    files: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag. `line` (1-based; cell-relative with `cells`) and `cell` (0-based
    index) pin where; `fixed` is the whole code after applying the rule's fix."""

    code: str = ""
    line: int | None = None
    cell: int | None = None
    cells: tuple[str, ...] = ()
    fixed: str | None = None
    outputs: tuple[tuple[dict[str, object], ...], ...] = ()  #: as in `Valid`
    execution_counts: tuple[int | None, ...] = ()  #: as in `Valid`
    path: str = "example.py"  #: as in `Valid`
    files: tuple[tuple[str, str], ...] = ()  #: as in `Valid`


@dataclass(frozen=True)
class Autofix:
    """A fix proposed by a rule: replace the reported node with `replacement` (a node or code),
    replace other nodes (`also`: (node, code) pairs), insert whole lines (`lines`: (line of the
    unit before which to insert, text ending in a newline)) and insert text inside a line
    (`inserts`: (line, 0-based column, text)). With none of these it is advice only.
    In a notebook every edit must fall in the reported node's cell, or the fix is advice only."""

    description: str
    replacement: cst.CSTNode | str | None = None
    applicability: Applicability = Applicability.SAFE
    also: tuple[tuple[cst.CSTNode, str], ...] = ()
    lines: tuple[tuple[int, str], ...] = ()
    inserts: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """One report() call, resolved to a finding by the runner after the walk."""

    rule: type[Rule]
    node: cst.CSTNode
    message: str
    fix: Autofix | None
    #: Report a line of the unit's text instead of `node` (notebook cell facts), up to
    #: `end_column` (0-based, exclusive; default: the end of the line).
    line: int | None = None
    end_column: int | None = None
    #: A taint rule's verdict that no untrusted data reaches this sink (see model.CLEARED_SINK).
    cleared: bool = False
    #: The ancestors of `node` (or of the node being visited), root first, when known: they
    #: make its position cheap (see positions.Positions.span).
    path: tuple[cst.CSTNode, ...] | None = None
    #: A severity other than the rule's, for a lesser variant of its finding.
    severity: Severity | None = None


class Rule:
    CODE: ClassVar[str]
    NAME: ClassVar[str]
    CATEGORY: ClassVar[Category]
    SEVERITY: ClassVar[Severity] = Severity.WARNING
    CONFIDENCE: ClassVar[Confidence] = Confidence.HIGH
    CWE: ClassVar[tuple[int, ...]] = ()
    MESSAGE: ClassVar[str]
    #: Cheap text pre-filter: the rule runs only on units whose text contains one of these.
    TRIGGERS: ClassVar[tuple[str, ...]] = ()
    #: Codes of other analyzers that report the same thing (merged into this rule's finding).
    EQUIVALENT: ClassVar[tuple[str, ...]] = ()
    #: Tool codes for a concept this rule owns: on a unit the rule examined, such a finding on a
    #: line where the rule did not report is superseded (its pattern-only guess lost to ours).
    SUPERSEDES: ClassVar[tuple[str, ...]] = ()
    #: The rule is about deployed code (debug mode, cookie flags, bind addresses, secrets by
    #: name): test files (`tests/`, `test_*.py`, `conftest.py`) are not reviewed for it.
    NOT_IN_TESTS: ClassVar[bool] = False
    #: The rule only makes sense across notebook cells.
    NOTEBOOK_ONLY: ClassVar[bool] = False
    #: Which fixes `reviewer fix` can apply: "safe", "unsafe" (only with --unsafe-fixes), "safe,
    #: unsafe" (depends on the case), or "" (none, or advice only). Explained in the docstring's
    #: "## Fix safety" section.
    FIX: ClassVar[str] = ""
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def __init__(self, context: RuleContext) -> None:
        self.context = context

    def report(self, node: cst.CSTNode, message: str | None = None, fix: Autofix | None = None) -> None:
        self.context.add_report(Report(type(self), node, message or self.MESSAGE, fix))

    def report_note(self, node: cst.CSTNode, message: str, severity: Severity = Severity.NOTE) -> None:
        """Report a lesser variant of the rule's finding, at a lower severity than SEVERITY."""
        self.context.add_report(Report(type(self), node, message, None, severity=severity))

    def report_line(self, line: int, message: str | None = None, length: int | None = None) -> None:
        """Report a line of the unit's text (1-based, virtual module line) rather than a node:
        for findings about a notebook cell's outputs, metadata or masked magics, not its code.
        `length` is the line's length when the text differs from the cell (a masked magic)."""
        module = self.context.module
        report = Report(type(self), module, message or self.MESSAGE, None, line, length)
        self.context.add_report(report)

    def clear(self, node: cst.CSTNode, reason: str) -> None:
        """Record that this rule examined `node` and judged it safe: a verdict (model.CLEARED_SINK)
        that turns equivalent pattern-only tool findings on the line into low-confidence notes."""
        self.context.add_report(Report(type(self), node, reason, None, cleared=True))

    def finish(self) -> None:
        """Called once after the walk; rules that collect before deciding report here."""

    # --- documentation, generated from the class (never written twice) ---
    @classmethod
    def docs(cls) -> str:
        """The rule's documentation; every rule says how safely it fixes (most do not fix)."""
        text = cls.own_docs()
        if not cls.FIX and "## Fix safety" not in text:
            text += "\n\n## Fix safety\nNo automatic fix: the message says what to change."
        return text

    @classmethod
    def own_docs(cls) -> str:
        """The documentation as the rule's author wrote it."""
        return textwrap.dedent(inspect.getdoc(cls) or "").strip()

    @classmethod
    def summary(cls) -> str:
        return cls.docs().split("\n\n", 1)[0].replace("\n", " ")


def dedent(code: str) -> str:
    """Examples are written indented inside the class; parse them flush-left."""
    return textwrap.dedent(code).lstrip("\n")


@dataclass(frozen=True)
class ProjectRun:
    """What a whole-project rule sees: every unit of the run, the paths as given (which may name
    dependency files that are not units), and the configuration."""

    units: Sequence[SourceUnit]
    config: Config
    paths: tuple[str, ...] = ()


class ProjectRule(Rule):
    """A rule over a whole run rather than one file (copies across files, dependency files).

    The pipeline calls `check` once per run with every unit, beside the per-file engine; the
    engine's `analyze()` of one unit calls it with just that unit (so examples and editors work
    the same way). Selected, documented, cached and tested like any other rule.
    """

    @classmethod
    def check(cls, run: ProjectRun) -> dict[str, list[Finding]]:
        """Findings by path. Findings of a unit are finished by the pipeline like per-file ones
        (select, supersede, merge, `# noqa`, fingerprints); findings on a file that is not a
        unit (a requirements.txt) must come complete, fingerprint included."""
        raise NotImplementedError
