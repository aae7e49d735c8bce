"""RV210 duplicate-code: a run of statements pasted from elsewhere with names and literals changed.

A whole-project rule: copies across files need every file of the run, so the pipeline calls
`check` once on all the units reviewed (copies within each file and across files, one pass).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import ClassVar

from reviewer.config import Config
from reviewer.engine import Invalid, ProjectRule, ProjectRun, Valid
from reviewer.analysis.duplication import Copy, Lines, Settings, find_copies, logical_lines, span
from reviewer.model import Category, Confidence, Finding, Severity, Source
from reviewer.sources import SourceUnit
from reviewer.sources.unit import is_generated

_BODY = (
    "    response = session.get(f'{BASE}/users/{user_id}', timeout=10)\n"
    "    if response.status_code == 404:\n"
    "        logger.warning('user %s not found', user_id)\n"
    "        return None\n"
    "    response.raise_for_status()\n"
    "    data = response.json()\n"
    "    record = {'id': data['id'], 'name': data['name'], 'email': data.get('email')}\n"
    "    cache[user_id] = record\n"
    "    logger.info('loaded user %s', user_id)\n"
    "    return record\n"
)


#: Directories of files that stand alone (each an example, a demo, a script, a tutorial).
_ALONE_DIRS = frozenset({"examples", "example", "docs", "doc", "docs_src", "demo", "demos", "scripts",
                         "script", "tutorials", "tutorial", "samples", "notebooks", "benchmarks", "bin",
                         "tests", "test"})
_EMPTY = Lines([], [], [], [], [], [])


def stands_alone(unit: SourceUnit) -> bool:
    """A notebook, or a file of an examples/docs/scripts folder: independent pieces, not one
    codebase, so code repeated across them is not copy-paste to refactor."""
    if unit.is_notebook:
        return True
    return any(part in _ALONE_DIRS for part in PurePosixPath(unit.path.replace("\\", "/")).parts[:-1])


def settings(config: Config) -> Settings:
    thresholds = config.thresholds
    return Settings(thresholds.min_duplicate_statements, thresholds.min_duplicate_tokens)


def unit_lines(unit: SourceUnit) -> Lines:
    cells = unit.cell_map.spans if unit.cell_map is not None else ()
    return logical_lines(unit.text, [span.first_line for span in cells])


class DuplicateCode(ProjectRule):
    """Block of code duplicated from elsewhere in the file or the project.

    ## What it does
    Flags a run of at least 8 statements (`min-duplicate-statements` in
    `[tool.reviewer.thresholds]`) and 50 tokens (`min-duplicate-tokens`) that repeats code seen
    earlier in the same file or in another reviewed file, identical once comments, names and
    literals are set aside: a function body pasted and edited, the same block in two branches, a
    helper copied between modules. A copy stays inside the block it starts in and never spans
    two notebook cells. Runs that are merely repetitive (a list of similar assignments) and
    look-alikes that share less than half of their identifiers are not reported, nor runs of
    short functions (at most 7 lines each, such as a registry of `@register_model` entry points
    that differ in the names and numbers they pass on).

    Each copy is reported once, at its later occurrence, naming the first (`line 12`, `cell 3,
    line 2`, after the file's path when it is in another file); with three copies, the second
    and third each name the
    first. The check runs as one pass over all the files of a scan, after the per-file rules, so
    copies across files depend on what was scanned together (`reviewer scan src/`, or only the
    changed files with `--diff`). Its result is cached for an unchanged set of files. Not
    reported: copies across notebooks or across files of `examples/`, `docs/`, `scripts/`,
    `tutorials/` or `tests/` folders (each stands alone: a test module sets up what it tests;
    copies within one file are reported, pasted setup is worth a fixture), files whose header
    says they are generated, and runs made mostly of definitions (`@overload` stubs, one-line
    methods).

    ## Why is this bad?
    Assistants solve each request from scratch, so the same logic lands in several places with
    small edits. A bug fixed in one copy stays in the others, and readers have to diff the copies
    to find what actually differs. Extract the shared code into one function with parameters
    for what varies.
    """

    CODE = "RV210"
    NAME = "duplicate-code"
    CATEGORY = Category.MAINTAINABILITY
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Block of code duplicated from elsewhere; extract a shared function"

    VALID: ClassVar[list[Valid]] = [
        Valid(f"def get_user(session, user_id):\n{_BODY}\n\ndef count(items):\n    return len(items)\n"),
        Valid(
            "def setup(app):\n" + "".join(f"    app.route('/{n}', handler_{n})\n" for n in range(12))
        ),
        Valid(
            "def area(shape):\n    if shape.kind == 'circle':\n        return 3.14 * shape.r ** 2\n"
            "    return shape.w * shape.h\n\n\ndef perimeter(shape):\n    if shape.kind == 'circle':\n"
            "        return 2 * 3.14 * shape.r\n    return 2 * (shape.w + shape.h)\n"
        ),
        Valid(cells=(f"def get_user(session, user_id):\n{_BODY}", "print('cell two')\n")),
        Valid("# Code generated by protoc. DO NOT EDIT.\n"
              f"def get_user(session, user_id):\n{_BODY}\n\ndef get_admin(session, admin_id):\n"
              f"{_BODY.replace('user', 'admin')}"),
        Valid("class Api:\n" + "".join(
            f"    @overload\n    def get(self, key: {t}, default: None = None) -> {t} | None: ...\n"
            for t in ("int", "str", "bytes", "float", "bool", "list", "dict", "tuple"))),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            f"def get_user(session, user_id):\n{_BODY}\n\n"
            f"def get_admin(session, admin_id):\n{_BODY.replace('user', 'admin')}",
            line=14,
        ),
        Invalid(
            cells=(f"def load(session, user_id):\n{_BODY}", "x = 1\n",
                   f"def load_again(session, user_id):\n{_BODY}"),
            cell=2,
            line=1,
        ),
    ]

    @classmethod
    def check(cls, run: ProjectRun) -> dict[str, list[Finding]]:
        return duplicate_findings(run.units, run.config)


def _place(unit: SourceUnit, line: int, *, same_file: bool) -> str:
    """One way to name a place: `line 12` / `cell 3, line 2`, prefixed with the file's path when
    it is another file (`lib/a.py, line 12`, `nb.ipynb, cell 3, line 2`)."""
    location = unit.location(line)
    where = f"line {line}" if location.cell is None else f"cell {location.cell + 1}, line {location.line}"
    return where if same_file else f"{unit.path}, {where}"


def _message(copy: Copy, where: str, lines: int) -> str:
    return (
        f"These {copy.length} statements ({lines} lines) duplicate the code at {where}, up to "
        "names and literals; extract a shared function for both"
    )


def duplicate_findings(units: Sequence[SourceUnit], config: Config) -> dict[str, list[Finding]]:
    """RV210 findings for a whole run, by unit path: copies within each unit and copies of code
    in another unit, in one scan (a copy's start found earlier in its own file counts as a copy
    within the file, as when the rule analyzes the file alone). Units are taken in path order:
    the later copy is reported, naming the first."""
    ordered = sorted(units, key=lambda unit: unit.path)
    files = [_EMPTY if is_generated(unit.text) else unit_lines(unit) for unit in ordered]
    alone = [stands_alone(unit) for unit in ordered]
    found: dict[str, list[Finding]] = {}
    for copy in find_copies(files, settings(config)):
        if copy.index != copy.other and (alone[copy.index] or alone[copy.other]):
            continue  # two notebooks or examples each meant to be read on its own
        unit, other = ordered[copy.index], ordered[copy.other]
        first, last = span(files[copy.index], copy.start, copy.length)
        other_first = span(files[copy.other], copy.other_start, copy.length)[0]
        where = _place(other, other_first, same_file=copy.index == copy.other)
        found.setdefault(unit.path, []).append(_finding(unit, first, _message(copy, where, last - first + 1)))
    return found


def _finding(unit: SourceUnit, line: int, message: str) -> Finding:
    """Like the engine's finding for `report_line`: the whole line, cell-relative in notebooks."""
    return Finding(
        code=DuplicateCode.CODE,
        name=DuplicateCode.NAME,
        message=message,
        location=unit.location(line, 1, line, len(unit.line_text(line)) + 1),
        source=Source.REVIEWER,
        category=DuplicateCode.CATEGORY,
        severity=DuplicateCode.SEVERITY,
        confidence=DuplicateCode.CONFIDENCE,
        sources=(Source.REVIEWER,),
    )
