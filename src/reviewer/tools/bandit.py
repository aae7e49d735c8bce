"""Bandit adapter: run the real bandit in parallel shards and normalize its JSON to Finding.

Bandit is pure Python and single-threaded, the slowest analyzer, so it gets one process per worker.
"""

from __future__ import annotations

import functools
import heapq
import importlib.metadata
import importlib.util
import inspect
import json
import os
import re
import sys
import warnings
from typing import Any

from reviewer.config import Config
from reviewer.model import Category, Confidence, Finding, Severity, Source, ToolError
from reviewer.sources import SourceUnit
from reviewer.analysis.tests_detection import is_test_path
from reviewer.tools.process import ToolProcess, chunks
from reviewer.tools.refine import refine
from reviewer.tools.staging import Stage, ToolJob

# Low-signal checks: assert (how tests and notebooks check things), imports of pickle,
# subprocess and XML parsers (the calls are what matter: our rules judge those), subprocess
# without a shell, partial executable paths. The shell/injection checks stay on.
DEFAULT_SKIP = ("B101", "B403", "B404", "B405", "B406", "B407", "B408", "B409", "B410", "B411",
                "B603", "B607")

_NEWLINE = re.compile(r"\r\n|\r|\n")  # Python's line ends (str.splitlines also splits on \f)
_SEVERITY = {"HIGH": Severity.ERROR, "MEDIUM": Severity.WARNING, "LOW": Severity.NOTE}
_CONFIDENCE = {"HIGH": Confidence.HIGH, "MEDIUM": Confidence.MEDIUM, "LOW": Confidence.LOW}


@functools.cache
def version() -> str | None:
    if importlib.util.find_spec("bandit") is None:  # finds it without importing it
        return None
    try:
        return importlib.metadata.version("bandit")
    except importlib.metadata.PackageNotFoundError:
        return None


def command(config: Config) -> list[str]:
    """The bandit command line without the files."""
    settings = config.bandit
    skip = settings.ignore or tuple(c for c in DEFAULT_SKIP if c not in settings.select)
    # -P keeps the cwd (the reviewed project) off sys.path: a project's own yaml.py must never be
    # imported by bandit. -x "": bandit's default excludes (.git, CVS, .tox...) are substring
    # matches that silently drop explicit files such as .github/ci.py. --ignore-nosec: nosec
    # comments are applied (and counted) by reviewer.suppression.
    cmd = [sys.executable, "-P", "-m", "bandit", "-f", "json", "-q", "--exit-zero",
           "--ignore-nosec", "-x", ""]
    if skip:
        cmd += ["-s", ",".join(skip)]
    if settings.select:
        cmd += ["-t", ",".join(settings.select)]
    return [*cmd, *settings.args]


def can_report(config: Config) -> bool:
    """False when the review's select list rules out every bandit code (B101...): no need to run."""
    return not config.select or any(
        "B".startswith(p) or (p[0] == "B" and p[1:].isdigit()) for p in config.select
    )


def shards(files: list[tuple[str, int]], count: int) -> list[list[str]]:
    """Split (file, size) pairs into `count` groups of similar total size, largest files first."""
    heap = [(0, index) for index in range(max(1, min(count, len(files))))]
    groups: list[list[str]] = [[] for _ in heap]
    for file, size in sorted(files, key=lambda item: -item[1]):
        total, index = heapq.heappop(heap)
        groups[index].append(file)
        heapq.heappush(heap, (total + size, index))
    return [group for group in groups if group]


class BanditJob:
    def __init__(self, stage: Stage, shards: list[ToolProcess], workers: int,
                 error: ToolError | None) -> None:
        self._stage = stage
        self._shards = shards
        self._workers = workers
        self._error = error
        self._lines: dict[str, list[str]] = {}
        self._strays: set[str] = set()  # files in bandit's output that we did not pass

    def collect(self) -> tuple[dict[str, list[Finding]], list[ToolError]]:
        found: dict[str, list[Finding]] = {}
        errors = [self._error] if self._error else []
        failures: dict[str, int] = {}  # message -> files not checked; identical shards fail alike
        for index, shard in enumerate(self._shards):
            # Shards beyond the worker count (command-line length) start as earlier ones finish.
            for later in self._shards[index + 1 : index + self._workers]:
                later.start()
            code, stdout, stderr = shard.wait()
            shard_found: dict[str, list[Finding]] = {}
            try:
                if code != 0:
                    raise RuntimeError(f"exit code {code}")
                data = json.loads(stdout)
                for result in data["results"]:
                    self._add(result, shard_found)
                shard_errors = self._file_errors(data, shard.files)
            except (RuntimeError, ValueError, KeyError, TypeError, AttributeError) as exc:
                message = f"{exc}: {_tail(stderr or stdout)}"
                failures[message] = failures.get(message, 0) + len(shard.files)
                continue
            for path, findings in shard_found.items():
                found.setdefault(path, []).extend(findings)
            errors += shard_errors
        units = {unit.path: unit for _, unit in self._stage.files}
        found = {path: refine(units[path], findings, is_test_path(path)) if path in units else findings
                 for path, findings in found.items()}
        errors += [ToolError("bandit", f"bandit reported a file it was not given: {name}")
                   for name in sorted(self._strays)]
        for message, unchecked in failures.items():
            errors.append(ToolError("bandit", f"bandit failed, {unchecked} file(s) not checked "
                                              f"by bandit ({message})"))
        return found, errors

    def _add(self, result: dict[str, Any], found: dict[str, list[Finding]]) -> None:
        unit = self._stage.unit_for(result["filename"])
        if unit is None:  # reported once per file in collect(); the file's own check is loud too
            self._strays.add(str(result["filename"]))
            return
        if unit.path not in self._lines:
            self._lines[unit.path] = _NEWLINE.split(unit.text)
        found.setdefault(unit.path, []).append(normalize(result, unit, self._lines[unit.path]))

    def _file_errors(self, data: dict[str, Any], files: list[str]) -> list[ToolError]:
        """Bandit's per-file errors, plus any file it silently left out (never a quiet miss)."""
        errors = []
        seen = {_key(name) for name in data["metrics"]}
        for error in data["errors"]:
            seen.add(_key(error["filename"]))
            unit = self._stage.unit_for(error["filename"])
            reason = str(error.get("reason") or "unknown error")
            if "syntax error" in reason:  # usually syntax newer than the Python bandit runs on
                reason += f" (bandit runs on Python {sys.version_info[0]}.{sys.version_info[1]})"
            errors.append(ToolError("bandit", f"bandit could not check this file: {reason}",
                                    unit.path if unit else error["filename"]))
        for file in files:
            unit = self._stage.unit_for(file)
            if _key(file) not in seen and unit is not None:
                errors.append(ToolError("bandit", "bandit skipped this file without a reason",
                                        unit.path))
        return errors


def start(units: list[SourceUnit], config: Config, stage: Stage) -> ToolJob:
    """Launch bandit on the staged files of `units` now; the returned job's collect() waits."""
    # Nothing to run when the review's select list drops every code (e.g. --select RV).
    wanted = {unit.path for unit in units} if can_report(config) else set()
    sized = {file: len(unit.text) for file, unit in stage.files if unit.path in wanted}
    if version() is None:
        missing = ToolError("bandit", "bandit is not installed (pip install bandit); "
                                      "its checks did not run")
        return BanditJob(stage, [], 1, missing if sized else None)
    cmd = command(config)
    groups = [chunk for group in shards(list(sized.items()), config.worker_count)
              for chunk in chunks(group, cmd)]
    jobs = [ToolProcess(cmd, group) for group in groups]
    for job in jobs[: config.worker_count]:  # one per worker now; a failed start is its error
        job.start()
    return BanditJob(stage, jobs, config.worker_count, None)


def normalize(result: dict[str, Any], unit: SourceUnit, lines: list[str]) -> Finding:
    code: str = result["test_id"]
    number: int = result["line_number"]
    # line_number is the line the check points at (B602: the `shell=True` line; B105: the string
    # inside a multi-line dict), while col_offset belongs to the flagged node, which may start on
    # another line. Keep the line; trust the columns only when they land on text of that line.
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    column = _column(lines, number, result.get("col_offset", -1))
    if column is None or column > len(text) or text[column - 1 : column].isspace():
        column, end_column = len(text) - len(text.lstrip()) + 1, None
    else:
        end_offset = result.get("end_col_offset") or 0  # 0: unknown
        end_column = _column(lines, number, end_offset) if end_offset > column - 1 else None
    location = unit.location(number, column, number, end_column)
    cwe = (result.get("issue_cwe") or {}).get("id")
    return Finding(
        code=code,
        name=_name(result),
        message=result["issue_text"],
        location=location,
        source=Source.BANDIT,
        sources=(Source.BANDIT,),
        category=Category.SECURITY,
        severity=_SEVERITY.get(result.get("issue_severity", ""), Severity.WARNING),
        confidence=_CONFIDENCE.get(result.get("issue_confidence", ""), Confidence.LOW),
        cwe=(int(cwe),) if cwe else (),
        url=result.get("more_info") or None,
    )


def _name(result: dict[str, Any]) -> str:
    name = str(result.get("test_name") or result["test_id"])
    fragment = str(result.get("more_info") or "").partition("#")[2]
    if name == "blacklist" and "-" in fragment:  # every B3xx/B4xx is "blacklist"; the anchor
        return fragment.split("-", 1)[1]  # names the rule: #b403-import-pickle
    return name.replace("_", "-")


def _column(lines: list[str], line: int, offset: int | None) -> int | None:
    """1-based character column from ast's 0-based UTF-8 *byte* offset (ruff counts characters)."""
    if offset is None or offset < 0:  # bandit's "unknown" is -1 (start) or 0 (end)
        return None
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if text.isascii():
        return offset + 1
    return len(text.encode("utf-8")[:offset].decode("utf-8", "ignore")) + 1


def _key(file: str) -> str:
    return os.path.normcase(os.path.abspath(file))


def _tail(text: str, limit: int = 600) -> str:
    text = " | ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text if len(text) <= limit else "..." + text[-limit:]


def describe(code: str) -> str | None:
    """Bandit's own documentation of one of its test ids, from the installed bandit (a plugin's
    docstring, or a blacklist entry); None when bandit does not know the id."""
    try:
        with warnings.catch_warnings():  # bandit's plugin loader trips a stevedore deprecation
            warnings.simplefilter("ignore", DeprecationWarning)
            from bandit.core import extension_loader
    except ImportError:
        return None
    manager = extension_loader.MANAGER
    plugin = manager.plugins_by_id.get(code)
    if plugin is not None:
        module = sys.modules.get(plugin.plugin.__module__)
        doc = inspect.cleandoc(module.__doc__ or "") if module is not None else ""
        url = f"https://bandit.readthedocs.io/en/latest/plugins/{code.lower()}_{plugin.name}.html"
        return f"{code} {plugin.name} (a bandit check)\n\n{doc}\n\n{url}".replace("\n\n\n", "\n\n")
    entry = getattr(manager, "blacklist_by_id", {}).get(code)
    if isinstance(entry, dict):
        kind = "imports" if code.startswith("B4") else "calls"
        names = ", ".join(entry.get("qualnames") or ())
        return (f"{code} {entry.get('name')} (a bandit blacklist check, CWE-{entry.get('cwe')})\n\n"
                f"{entry.get('message')}\n\nFlags {kind} of: {names}\n\n"
                f"https://bandit.readthedocs.io/en/latest/blacklists/blacklist_{kind}.html")
    return None
