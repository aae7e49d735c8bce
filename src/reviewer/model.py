"""The shared vocabulary: Finding, Location, Fix, Edit, Report, ToolError and their enums.

Every analyzer produces these, every reporter consumes them; JSON (`to_dict`/`from_dict`) is the
one contract between the engine and all surfaces (CLI, Jupyter, PR bot).
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field, fields, replace
from typing import Any

SCHEMA_VERSION = 1


class Severity(enum.Enum):
    """How bad a finding is; the values are SARIF result levels."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for sorting and `--fail-on`."""
        return {"note": 1, "warning": 2, "error": 3}[self.value]


class Confidence(enum.Enum):
    """How sure the analyzer is that the finding is real."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"low": 1, "medium": 2, "high": 3}[self.value]


class Category(enum.Enum):
    SECURITY = "security"
    CORRECTNESS = "correctness"
    MAINTAINABILITY = "maintainability"
    AI_HYGIENE = "ai-hygiene"
    NOTEBOOK = "notebook"


class Source(enum.Enum):
    """Which analyzer produced a finding."""

    REVIEWER = "reviewer"
    RUFF = "ruff"
    BANDIT = "bandit"
    LLM = "llm"


class Applicability(enum.Enum):
    """Whether a fix may be applied without review (the ruff vocabulary)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY = "display"


@dataclass(frozen=True, slots=True)
class Location:
    path: str  #: file path as given on the command line (posix separators)
    line: int  #: 1-based; relative to the cell when `cell` is set
    column: int = 1  #: 1-based
    end_line: int | None = None  #: 1-based, inclusive
    end_column: int | None = None  #: 1-based, exclusive
    cell: int | None = None  #: 0-based index into the notebook's `cells` (all cell types)
    cell_id: str | None = None  #: nbformat cell id when the notebook has one


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two positions (same coordinates as Location) with `content`."""

    line: int  #: 1-based
    column: int  #: 1-based
    end_line: int  #: 1-based, inclusive
    end_column: int  #: 1-based, exclusive
    content: str  #: replacement text


@dataclass(frozen=True, slots=True)
class Fix:
    description: str  #: imperative, e.g. "Use yaml.safe_load"
    edits: tuple[Edit, ...] = ()  #: empty for advice-only fixes
    applicability: Applicability = Applicability.DISPLAY


#: `Finding.name` of a verdict rather than a finding: the rule (its code) examined this place and
#: judged it safe (a taint rule followed the data into this sink and no untrusted data reaches
#: it; a pattern rule's conditions proved the match harmless). The pipeline supersedes the
#: related findings of other analyzers on that line, then drops the verdict.
CLEARED_SINK = "cleared-sink"
#: `Finding.name` of a marker rather than a finding: the rule (its code) examined the whole unit,
#: so the tool codes it supersedes (`Rule.SUPERSEDES`) are dropped wherever it did not report.
EXAMINED = "examined-unit"
#: `Finding.name` of a marker rather than a finding: the unit's findings depend on another file of
#: the project (its message: that file's path), whose functions' summaries the analysis used. The
#: pipeline stores the file's digest with the cached result and drops the marker.
DEPENDS_ON = "depends-on"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  #: stable rule code: RV101, AI201, or the tool's own (S506, B506)
    name: str  #: kebab-case rule name, e.g. hardcoded-api-key
    message: str  #: one sentence about this occurrence
    location: Location
    source: Source = Source.REVIEWER
    category: Category = Category.CORRECTNESS
    severity: Severity = Severity.WARNING
    confidence: Confidence = Confidence.HIGH
    cwe: tuple[int, ...] = ()  #: most specific CWE first
    url: str | None = None  #: rule documentation
    fix: Fix | None = None
    evidence: str | None = None  #: the quoted source line (LLM findings)
    fingerprint: str = ""  #: stable identity; see reviewer.fingerprint
    also: tuple[str, ...] = ()  #: codes of duplicates merged into this one, e.g. ("B506", "S506")
    sources: tuple[Source, ...] = ()  #: every analyzer that reported it (merged duplicates)
    triage: str | None = None  #: LLM triage of a static finding: "likely-true" | "likely-false"
    triage_reason: str | None = None  #: the model's one-sentence explanation of `triage`
    #: Code of our rule that examined this place and contradicts this (tool) finding: such a
    #: finding is left out of `Report.findings` and listed in `Report.superseded`.
    superseded_by: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.path, loc.cell if loc.cell is not None else -1, loc.line, loc.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return _to_json(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return _from_json(cls, data)


@dataclass(frozen=True, slots=True)
class ToolError:
    """A problem that kept part of the review from running; never silent, always exit code 2."""

    tool: str  #: reviewer | ruff | bandit | llm | config | sources
    message: str
    path: str | None = None
    line: int | None = None
    cell: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _to_json(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ToolError:
        return _from_json(cls, data)


@dataclass(frozen=True, slots=True)
class Report:
    findings: tuple[Finding, ...] = ()
    errors: tuple[ToolError, ...] = ()
    files: tuple[str, ...] = ()  #: every path reviewed (or attempted)
    suppressed: int = 0  #: hidden by `# noqa` comments
    baselined: int = 0  #: hidden by the baseline file
    out_of_scope: int = 0  #: hidden by --diff (present before the change)
    tools: dict[str, str] = field(default_factory=dict)  #: analyzer name -> version
    notes: tuple[str, ...] = ()  #: one-line remarks for the reader (e.g. LLM disabled)
    #: LLM critique usage when it ran: model, requests, tokens_in, tokens_out, cache_hits, cost,
    #: findings, dropped (reason -> count), rejected, skipped (chunks not sent: budget, errors)
    llm: dict[str, Any] = field(default_factory=dict)
    #: Tool findings one of our rules contradicts (see `Finding.superseded_by`): not reported,
    #: counted, and listed with `--show-superseded`.
    superseded: tuple[Finding, ...] = ()

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        data = _to_json(self)
        data["schema_version"] = SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        data = {k: v for k, v in data.items() if k != "schema_version"}
        return _from_json(cls, data)

    def with_findings(self, findings: list[Finding] | tuple[Finding, ...]) -> Report:
        return replace(self, findings=tuple(findings))


# --- JSON conversion -------------------------------------------------------------------------
# Written once for all dataclasses above: enums become their values, tuples become lists,
# nested dataclasses become dicts. `from_dict` rejects unknown keys so contract drift is loud.

_NESTED: dict[tuple[str, str], type] = {
    ("Finding", "location"): Location,
    ("Finding", "fix"): Fix,
    ("Fix", "edits"): Edit,
    ("Report", "findings"): Finding,
    ("Report", "errors"): ToolError,
    ("Report", "superseded"): Finding,
}
_ENUMS: dict[tuple[str, str], type[enum.Enum]] = {
    ("Finding", "source"): Source,
    ("Finding", "category"): Category,
    ("Finding", "severity"): Severity,
    ("Finding", "confidence"): Confidence,
    ("Finding", "sources"): Source,
    ("Fix", "applicability"): Applicability,
}


_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    # dataclasses.fields() rebuilds its tuple on every call; reports hold thousands of findings.
    return tuple(f.name for f in fields(cls))


def _to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):  # first: some enums are also str
        return value.value
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (tuple, list)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _to_json(getattr(value, name)) for name in _field_names(type(value))}
    return value


def _from_json(cls: type, data: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    unknown = set(data).difference(_field_names(cls))
    if unknown:
        raise ValueError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
    kwargs: dict[str, Any] = {}
    for name, raw in data.items():
        key = (cls.__name__, name)
        if raw is None:
            kwargs[name] = None
        elif key in _NESTED:
            sub = _NESTED[key]
            kwargs[name] = (
                tuple(_from_json(sub, item) for item in raw)
                if isinstance(raw, list)
                else _from_json(sub, raw)
            )
        elif key in _ENUMS:
            enum_cls = _ENUMS[key]
            kwargs[name] = (
                tuple(enum_cls(item) for item in raw) if isinstance(raw, list) else enum_cls(raw)
            )
        elif isinstance(raw, list):
            kwargs[name] = tuple(raw)
        else:
            kwargs[name] = raw
    return cls(**kwargs)
