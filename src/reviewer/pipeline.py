"""review(): load -> analyze (engine + ruff + bandit, concurrently) -> merge -> suppress ->
fingerprint -> cache -> baseline -> diff scope -> Report. The one path every surface uses."""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from reviewer import __version__, baseline, fingerprint, project
from reviewer.cache import ResultCache
from reviewer.config import Config, ignored_settings_note
from reviewer.engine import ProjectRule, ProjectRun, all_rules, analyze, is_selected, select_rules
from reviewer.engine.budget import FileTimeout, limit_memory, time_limit
from reviewer.engine.parsing import TooComplex, cpython_tree, fewer_collections
from reviewer.engine.runner import parse
from reviewer.llm import LLMRun, run_stage
from reviewer.engine.packs import packs_digest
from reviewer.merge import merge, supersede
from reviewer.model import DEPENDS_ON, Finding, Report, ToolError
from reviewer.sources import LoadError, SourceUnit, discover, git, load_path, load_text
from reviewer.sources.discovery import is_dependency_file, matches_exclude, project_path
from reviewer.suppression import suppress
from reviewer.tools import Stage, ToolJob
from reviewer.tools import bandit as bandit_tool
from reviewer.tools import ruff as ruff_tool

Progress = Callable[[int, int], None]
#: Below this many units a process pool costs more than it saves.
POOL_THRESHOLD = 4


@dataclass
class Loaded:
    units: list[SourceUnit] = field(default_factory=list)
    errors: list[ToolError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def load(paths: Iterable[str], config: Config, stdin_text: str | None = None,
         stdin_name: str = "<stdin>") -> Loaded:
    """Expand paths (`-` is standard input) into units; unreadable input becomes a ToolError."""
    loaded = Loaded()
    real_paths = [p for p in paths if p != "-"]
    candidates: list[tuple[Path | None, str]] = list(discover(real_paths, config.root, config.exclude))
    if stdin_text is not None:
        candidates.append((None, stdin_name))
    for path, display in candidates:
        loaded.files.append(display)
        try:
            if path is None:
                unit = load_text(stdin_text or "", display, on_disk=False)
            else:
                unit = load_path(path, display, config.max_file_size)
        except LoadError as exc:
            loaded.errors.append(ToolError("sources", exc.message, exc.path, exc.line))
            continue
        except (Exception, RecursionError) as exc:  # noqa: RV202 - reported: one file must not end the scan
            loaded.errors.append(ToolError(
                "sources", f"could not read the file ({type(exc).__name__}: {exc}); please report this", display))
            continue
        loaded.units.append(unit)
    return loaded


def review(paths: Iterable[str], config: Config, *, stdin_text: str | None = None,
           stdin_name: str = "<stdin>", diff_ref: str | None = None, use_baseline: bool = True,
           progress: Progress | None = None, llm: LLMRun | None = None) -> Report:
    # requirements*.txt / pyproject.toml are not Python units: whole-project rules read them.
    paths = list(paths)
    loaded = load([p for p in paths if p == "-" or not (is_dependency_file(Path(p)) and Path(p).is_file())],
                  config, stdin_text, stdin_name)
    errors = list(loaded.errors)
    units = loaded.units
    base_fingerprints: set[str] | None = None
    if diff_ref is not None:
        try:
            units, base_fingerprints = _diff_scope(units, diff_ref, config)
        except git.GitError as exc:
            errors.append(ToolError("git", f"--diff {diff_ref}: {exc}"))
            units = []
    report = review_units(units, config, errors=errors, files=loaded.files, progress=progress,
                          paths=() if diff_ref is not None else tuple(paths))
    report = llm_stage(report, units, config, llm or LLMRun())
    if base_fingerprints is not None:
        kept = [f for f in report.findings if f.fingerprint not in base_fingerprints]
        report = replace(
            report, findings=tuple(kept), out_of_scope=len(report.findings) - len(kept)
        )
    if use_baseline:
        report = apply_baseline(report, config)
    return report


def llm_stage(report: Report, units: list[SourceUnit], config: Config, run: LLMRun) -> Report:
    """Add LLM critique (when a model is configured) to a report whose static findings are final.

    LLM findings go through select/ignore, `# noqa` and fingerprinting like any other; triage
    verdicts mark static findings without removing them. Without a model this only adds a note.
    """
    static: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        static[finding.location.path].append(finding)
    result = run_stage(units, static, config, run,
                       selected=lambda code: is_selected(code, config.select, config.ignore))
    added: list[Finding] = []
    hidden = 0
    for unit in units:
        found = [f for f in result.findings.get(unit.path, [])
                 if is_selected(f.code, config.select, config.ignore)]
        if not found:
            continue  # the common case (no model configured): no per-file work at all
        found, suppressed = suppress(unit, found)
        hidden += suppressed
        added += fingerprint.assign(unit, found, config.root)
    findings = [
        replace(f, triage=result.triage[f.fingerprint][0], triage_reason=result.triage[f.fingerprint][1])
        if f.fingerprint in result.triage else f
        for f in report.findings
    ]
    usage = {**result.usage, "findings": len(added)} if result.usage else {}
    return replace(
        report,
        findings=tuple(sorted([*findings, *added], key=Finding.sort_key)),
        errors=(*report.errors, *result.errors),
        notes=(*report.notes, *result.notes),
        suppressed=report.suppressed + hidden,
        llm=usage,
    )


def apply_baseline(report: Report, config: Config) -> Report:
    path = Path(config.root) / config.baseline
    try:
        accepted = baseline.load(path)
    except baseline.BaselineError as exc:
        return replace(report, errors=(*report.errors, ToolError("config", str(exc), str(path))))
    if not accepted:
        return report
    kept = [f for f in report.findings if f.fingerprint not in accepted]
    return replace(report, findings=tuple(kept), baselined=len(report.findings) - len(kept))


def _diff_scope(units: list[SourceUnit], ref: str, config: Config) -> tuple[list[SourceUnit], set[str]]:
    """Keep units changed since `ref`; fingerprint what `ref` already had in those files.

    Comparing fingerprints (not line numbers) keeps a finding the change caused on an
    unchanged line, and drops old findings that merely moved.
    """
    cwd = Path.cwd()
    changed = {p.resolve() for p in git.changed_files(ref, cwd)}
    head = [u for u in units if u.path == "<stdin>" or Path(u.path).resolve() in changed]
    base_units = []
    for unit in head:
        if unit.path == "<stdin>":
            continue
        text = git.show(ref, Path(unit.path), cwd)
        if text is None:
            continue  # a new file: everything in it is introduced
        try:
            base_units.append(load_text(text, unit.path, on_disk=False))
        except LoadError:
            continue  # the old version was broken: every finding now counts as new
    base = review_units(base_units, config)
    return head, {f.fingerprint for f in base.findings}


def review_units(units: list[SourceUnit], config: Config, *, errors: Iterable[ToolError] = (),
                 files: Iterable[str] | None = None, progress: Progress | None = None,
                 paths: tuple[str, ...] = ()) -> Report:
    """Analyze units (cache first), returning merged, suppressed, fingerprinted findings."""
    all_rules(config.pack_directories)  # a malformed pack stops here, before any file is reviewed
    project.refresh()  # manifests and modules as they are now (before the workers fork)
    errors = list(errors)
    notes: list[str] = []
    if config.ignored_project_keys:
        notes.append(ignored_settings_note(config))
    tools = _tool_versions(config)
    cache = _open_cache(config, tools, notes)
    results: dict[str, tuple[list[Finding], int]] = {}
    misses = units
    keys: dict[str, str] = {}
    if cache is not None:
        keys = {u.path: cache.key(u.path, u.cache_content) for u in units}
        hits = cache.get_many(list(keys.values()))
        results = {u.path: hits[keys[u.path]] for u in units if keys[u.path] in hits}
        misses = [u for u in units if u.path not in results]
    fresh: dict[str, list[Finding]] = {}
    fresh_errors: list[ToolError] = []
    whole_run = _WholeRun(ProjectRun(tuple(units), config, paths), cache, keys)
    if misses:
        fresh, fresh_errors = _analyze(misses, config, progress, len(units) - len(misses), len(units),
                                       on_pool_started=whole_run.start)
    errors.extend(fresh_errors)
    failed_paths = {e.path for e in fresh_errors}
    with fewer_collections():
        for unit in misses:
            raw = fresh.get(unit.path, [])
            # Helper files of the project whose summaries the analysis used: the cached result
            # stays valid only while they are unchanged.
            dependencies = sorted({f.message for f in raw if f.name == DEPENDS_ON})
            findings, suppressed = _finish_unit(unit, [f for f in raw if f.name != DEPENDS_ON], config)
            results[unit.path] = (findings, suppressed)
            if cache is not None and unit.path not in failed_paths:
                cache.put(keys[unit.path], findings, suppressed, dependencies)
        across, across_suppressed = whole_run.result()
    if cache is not None:
        cache.close()
    everything = sorted([*(f for found, _ in results.values() for f in found), *across], key=Finding.sort_key)
    findings = [f for f in everything if f.superseded_by is None]
    return Report(
        findings=tuple(findings),
        superseded=tuple(f for f in everything if f.superseded_by is not None),
        errors=tuple(errors),
        files=tuple(files if files is not None else (u.path for u in units)),
        suppressed=sum(s for _, s in results.values()) + across_suppressed,
        tools=tools,
        notes=tuple(notes),
    )


class _WholeRun:
    """The whole-project rules (engine.ProjectRule: RV210 copies, RV307 dependency files), run
    once on every unit, their unit findings finished like per-file ones. Cached on the set of
    units and paths: any change recomputes.

    They read only the units' text and the files named, so `start()` runs them in a thread
    while the engine's worker processes analyze files (it must not start before they fork).
    """

    def __init__(self, run: ProjectRun, cache: ResultCache | None, keys: dict[str, str]) -> None:
        self.run = run
        self.cache = cache
        config = run.config
        self.rules = [r for r in select_rules(config.select, config.ignore, config.pack_directories)
                      if issubclass(r, ProjectRule)]
        self.needed = bool(self.rules) and bool(run.units or run.paths)
        content = "\0".join([*sorted(keys.values()), *run.paths])
        self.key = cache.key("<whole-run>", content) if cache is not None else None
        self.cached: tuple[list[Finding], int] | None = None
        if self.needed and cache is not None and self.key is not None:
            self.cached = cache.get_many([self.key]).get(self.key)
        self._thread: ThreadPoolExecutor | None = None
        self._found: Future[dict[str, list[Finding]]] | None = None

    def start(self) -> None:
        if self.needed and self.cached is None and self._found is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reviewer-whole-run")
            self._found = self._thread.submit(self._check)

    def _check(self) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = defaultdict(list)
        for rule in self.rules:
            for path, findings in rule.check(self.run).items():
                found[path].extend(findings)
        return found

    def result(self) -> tuple[list[Finding], int]:
        if not self.needed:
            return [], 0
        if self.cached is not None:
            return self.cached
        try:
            found = self._found.result() if self._found is not None else self._check()
        finally:
            if self._thread is not None:
                self._thread.shutdown()
        by_path = {unit.path: unit for unit in self.run.units}
        findings: list[Finding] = []
        suppressed = 0
        for path, unit_findings in found.items():
            if path not in by_path:
                findings += unit_findings  # a dependency file: the rule finished them
                continue
            kept, hidden = _finish_unit(by_path[path], unit_findings, self.run.config)
            findings += kept
            suppressed += hidden
        if self.cache is not None and self.key is not None:
            self.cache.put(self.key, findings, suppressed)
        return findings, suppressed


def _finish_unit(unit: SourceUnit, findings: list[Finding], config: Config) -> tuple[list[Finding], int]:
    """Selected, superseded, merged, suppressed and fingerprinted findings of one unit; the
    superseded ones stay in the list (marked), so the cache keeps them too."""
    packs = config.pack_directories
    ignored = _ignored_here(unit.path, config)
    findings = [f for f in findings if is_selected(f.code, config.select, (*config.ignore, *ignored))]
    findings = supersede(findings, _equivalents(packs), _taint_cwes(packs), _owners(packs))
    superseded = [f for f in findings if f.superseded_by is not None]
    findings = merge([f for f in findings if f.superseded_by is None], _equivalents(packs))
    findings, suppressed = suppress(unit, findings)
    kept = fingerprint.assign(unit, findings, config.root)
    return [*kept, *fingerprint.assign(unit, superseded, config.root)], suppressed


def _ignored_here(path: str, config: Config) -> tuple[str, ...]:
    """The code prefixes `per-file-ignores` drops in this file."""
    if not config.per_file_ignores:
        return ()
    rel = project_path(path, config.root)
    return tuple(code for glob, codes in config.per_file_ignores if matches_exclude(rel, (glob,)) for code in codes)


@functools.cache
def _equivalents(packs: tuple[str, ...] = ()) -> dict[str, frozenset[str]]:
    return {rule.CODE: frozenset(rule.EQUIVALENT) for rule in all_rules(packs)}


@functools.cache
def _owners(packs: tuple[str, ...] = ()) -> dict[str, frozenset[str]]:
    """Tool code -> the codes of our rules that own its concept (Rule.SUPERSEDES)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for rule in all_rules(packs):
        for code in rule.SUPERSEDES:
            owners[code].add(rule.CODE)
    return {code: frozenset(rules) for code, rules in owners.items()}


@functools.cache
def _taint_cwes(packs: tuple[str, ...] = ()) -> dict[str, frozenset[int]]:
    """The CWEs of each taint rule: what its verdicts speak for."""
    return {
        rule.CODE: frozenset(rule.CWE) for rule in all_rules(packs) if getattr(rule, "TAINT", None) is not None
    }


def _analyze(units: list[SourceUnit], config: Config, progress: Progress | None, done_before: int,
             total: int, on_pool_started: Callable[[], None] = lambda: None,
             ) -> tuple[dict[str, list[Finding]], list[ToolError]]:
    """Run ruff and bandit (subprocesses) while the engine runs in a process pool;
    `on_pool_started` is called once the pool's workers exist."""
    found: dict[str, list[Finding]] = defaultdict(list)
    errors: list[ToolError] = []
    if not units:
        return found, errors
    units = _isolate_broken_cells(units, errors)
    stage = Stage(units) if (config.ruff.enabled or config.bandit.enabled) else None
    jobs: list[ToolJob] = []
    try:
        if stage is not None and config.ruff.enabled:
            jobs.append(ruff_tool.start(units, config, stage))
        if stage is not None and config.bandit.enabled:
            jobs.append(bandit_tool.start(units, config, stage))
        for path, unit_findings, unit_errors in _run_engine(units, config, progress, done_before, total,
                                                            on_pool_started):
            found[path].extend(unit_findings)
            errors.extend(unit_errors)
        for job in jobs:
            tool_findings, tool_errors = job.collect()
            for path, unit_findings in tool_findings.items():
                found[path].extend(unit_findings)
            errors.extend(tool_errors)
    finally:
        if stage is not None:
            stage.cleanup()
    return found, errors


def _isolate_broken_cells(units: list[SourceUnit], errors: list[ToolError]) -> list[SourceUnit]:
    """Blank notebook cells that do not parse, once, before any analyzer sees them: each broken
    cell is one error, and ruff, bandit and the engine all still review the other cells."""
    out = []
    for unit in units:
        if unit.is_notebook and not _parses(unit.text):
            _, unit, cell_errors = parse(unit)
            errors.extend(cell_errors)
        out.append(unit)
    return out


def _parses(text: str) -> bool:
    """CPython's parser accepts the whole text (milliseconds, and the engine reuses the tree):
    then no cell needs blanking, and the libcst parse is left to the engine, done once."""
    try:
        return cpython_tree(text) is not None
    except TooComplex:
        return False


EngineResult = tuple[str, list[Finding], list[ToolError]]


def _engine_chunk(units: list[SourceUnit], config: Config) -> list[EngineResult]:
    rules = select_rules(config.select, config.ignore, config.pack_directories)
    rules = [rule for rule in rules if not issubclass(rule, ProjectRule)]  # once per run: _WholeRun
    out = []
    with fewer_collections():
        for unit in units:
            try:
                with time_limit(config.file_timeout):
                    findings, errors = analyze(unit, config, rules, verdicts=True)
            except FileTimeout:
                findings, errors = [], [ToolError(
                    "reviewer", f"took longer than file-timeout ({config.file_timeout:g} s); engine rules "
                    "skipped for this file", unit.path)]
            except MemoryError:
                findings, errors = [], [ToolError(
                    "reviewer", f"needed more than file-memory ({config.file_memory} MiB); engine rules "
                    "skipped for this file", unit.path)]
            except Exception as exc:  # an engine bug on one file must not lose the others
                findings, errors = [], [ToolError("reviewer", f"internal error: {type(exc).__name__}: {exc}", unit.path)]
            out.append((unit.path, findings, errors))
    return out


def _alone(units: list[SourceUnit], config: Config,
           context: multiprocessing.context.BaseContext) -> Iterator[EngineResult]:
    """The units of batches whose worker died, one at a time in a worker of their own (a new one
    after each death): the innocent ones get their review, each one that kills its worker is
    named."""
    pool: ProcessPoolExecutor | None = None
    try:
        for unit in units:
            pool = pool or ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=limit_memory,
                                               initargs=(config.file_memory,))
            try:
                results = pool.submit(_engine_chunk, [unit], config).result()
            except Exception as exc:  # noqa: RV202 - reported: the worker died on this very file
                reason = "the worker process died" if isinstance(exc, BrokenProcessPool) else f"{type(exc).__name__}: {exc}"
                results = [(unit.path, [], [ToolError(
                    "reviewer", f"the engine crashed on this file ({reason}); engine rules skipped for it", unit.path)])]
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            yield from results
    finally:
        if pool is not None:
            pool.shutdown()


def _run_engine(units: list[SourceUnit], config: Config, progress: Progress | None,
                done_before: int, total: int, on_pool_started: Callable[[], None]) -> Iterable[EngineResult]:
    done = done_before
    if len(units) < POOL_THRESHOLD or config.worker_count == 1:
        for unit in units:
            yield from _engine_chunk([unit], config)
            done += 1
            if progress:
                progress(done, total)
        return
    # Largest files first, in small chunks, so the workers finish together.
    ordered = sorted(units, key=lambda u: len(u.text), reverse=True)
    chunks = [ordered[i : i + 8] for i in range(0, len(ordered), 8)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=config.worker_count, mp_context=context, initializer=limit_memory,
                             initargs=(config.file_memory,)) as pool:
        futures = {pool.submit(_engine_chunk, chunk, config): chunk for chunk in chunks}
        # With fork, the first submit started every worker: threads are safe from here on.
        on_pool_started()
        broken: list[SourceUnit] = []
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                results = future.result()
            except Exception:  # noqa: RV202 - a worker died: its batch is retried file by file below
                broken.extend(chunk)
                continue
            yield from results
            done += len(chunk)
            if progress:
                progress(done, total)
    # A dead worker breaks the whole pool: every batch still in it failed, innocent or not.
    for result in _alone(broken, config, context):
        yield result
        done += 1
        if progress:
            progress(done, total)


def _tool_versions(config: Config) -> dict[str, str]:
    tools = {"reviewer": __version__}
    if config.ruff.enabled:
        tools["ruff"] = ruff_tool.version() or "missing"
    if config.bandit.enabled:
        tools["bandit"] = bandit_tool.version() or "missing"
    return tools


def _open_cache(config: Config, tools: dict[str, str], notes: list[str]) -> ResultCache | None:
    if not config.cache:
        return None
    salt = "|".join([config.fingerprint(), *(f"{k}={v}" for k, v in sorted(tools.items())),
                     _environment_key(config.root), packs_digest(config.pack_directories)])
    directory = Path(config.cache_dir)
    if not directory.is_absolute():
        directory = Path(config.root) / directory
    try:
        return ResultCache(directory, salt)
    except OSError as exc:  # a read-only checkout still gets reviewed, just uncached
        notes.append(f"cache disabled: cannot use {directory}: {exc.strerror or exc}")
        return None


def _environment_key(root: str) -> str:
    """What the import checks depend on: installed distributions and declared dependencies."""
    digest = hashlib.sha256(sys.prefix.encode())
    for name in _installed_distributions():
        digest.update(f"{name}\0".encode())
    for name in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if name == "pyproject.toml" or (name.startswith("requirements") and name.endswith(".txt")):
            try:
                digest.update(Path(root, name).read_bytes())
            except OSError:
                continue
    return digest.hexdigest()[:16]


def _installed_distributions() -> Iterator[str]:
    """What importlib.metadata would find, read from directory names (`name-version.dist-info`)
    rather than from every METADATA file, which cost a tenth of a warm scan."""
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                yield f"{entry}/{name}"
            elif name.endswith(".egg-info"):  # may carry no version in its name
                yield f"{entry}/{name}@{_mtime(os.path.join(entry or '.', name))}"


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
