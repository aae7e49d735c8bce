"""Ruff adapter: run the real `ruff check` on the staged files and normalize its JSON to Finding.

Ruff is multi-threaded, so one process per command line (~100 KB of paths) is all it needs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from typing import Any

from reviewer.config import DEFAULT_RUFF_SELECT, Config
from reviewer.model import (
    Applicability,
    Category,
    Confidence,
    Edit,
    Finding,
    Fix,
    Location,
    Severity,
    Source,
    ToolError,
)
from reviewer.analysis.tests_detection import is_test_path
from reviewer.sources import SourceUnit
from reviewer.tools.process import TIMED_OUT, ToolProcess, chunks
from reviewer.tools.refine import refine
from reviewer.tools.staging import Stage, ToolJob

_RULE_CODE = re.compile(r"[A-Z]+[0-9]+")  # ruff 0.17 reports syntax errors as "invalid-syntax"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # Python's line ends (str.splitlines also splits on \f)
_FAILED = "warning: Failed to lint "
_IPYTHON_BUILTINS = ("display", "get_ipython", "__IPYTHON__")  # as in ruff's own .ipynb mode
_DEF = re.compile(r"(async\s+)?def\b")
_LINE_REFERENCE = re.compile(r"\bline (\d+)\b")  # "Redefinition of unused `x` from line 586"

_ERRORS = ("F821", "F822", "F823")  # plus every E9xx and PLExxxx, see _severity
_NOTES = ("F401", "F841")
_CWE = {
    **dict.fromkeys(("S105", "S106", "S107"), 798),
    **dict.fromkeys(("S301", "S302", "S403", "S506"), 502),
    **dict.fromkeys(("S602", "S604", "S605", "S607"), 78),
    **dict.fromkeys(("S307", "S102"), 95),
    **dict.fromkeys(("S314", "S315", "S316", "S317", "S318", "S319", "S320"), 611),
    "S608": 89, "S113": 400, "S501": 295, "S324": 328, "S311": 330, "S104": 605,
    "S108": 377, "S103": 732, "S201": 489, "S701": 79,
}


@functools.cache
def binary() -> str | None:
    """The ruff executable: the one shipped with the `ruff` package, else the one on PATH."""
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")


@functools.cache
def version() -> str | None:
    exe = binary()
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    words = done.stdout.split()
    return words[-1] if done.returncode == 0 and words else None


# Low-signal checks, mirroring bandit's default skips: assert (how tests and notebooks check
# things), imports of pickle, subprocess and XML parsers (the calls are what matter, and our
# rules judge those), subprocess without a shell, partial executable paths; a bare `raise` in a
# helper called from `except` blocks (PLE0704) and `__all__` built from other lists (PLE0605).
DEFAULT_IGNORE = ("S101", "S403", "S404", "S405", "S406", "S407", "S408", "S409", "S410", "S411",
                  "S603", "S607", "PLE0704", "PLE0605")


def command(exe: str, config: Config) -> list[str]:
    """The ruff command line without the files."""
    settings = config.ruff
    ignore = list(settings.ignore)
    for code in DEFAULT_IGNORE:
        if code not in settings.select and code not in ignore:
            ignore.append(code)
    # --ignore-noqa: reviewer.suppression applies noqa comments itself, counts what they hide and
    # never lets a bare noqa hide a security finding; ruff would drop findings uncounted.
    cmd = [exe, "check", "--no-cache", "--isolated", "--exit-zero", "--ignore-noqa",
           "--output-format", "json", "--select", ",".join(settings.select or DEFAULT_RUFF_SELECT)]
    if ignore:
        cmd += ["--ignore", ",".join(ignore)]
    return [*cmd, *settings.args]


def can_report(config: Config) -> bool:
    """False when the review's select list rules out every code ruff is asked for: no need to run."""
    ours = config.ruff.select or DEFAULT_RUFF_SELECT
    if not config.select or config.ruff.args or "ALL" in ours:  # args may --extend-select
        return True
    return any(p.startswith(s) or s.startswith(p) for p in config.select for s in ours)


class RuffJob:
    def __init__(self, stage: Stage, runs: list[ToolProcess], error: ToolError | None) -> None:
        self._stage = stage
        self._runs = runs
        self._error = error
        self._cwd = os.getcwd()  # ruff prints paths in its warnings relative to its cwd
        self._lines: dict[str, list[str]] = {}
        self._strays: set[str] = set()  # files in ruff's output that we did not pass
        self._units: dict[str, SourceUnit] = {}

    def collect(self) -> tuple[dict[str, list[Finding]], list[ToolError]]:
        found: dict[str, list[Finding]] = {}
        errors = [self._error] if self._error else []
        failure, unchecked = "", 0
        pending = list(self._runs)
        while pending:
            run = pending.pop(0)
            code, stdout, stderr = run.wait()
            stderr = _ANSI.sub("", stderr)
            if _crashed(code, stderr):
                # One file can crash ruff (a stack overflow on absurdly nested code) and take the
                # whole command line with it: split the files until the culprit runs alone, so
                # every other file keeps its findings.
                if len(run.files) > 1:
                    half = len(run.files) // 2
                    halves = [ToolProcess(run.cmd, run.files[:half]), ToolProcess(run.cmd, run.files[half:])]
                    for again in halves:
                        again.start()
                    pending[:0] = halves
                    continue
                unit = self._stage.unit_for(run.files[0])
                errors.append(ToolError("ruff", f"ruff crashed on this file and could not check it "
                                                f"({_crash_reason(code, stderr)})", unit.path if unit else None))
                continue
            run_found: dict[str, list[Finding]] = {}
            run_errors = self._unlinted(stderr, run.files)
            try:
                if code != 0:
                    raise RuntimeError(f"exit code {code}")
                results = json.loads(stdout)
                if not isinstance(results, list):
                    raise TypeError("the JSON output is not a list")
                for result in results:
                    self._add(result, run_found, run_errors)
            except (RuntimeError, ValueError, KeyError, TypeError, AttributeError) as exc:
                failure = failure or f"{exc}: {_tail(stderr or stdout)}"
                unchecked += len(run.files)
                continue
            for path, findings in run_found.items():
                found.setdefault(path, []).extend(findings)
            errors += run_errors
        found = {path: refine(self._units[path], findings, is_test_path(path))
                 for path, findings in found.items()}
        errors += [ToolError("ruff", f"ruff reported a file it was not given: {name}")
                   for name in sorted(self._strays)]
        if failure:  # one error for the run: chunks fail alike (a bad option fails them all)
            errors.append(ToolError("ruff", f"ruff failed, {unchecked} file(s) not checked by ruff "
                                            f"({failure})"))
        return found, errors

    def _add(self, result: dict[str, Any], found: dict[str, list[Finding]],
             errors: list[ToolError]) -> None:
        unit = self._stage.unit_for(result["filename"])
        code = result.get("code")
        if unit is None:  # reported once per file in collect()
            self._strays.add(str(result["filename"]))
        elif code == "E902":  # io-error: ruff could not read or decode the file (non-UTF-8)
            errors.append(ToolError("ruff", f"ruff could not read the file: {result['message']}",
                                    unit.path))
        elif not isinstance(code, str) or not _RULE_CODE.fullmatch(code):
            return  # a syntax error (code null, or "invalid-syntax"): the engine reports those
        elif unit.cell_map is None or not self._notebook_noise(result, unit):
            self._units[unit.path] = unit
            found.setdefault(unit.path, []).append(normalize(result, unit))

    def _notebook_noise(self, result: dict[str, Any], unit: SourceUnit) -> bool:
        """What IPython makes valid in a notebook, which ruff (seeing one joined .py) flags."""
        if unit.path not in self._lines:
            self._lines[unit.path] = _NEWLINE.split(unit.text)
        lines, code, message = self._lines[unit.path], result["code"], result["message"]
        row, end_row = result["location"]["row"], (result.get("end_location") or {}).get("row")
        if code == "F821":  # IPython's builtins
            return any(f"`{name}`" in message for name in _IPYTHON_BUILTINS)
        if code == "F811" and "import" in (lines[row - 1] if 0 < row <= len(lines) else ""):
            return True  # a cell that re-imports what an earlier cell imported stands alone
        if code in ("PLE1142", "F704"):  # IPython runs top-level await
            return "await" in message and not _in_function(lines, row)
        if code in ("B018", "B015"):  # a cell's last expression is displayed, not useless
            found = unit.cell_map.locate(row) if unit.cell_map else None
            if found is None:
                return False
            span = found[0]
            after = lines[(end_row or row) : span.first_line + span.line_count - 1]
            return all(not line.strip() or line.lstrip().startswith("#") for line in after)
        return False

    def _unlinted(self, stderr: str, files: list[str]) -> list[ToolError]:
        """Files ruff skipped with only a stderr warning (e.g. deleted after staging)."""
        errors = []
        for line in stderr.splitlines():
            if not line.startswith(_FAILED):
                continue
            rest, path = line[len(_FAILED):], None
            for file in files:
                inside = file.startswith(self._cwd.rstrip(os.sep) + os.sep)
                shown = os.path.relpath(file, self._cwd) if inside else file
                unit = self._stage.unit_for(file)
                if unit is not None and rest.startswith(f"{shown}: "):
                    rest, path = rest[len(shown) + 2:], unit.path
                    break
            errors.append(ToolError("ruff", f"ruff could not lint the file: {rest}", path))
        return errors


#: What ruff prints when it dies rather than reports (Rust panics, stack overflows).
_CRASH = ("panicked", "stack overflow", "fatal runtime error")


def _crashed(code: int, stderr: str) -> bool:
    """Killed by a signal, or a Rust panic: not a bad option, which would fail every file alike."""
    if code == TIMED_OUT:
        return False  # a hang is not bisected: the halves would hang as long
    return code < -1 or code > 1 and any(marker in stderr for marker in _CRASH)


def _crash_reason(code: int, stderr: str) -> str:
    for line in stderr.splitlines():
        if any(marker in line for marker in _CRASH):
            return line.strip()[:200]
    return f"exit code {code}"


def start(units: list[SourceUnit], config: Config, stage: Stage) -> ToolJob:
    """Launch ruff on the staged files of `units` now; the returned job's collect() waits."""
    # Nothing to run when the review's select list drops every code (e.g. --select RV).
    wanted = {unit.path for unit in units} if can_report(config) else set()
    files = list(dict.fromkeys(file for file, unit in stage.files if unit.path in wanted))
    exe = binary()
    if exe is None:
        missing = ToolError("ruff", "ruff is not installed (pip install ruff); its checks did not run")
        return RuffJob(stage, [], missing if files else None)
    cmd = command(exe, config)
    runs = [ToolProcess(cmd, chunk) for chunk in chunks(files, cmd)]
    for run in runs:
        run.start()
    return RuffJob(stage, runs, None)


def normalize(result: dict[str, Any], unit: SourceUnit) -> Finding:
    code: str = result["code"]
    url = result.get("url")
    name = result.get("name") or (url.rstrip("/").rsplit("/", 1)[-1] if url else code)
    start, end = result["location"], result.get("end_location") or result["location"]
    location = unit.location(start["row"], start["column"], end["row"], end["column"])
    security = _family(code) == "S"
    message = result["message"]
    if unit.cell_map is not None and "line " in message:
        message = _LINE_REFERENCE.sub(lambda m: _cell_line(unit, int(m.group(1))), message)
    return Finding(
        code=code,
        name=name,
        message=message,
        location=location,
        source=Source.RUFF,
        sources=(Source.RUFF,),
        category=Category.SECURITY if security else Category.CORRECTNESS,
        severity=_severity(code),
        confidence=_confidence(code),
        cwe=(_CWE[code],) if code in _CWE else (),
        url=url,
        fix=_fix(result.get("fix"), unit, location),
    )


def _cell_line(unit: SourceUnit, line: int) -> str:
    """`line 586` of the joined notebook as the cell and line a reader sees: `cell 12, line 3`."""
    location = unit.location(line)
    return f"line {line}" if location.cell is None else f"cell {location.cell + 1}, line {location.line}"


def _family(code: str) -> str:
    """The linter prefix of a code: S602 -> S, PLE1142 -> PLE, SIM102 -> SIM (not bandit's S)."""
    return code.rstrip("0123456789")


def _severity(code: str) -> Severity:
    if code in _ERRORS or code.startswith("E9") or _family(code) == "PLE":
        return Severity.ERROR
    # F811 (redefinition) stays a warning: re-running an import in a later notebook cell trips it.
    return Severity.NOTE if code in _NOTES else Severity.WARNING


def _confidence(code: str) -> Confidence:
    if _family(code) in ("F", "PLE") or code.startswith("E9"):
        return Confidence.HIGH
    return Confidence.MEDIUM


def _fix(raw: dict[str, Any] | None, unit: SourceUnit, at: Location) -> Fix | None:
    if not raw:
        return None
    edits = []
    for edit in raw.get("edits") or ():
        converted = _edit(edit, unit, at)
        if converted is None:  # an edit we cannot express inside the finding's cell: no fix
            return None
        edits.append(converted)
    try:
        applicability = Applicability(raw.get("applicability"))
    except ValueError:
        applicability = Applicability.DISPLAY
    return Fix(raw.get("message") or "Apply ruff's fix", tuple(edits), applicability)


def _edit(raw: dict[str, Any], unit: SourceUnit, at: Location) -> Edit | None:
    start, end, content = raw["location"], raw["end_location"], raw["content"]
    if unit.cell_map is None:
        return Edit(start["row"], start["column"], end["row"], end["column"], content)
    loc = unit.location(start["row"], start["column"], end["row"], end["column"])
    if loc.cell is None or loc.cell != at.cell or loc.end_line is None:
        return None
    if loc.end_column is not None:
        return Edit(loc.line, loc.column, loc.end_line, loc.end_column, content)
    # The edit ends at the start of the next cell (deleting a cell's last line): end it at the
    # end of this cell's last line instead, dropping the newline the joined module added.
    span = unit.cell_map.cell_of(loc.cell)
    if span is None or end["column"] != 1 or end["row"] != span.first_line + span.line_count:
        return None
    if content and not content.endswith("\n"):  # it would join this cell with the next one
        return None
    last = _NEWLINE.split(unit.text)[end["row"] - 2]
    return Edit(loc.line, loc.column, loc.end_line, len(last) + 1, content.removesuffix("\n"))


def _in_function(lines: list[str], row: int) -> bool:
    """Whether line `row` sits in a def, judged by indentation (no parse: the code may not parse)."""
    text = lines[row - 1] if 0 < row <= len(lines) else ""
    indent = len(text) - len(text.lstrip())
    for line in reversed(lines[: max(row - 1, 0)]):
        stripped = line.lstrip()
        if indent == 0:
            return False
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) < indent:
            if _DEF.match(stripped):
                return True
            indent = len(line) - len(stripped)
    return False


def _tail(text: str, limit: int = 600) -> str:
    text = " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text if len(text) <= limit else "..." + text[-limit:]
