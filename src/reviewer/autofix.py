"""`reviewer fix` without the files: review, apply the fixes the policy allows, review the changed
code again, until nothing changes. Every state is kept in memory; the caller writes the result."""

from __future__ import annotations

import codecs
import io
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.config import Config
from reviewer.fixes import FixPolicy, OverlappingEdits, apply_edits, compatible, parses
from reviewer.model import Finding, Report, ToolError
from reviewer.pipeline import Progress, apply_baseline, load, review_units
from reviewer.sources import SourceUnit
from reviewer.sources.loading import load_text
from reviewer.sources.notebook_write import NotebookFormatError, cell_sources, replace_sources
from reviewer.sources.unit import LoadError

#: Passes of review-and-fix before giving up on reaching a fixed point (Ruff uses 100; fixes here
#: rarely enable each other more than twice).
MAX_PASSES = 10


@dataclass(frozen=True)
class Applied:
    """One fix that was applied (or dropped): where, which rule, what it did."""

    path: str
    line: int
    cell: int | None
    code: str
    description: str


@dataclass
class _File:
    """One reviewed file while it is being fixed."""

    path: str
    original: str  #: the text read (a notebook's JSON)
    text: str  #: the text with the fixes so far
    unit: SourceUnit
    encoding: str = "utf-8"
    bom: bool = False
    history: set[str] = field(default_factory=set)


@dataclass
class FixOutcome:
    report: Report  #: what remains after the fixes
    applied: list[Applied] = field(default_factory=list)
    #: Fixes left out because the code would no longer parse, or the file could not take them.
    dropped: list[tuple[Applied, str]] = field(default_factory=list)
    files: dict[str, _File] = field(default_factory=dict)
    #: Fingerprints of findings whose fix was dropped: not tried again in later passes.
    refused: set[str] = field(default_factory=set)

    def changed(self) -> list[_File]:
        return [f for f in self.files.values() if f.text != f.original]

    def encoded(self, item: _File) -> bytes:
        """The new text in the file's own encoding (and byte-order mark)."""
        data = item.text.encode(item.encoding)
        return codecs.BOM_UTF8 + data if item.bom else data


def _read(unit: SourceUnit) -> _File | None:
    """The file behind a unit as text, or None when it is not a file (stdin)."""
    path = Path(unit.path)
    if not unit.path or unit.path.startswith("<") or not path.is_file():
        return None
    data = path.read_bytes()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig" if encoding == "utf-8-sig" else encoding)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    try:
        if load_text(text, unit.path).text != unit.text:
            return None  # the file changed since it was reviewed: its fixes would not fit
    except LoadError:
        return None
    return _File(unit.path, text, text, unit, encoding, bom, {text})


def fix(paths: Iterable[str], config: Config, policy: FixPolicy, *,
        progress: Progress | None = None) -> FixOutcome:
    """Fix `paths` in memory: the outcome holds each file's new text and the remaining findings."""
    loaded = load(list(paths), config)
    errors = list(loaded.errors)
    units = {unit.path: unit for unit in loaded.units}
    files: dict[str, _File] = {}
    for unit in loaded.units:
        item = _read(unit) if parses(unit.text) else None  # a broken file stays byte-identical
        if item is not None:
            files[unit.path] = item
    outcome = FixOutcome(Report(), files=files)
    for _ in range(MAX_PASSES):
        report = _review(list(units.values()), config, errors, loaded.files, progress)
        changed = False
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            if (policy.allows(finding) and finding.location.path in files
                    and finding.fingerprint not in outcome.refused):
                by_path[finding.location.path].append(finding)
        for path, findings in by_path.items():
            if _fix_file(files[path], findings, outcome):
                units[path] = files[path].unit
                changed = True
        outcome.report = report
        if not changed:
            return outcome
        progress = None  # the first pass showed the progress; later ones review few files
    outcome.report = _review(list(units.values()), config, errors, loaded.files, None)
    return outcome


def _review(units: list[SourceUnit], config: Config, errors: list[ToolError], names: list[str],
            progress: Progress | None) -> Report:
    return apply_baseline(review_units(units, config, errors=errors, files=names, progress=progress), config)


def _drop(outcome: FixOutcome, finding: Finding, reason: str) -> None:
    outcome.refused.add(finding.fingerprint)
    outcome.dropped.append((_record(finding), reason))


def _record(finding: Finding) -> Applied:
    loc = finding.location
    return Applied(loc.path, loc.line, loc.cell, finding.code, finding.fix.description if finding.fix else "")


def _fix_file(item: _File, findings: list[Finding], outcome: FixOutcome) -> bool:
    """Apply what fits of `findings`' fixes to `item`; whether its text changed."""
    if item.unit.is_notebook:
        groups = _notebook_groups(item, findings, outcome)
    else:
        groups = {None: compatible(findings)}
    chosen = [f for group in groups.values() for f in group]
    text, refused = _apply(item, groups)
    if text is not None and refused is None and not _still_parses(item, text):
        # Find the fixes that break the code on their own; apply the rest (or, when only their
        # combination breaks it, the first one) and try the others in the next pass.
        breaking = [f for f in chosen if not _still_parses(item, _apply(item, _keep(groups, [f]))[0])]
        for finding in breaking:
            _drop(outcome, finding, "the fixed code would not parse")
        kept = [f for f in chosen if f not in breaking]
        text, refused = _apply(item, _keep(groups, kept))
        if text is not None and not _still_parses(item, text):
            text, refused = _apply(item, _keep(groups, kept[:1]))
        chosen = kept if _still_parses(item, text) else []
    if refused is not None:
        for finding in chosen:
            _drop(outcome, finding, refused)
        return False
    if text is None or text == item.text or not chosen:
        return False
    if text in item.history:
        for finding in chosen:
            _drop(outcome, finding, "its fixes undo each other")
        return False
    try:
        unit = load_text(text, item.path, on_disk=False)
    except LoadError as exc:
        for finding in chosen:
            _drop(outcome, finding, exc.message)
        return False
    item.text, item.unit = text, unit
    item.history.add(text)
    outcome.applied.extend(_record(f) for f in chosen)
    return True


def _keep(groups: dict[int | None, list[Finding]], kept: list[Finding]) -> dict[int | None, list[Finding]]:
    return {cell: [f for f in group if f in kept] for cell, group in groups.items()}


def _still_parses(item: _File, text: str | None) -> bool:
    """Whether the fixed text still parses (only files that parse are fixed)."""
    if text is None:
        return False
    if item.unit.is_notebook:
        try:
            unit = load_text(text, item.path, on_disk=False)
        except LoadError:
            return False
        return parses(unit.text)
    return parses(text)


def _apply(item: _File, groups: dict[int | None, list[Finding]]) -> tuple[str | None, str | None]:
    """(new text, None), or (None, why the file cannot take the fixes)."""
    try:
        if not item.unit.is_notebook:
            return apply_edits(item.text, (e for f in groups.get(None, ()) for e in f.fix.edits)), None
        sources = cell_sources(item.text)
        new = {
            cell: apply_edits(sources[cell], (e for f in group for e in f.fix.edits))
            for cell, group in groups.items() if group and cell in sources
        }
        return replace_sources(item.text, new), None
    except NotebookFormatError as exc:
        return None, f"the notebook was left unchanged: {exc}"
    except (OverlappingEdits, IndexError, KeyError, ValueError) as exc:
        return None, f"the fix does not apply to the file ({exc})"


def _notebook_groups(item: _File, findings: list[Finding], outcome: FixOutcome) -> dict[int | None, list[Finding]]:
    """Fixes by cell; a fix that touches a masked magic line or a skipped cell is left out (the
    line the fix was computed on is not the line in the cell)."""
    cell_map = item.unit.cell_map
    assert cell_map is not None
    by_cell: dict[int | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        cell = finding.location.cell
        span = cell_map.cell_of(cell) if cell is not None else None
        if span is None or cell in item.unit.skipped_cells:
            continue
        magic_lines = {line for line, _ in span.magics}
        edits = finding.fix.edits if finding.fix else ()
        if any(line in magic_lines for e in edits for line in range(e.line, e.end_line + 1)):
            _drop(outcome, finding, "it would change a line with a magic")
            continue
        by_cell[cell].append(finding)
    return {cell: compatible(group) for cell, group in by_cell.items()}
