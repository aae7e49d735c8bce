"""The LLM stage of a review: redact, chunk, ask (cached, budgeted, concurrent), ground, triage.

`run_stage` takes the units and their final static findings and returns grounded LLM findings,
triage verdicts for static security findings, usage for `Report.llm`, and at most one ToolError
per kind of problem (a bad key is reported once, not once per chunk). It never raises for a model
or network problem: static findings are always delivered.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer.config import Config, LLMSettings
from reviewer.llm import prompts
from reviewer.llm.cache import ReplyCache, request_key
from reviewer.llm.chunking import Chunk, chunk_unit, number
from reviewer.llm.client import (
    LLMClient,
    LLMError,
    Messages,
    OpenAIClient,
    estimate_tokens,
)
from reviewer.llm.grounding import DUPLICATE, Claim, cap_per_file, ground
from reviewer.llm.pack import Check, Pack, load_pack
from reviewer.llm.redact import Redaction, redact_lines
from reviewer.llm.schema import critique_schema, problems, triage_schema
from reviewer.model import Category, Confidence, Finding, Source, ToolError
from reviewer.sources import SourceUnit
from reviewer.sources.discovery import matches_exclude, project_path

OFF_NOTE = (
    "LLM critique off: pass --model M (and --base-url URL), or set model in your "
    "~/.config/reviewer/config.toml, to enable it."
)
#: Static findings whose line holds a hardcoded secret: every string on it is redacted.
SECRET_CODES = frozenset({"RV101", "B105", "B106", "B107", "S105", "S106", "S107"})
MAX_CONSECUTIVE_FAILURES = 3  #: then the endpoint is considered down for this run
TRIAGE_WINDOW = 8  #: lines of code shown on each side of a triaged finding
INJECTION_NAME = "prompt-injection"

_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|system)\s+(?:instructions?|prompts?|rules|directions)"
    r"|\byou\s+are\s+now\s+(?:a|an|in)\b|\bnew\s+instructions\s*:|\bsystem\s+prompt\s*:",
    re.IGNORECASE,
)
_AI_ADDRESSED = re.compile(
    r"\b(?:ai|llm|gpt|claude|copilot|assistant|reviewer|language model)\b.{0,60}"
    r"\b(?:approve|accept|mark (?:it|this) (?:as )?(?:safe|false)|do not report|report nothing)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LLMRun:
    """How this run uses the model, beyond the project settings (command-line choices)."""

    requested: bool = False  #: --llm / --model: a missing key is an error, not a note
    client: LLMClient | None = None  #: injected client (dry run, tests); default: OpenAIClient
    note_when_off: bool = False  #: say in one line how to enable LLM critique (`scan`)


@dataclass
class StageResult:
    findings: dict[str, list[Finding]] = field(default_factory=dict)  #: path -> LLM findings
    triage: dict[str, tuple[str, str]] = field(default_factory=dict)  #: fingerprint -> verdict, reason
    usage: dict[str, Any] = field(default_factory=dict)  #: for Report.llm ({} when off)
    errors: list[ToolError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def make_client(settings: LLMSettings, run: LLMRun) -> tuple[LLMClient | None, str | None, ToolError | None]:
    """(client, note, error): a client when LLM critique runs, else why not."""
    if run.client is not None:
        return run.client, None, None
    if not settings.model:
        return None, OFF_NOTE if run.note_when_off else None, None
    key = os.environ.get(settings.api_key_env, "")
    if not key and not settings.base_url:
        problem = f"{settings.api_key_env} is not set"
        if run.requested:
            return None, None, ToolError(
                "llm", f"{problem}: the OpenAI API needs a key (or set llm.base-url / --base-url "
                       "for a local server); static findings are complete")
        return None, f"LLM critique off: {problem} (model {settings.model} is configured).", None
    try:
        client = OpenAIClient(settings.model, base_url=settings.base_url or None, api_key=key or None,
                              timeout=settings.timeout, max_retries=settings.max_retries)
    except (ImportError, ValueError, TypeError) as exc:  # a malformed base URL, no openai
        return None, None, ToolError("llm", f"cannot set up the LLM client: {exc}")
    return client, None, None


@dataclass
class _Task:
    unit: SourceUnit
    redaction: Redaction
    messages: Messages
    schema: dict[str, Any]
    name: str  #: "findings" or "verdicts"
    chunk: Chunk | None = None
    prior: list[tuple[int, int, str, Finding]] = field(default_factory=list)
    triaged: list[Finding] = field(default_factory=list)  #: triage: id - 1 -> finding
    reply: dict[str, Any] | None = None


class _Session:
    """Shared state of the worker threads: usage, budget, failures, the cache."""

    def __init__(self, client: LLMClient, settings: LLMSettings, cache: ReplyCache | None) -> None:
        self.client = client
        self.settings = settings
        self.cache = cache
        self.dry_run = bool(getattr(client, "dry_run", False))
        self.lock = threading.Lock()
        self.requests = self.tokens_in = self.tokens_out = self.cache_hits = 0
        self.reserved = 0
        self.budget_exhausted = False
        self.skipped = 0  #: requests not sent (budget, endpoint down)
        self.rejected = 0  #: replies that did not match the schema
        self.failures: dict[str, list[Any]] = {}  #: kind -> [first message, count]
        self.consecutive = 0
        self.abort: LLMError | None = None

    def send(self, task: _Task) -> dict[str, Any] | None:
        key = request_key(self.client.model, task.messages, task.schema)
        cached = self.cache.get(key) if self.cache is not None else None
        if cached is not None and not problems(cached, task.schema):
            with self.lock:
                self.cache_hits += 1
            return cached
        estimate = sum(estimate_tokens(m["content"]) for m in task.messages)
        with self.lock:
            if self.abort is not None or self.budget_exhausted:
                self.skipped += 1
                return None
            budget = self.settings.budget_tokens
            if budget and self.tokens_in + self.tokens_out + self.reserved + estimate > budget:
                self.budget_exhausted = True
                self.skipped += 1
                return None
            self.reserved += estimate
        try:
            completion = self.client.complete(task.messages, task.schema, task.name)
        except LLMError as exc:
            self._failed(exc, estimate)
            return None
        except Exception as exc:  # noqa: BLE001 - a client bug must not cost the static findings
            self._failed(LLMError("client", f"unexpected {type(exc).__name__}: {exc}"), estimate)
            return None
        with self.lock:
            self.reserved -= estimate
            self.requests += 1
            self.tokens_in += completion.tokens_in
            self.tokens_out += completion.tokens_out
            self.consecutive = 0
        if self.cache is not None and not self.dry_run:
            self.cache.put(key, completion.data)
        return completion.data

    def _failed(self, exc: LLMError, estimate: int) -> None:
        with self.lock:
            self.reserved -= estimate
            self.requests += 1
            self.tokens_in += exc.tokens_in
            self.tokens_out += exc.tokens_out
            if exc.kind == "invalid-reply":
                self.rejected += 1
            entry = self.failures.setdefault(exc.kind, [exc.message, 0])
            entry[1] += 1
            self.consecutive += 1
            if exc.fatal or self.consecutive >= MAX_CONSECUTIVE_FAILURES:
                self.abort = self.abort or exc


def run_stage(units: list[SourceUnit], static: dict[str, list[Finding]], config: Config, run: LLMRun,
              selected: Callable[[str], bool] = lambda code: True) -> StageResult:
    settings = config.llm
    result = StageResult()
    client, note, error = make_client(settings, run)
    if note:
        result.notes.append(note)
    if error:
        result.errors.append(error)
    if client is None:
        return result
    pack = load_pack()
    cache = _open_cache(config, result.notes)
    session = _Session(client, settings, cache)
    dropped: Counter[str] = Counter()
    tasks: list[_Task] = []
    local: dict[str, list[Finding]] = {}
    excluded = 0
    for unit in units:
        if settings.exclude and matches_exclude(project_path(unit.path, config.root), settings.exclude):
            excluded += 1
            continue
        findings = static.get(unit.path, [])
        secret_lines = {unit.virtual_line(f.location) for f in findings
                        if f.code in SECRET_CODES or {*f.also} & SECRET_CODES}
        redaction = redact_lines(unit.lines, secret_lines)
        prior = [(unit.virtual_line(f.location), unit.virtual_end(f.location), f.category.value, f) for f in findings]
        checks = [c for c in pack.checks if selected(c.code)
                  and (c.category is not Category.NOTEBOOK or unit.is_notebook)]
        if checks:
            tasks += [_critique_task(unit, redaction, chunk, checks, prior)
                      for chunk in chunk_unit(unit, redaction.lines)]
        if selected(_injection_code(pack)):
            local[unit.path] = _injections(unit, redaction.lines, pack)
        security = [f for f in findings if f.category is Category.SECURITY]
        if settings.triage and security:
            tasks.append(_triage_task(unit, redaction, security))
    try:
        if len(tasks) == 1 or settings.concurrency == 1:
            for task in tasks:
                task.reply = session.send(task)
        else:
            with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
                for task, reply in zip(tasks, pool.map(session.send, tasks), strict=True):
                    task.reply = reply
    finally:
        if cache is not None:
            cache.close()
    per_unit: dict[str, list[Finding]] = {path: list(found) for path, found in local.items()}
    for task in tasks:
        if task.reply is None:
            continue
        if task.chunk is not None:
            claims = [Claim(**item) for item in task.reply["findings"]]
            prior = [(a, b, cat) for a, b, cat, _ in task.prior]
            grounded = ground(claims, task.chunk, task.redaction.lines, task.unit, pack, prior, dropped)
            found = per_unit.setdefault(task.unit.path, [])
            for _, _, finding in grounded:
                if any(_same_place(f, finding) for f in found):  # e.g. an injection found locally
                    dropped[DUPLICATE] += 1
                else:
                    found.append(finding)
        else:
            for item in task.reply["verdicts"]:
                if 1 <= item["id"] <= len(task.triaged):
                    reason = " ".join(str(item["reason"]).split())[:300]
                    result.triage[task.triaged[item["id"] - 1].fingerprint] = (item["verdict"], reason)
    for path, found in per_unit.items():
        result.findings[path] = cap_per_file(found, settings.max_findings_per_file, dropped)
    result.usage = _usage(session, settings, dropped, len(tasks), excluded, len(result.triage))
    result.errors += _errors(session, sum(t.reply is None for t in tasks), len(tasks))
    if session.budget_exhausted:
        result.notes.append(
            f"LLM token budget of {settings.budget_tokens:,} tokens reached: "
            f"{session.skipped} of {len(tasks)} requests were not sent.")
    return result


def _critique_task(unit: SourceUnit, redaction: Redaction, chunk: Chunk, checks: list[Check],
                   prior: list[tuple[int, int, str, Finding]]) -> _Task:
    lines = redaction.lines
    code = number(lines, range(chunk.start, chunk.end + 1))
    context = number(lines, list(chunk.context)) if chunk.context else "(none)"
    token = prompts.nonce(context + "\n" + code)
    shown = [(a, f) for a, b, _, f in prior if a <= chunk.end and chunk.start <= b]
    prior_text = "\n".join(f"- line {a}: {f.code} {f.name} ({f.category.value})" for a, f in shown)
    schema = critique_schema([c.code for c in checks])
    injection = next((c.code for c in checks if c.name == INJECTION_NAME), "the closest check")
    system = prompts.render(
        "critique_system", nonce=token, injection_code=injection, schema=json.dumps(schema),
        checks="\n".join(f"- {c.code} {c.name} ({c.category.value}): {c.question}" for c in checks),
    )
    user = prompts.render(
        "critique_user", path=unit.path, where=chunk.label, context=context,
        prior=prior_text or "(none)", nonce=token, code=code,
    )
    return _Task(unit, redaction, [{"role": "system", "content": system}, {"role": "user", "content": user}],
                 schema, "findings", chunk=chunk, prior=prior)


def _triage_task(unit: SourceUnit, redaction: Redaction, findings: list[Finding]) -> _Task:
    lines = redaction.lines
    shown: set[int] = set()
    items = []
    for index, finding in enumerate(findings, start=1):
        line = unit.virtual_line(finding.location)
        shown.update(range(max(1, line - TRIAGE_WINDOW), min(len(lines), line + TRIAGE_WINDOW) + 1))
        message = redaction.scrub(finding.message)
        items.append(f"- id {index}: line {line}: {finding.code} {finding.name}: {message}")
    blocks: list[str] = []
    previous = 0
    for n in sorted(shown):
        if previous and n != previous + 1:
            blocks.append("  ...")
        blocks.append(number(lines, [n]))
        previous = n
    code = "\n".join(blocks)
    token = prompts.nonce(code)
    schema = triage_schema()
    system = prompts.render("triage_system", nonce=token, schema=json.dumps(schema))
    user = prompts.render("triage_user", path=unit.path, findings="\n".join(items), nonce=token, code=code)
    return _Task(unit, redaction, [{"role": "system", "content": system}, {"role": "user", "content": user}],
                 schema, "verdicts", triaged=list(findings))


def _same_place(a: Finding, b: Finding) -> bool:
    return (a.code, a.location.line, a.location.cell) == (b.code, b.location.line, b.location.cell)


def _injection_code(pack: Pack) -> str:
    return next((c.code for c in pack.checks if c.name == INJECTION_NAME), "")


def _injections(unit: SourceUnit, lines: list[str], pack: Pack) -> list[Finding]:
    """Text addressed to an AI reviewer, found without asking one (the model may have obeyed it);
    anywhere in the unit, also in docstrings and comments no chunk covers."""
    check = pack.get(_injection_code(pack))
    if check is None:
        return []
    out = []
    for n, text in enumerate(lines, start=1):
        match = _INJECTION.search(text) or _AI_ADDRESSED.search(text)
        if match is None:
            continue
        evidence = text.strip()
        column = text.find(evidence) + 1
        out.append(Finding(
            code=check.code, name=check.name,
            message=f"Text addressed to an AI reviewer ({match.group(0)!r}); it was treated as "
                    "data, not followed, but it may steer other AI tools: remove it",
            location=unit.location(n, column, n, column + len(evidence)),
            source=Source.LLM, category=check.category, severity=check.severity,
            confidence=Confidence.MEDIUM, cwe=check.cwe, evidence=evidence, sources=(Source.LLM,),
        ))
    return out


def _usage(session: _Session, settings: LLMSettings, dropped: Counter[str], requests: int,
           excluded: int, triaged: int) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "model": session.client.model,
        "requests": session.requests,
        "tokens_in": session.tokens_in,
        "tokens_out": session.tokens_out,
        "cache_hits": session.cache_hits,
        "planned": requests,
        "skipped": session.skipped,
        "rejected": session.rejected,
        "dropped": dict(sorted(dropped.items())),
        "excluded_files": excluded,
        "triaged": triaged,
    }
    if settings.price_per_1k_input or settings.price_per_1k_output:
        cost = (session.tokens_in * settings.price_per_1k_input
                + session.tokens_out * settings.price_per_1k_output) / 1000
        usage["cost"] = round(cost, 6)
    if settings.budget_tokens:
        usage["budget_tokens"] = settings.budget_tokens
        usage["budget_exhausted"] = session.budget_exhausted
    if session.dry_run:
        usage["dry_run"] = True
    return usage


def _errors(session: _Session, unanswered: int, total: int) -> list[ToolError]:
    """One ToolError per kind of problem, however many requests it hit."""
    out = []
    for kind, (message, count) in session.failures.items():
        if kind == "invalid-reply":
            text = f"{count} model {'reply was' if count == 1 else 'replies were'} rejected: {message}"
        else:
            text = f"{kind}: {message}" + (f" ({count} requests)" if count > 1 else "")
        out.append(ToolError("llm", f"{text}; {unanswered} of {total} LLM requests got no usable "
                                    "answer, static findings are complete"))
    return out


def _open_cache(config: Config, notes: list[str]) -> ReplyCache | None:
    if not config.cache:
        return None
    directory = Path(config.cache_dir)
    if not directory.is_absolute():
        directory = Path(config.root) / directory
    try:
        return ReplyCache(directory)
    except (OSError, ValueError) as exc:
        notes.append(f"LLM cache disabled: cannot use {directory}: {exc}")
        return None
