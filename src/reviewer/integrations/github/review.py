"""What to post for one run (pure): the inline comments, the review, the sticky summary.

- Inline comments go on lines GitHub accepts (see diffmap), highest severity first, at most
  `max_comments` per run; each ends with a hidden `<!-- reviewer:fp=FINGERPRINT -->` marker, and
  a fingerprint that already has a comment on the PR is never commented again.
- Notebook findings (their lines are cell-relative, not lines of the .ipynb file), findings
  outside the diff and those over the limit are listed in the summary, with cell numbers.
- The summary is one issue comment starting with `<!-- reviewer:summary -->`, updated in place.
  It carries the fingerprints it listed (compressed, hidden), so the next run can name the
  findings that were fixed since.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from reviewer.fixes import OverlappingEdits, apply_edits
from reviewer.integrations.github.diffmap import ChangedFile
from reviewer.model import Applicability, Finding, Report, Source
from reviewer.report.markdown import code, inline
from reviewer.report.text import error_where, triage_text
from reviewer.sources import SourceUnit

SUMMARY_MARKER = "<!-- reviewer:summary -->"
REVIEW_MARKER = "<!-- reviewer:review -->"
_FP_MARKER = re.compile(r"<!-- reviewer:fp=([0-9a-f]+) -->")
_STATE = re.compile(r"<!-- reviewer:state=([A-Za-z0-9_=-]+) -->")
_CODE = re.compile(r"^\*\*([A-Za-z0-9_.-]+)\*\*")
#: GitHub refuses comment bodies over 65,536 characters.
MAX_BODY = 65_000
SUMMARY_ROWS = 100
STATE_BUDGET = 30_000

NOT_INLINE = {
    "notebook": "notebook cell",
    "outside": "outside the diff",
    "limit": "over the inline limit",
    "listed": "listed in an earlier summary",
}


def fingerprint_marker(fingerprint: str) -> str:
    return f"<!-- reviewer:fp={fingerprint} -->"


@dataclass(frozen=True)
class Previous:
    """What earlier runs left on the pull request."""

    commented: Mapping[str, str]  #: fingerprint -> URL (or "") of its inline comment
    reported: Mapping[str, tuple[str, str, str]]  #: fingerprint -> (code, path, where)
    summary_id: int | None = None  #: the sticky summary comment to update
    #: fingerprints the last summary listed: they stay there (a re-run adds no inline comments)
    summarized: frozenset[str] = frozenset()

    #: comments by others that carry the bot's markers: ignored, counted for the job log
    imitations: int = 0

    @classmethod
    def from_comments(cls, review_comments: Iterable[Mapping[str, Any]],
                      issue_comments: Iterable[Mapping[str, Any]], bot: str | None) -> Previous:
        """What the bot itself left: markers count only in comments written by `bot` (the login
        the bot posts as). Anyone can compute fingerprints, so a marker in someone else's
        comment would silence the finding it names; with `bot` unknown, no comment counts."""
        commented: dict[str, str] = {}
        reported: dict[str, tuple[str, str, str]] = {}
        imitations = 0
        review_comments, issue_comments = list(review_comments), list(issue_comments)
        for comment in (*review_comments, *issue_comments):
            body = str(comment.get("body") or "")
            if not _written_by(comment, bot) and (_FP_MARKER.search(body) or body.startswith(SUMMARY_MARKER)):
                imitations += 1
        review_comments = [c for c in review_comments if _written_by(c, bot)]
        issue_comments = [c for c in issue_comments if _written_by(c, bot)]
        for comment in review_comments:
            body = str(comment.get("body") or "")
            for fp in _FP_MARKER.findall(body):
                commented.setdefault(fp, str(comment.get("html_url") or ""))
                match = _CODE.match(body)
                line = comment.get("original_line") or comment.get("line")
                reported.setdefault(fp, (match.group(1) if match else "finding",
                                         str(comment.get("path") or ""),
                                         f"line {line}" if line else ""))
        summary_id = None
        state: dict[str, tuple[str, str, str]] = {}
        for comment in issue_comments:
            body = str(comment.get("body") or "")
            if body.startswith(SUMMARY_MARKER):
                summary_id = int(comment["id"])
                state = decode_state(body)
                break
        reported.update(state)
        return cls(commented, reported, summary_id, frozenset(state) - frozenset(commented), imitations)


def _written_by(comment: Mapping[str, Any], bot: str | None) -> bool:
    user = comment.get("user")
    login = user.get("login") if isinstance(user, Mapping) else None
    return bot is not None and isinstance(login, str) and login.lower() == bot.lower()


@dataclass
class Placed:
    finding: Finding
    line: int | None = None  #: head line of the inline comment
    reason: str = ""  #: a NOT_INLINE key, "earlier" (commented on a past run) or "" (inline now)


@dataclass
class Plan:
    head_sha: str
    review: dict[str, Any] | None  #: body of POST /pulls/N/reviews, None when nothing to post
    summary: str  #: the sticky comment's body
    summary_id: int | None  #: update this comment, or create one when None
    placed: list[Placed] = field(default_factory=list)
    fixed: list[tuple[str, str, str]] = field(default_factory=list)


def order(findings: Iterable[Finding]) -> list[Finding]:
    """Highest severity first, then confidence, then location."""
    return sorted(findings, key=lambda f: (-f.severity.rank, -f.confidence.rank, f.sort_key()))


def plan(report: Report, files: Mapping[str, ChangedFile], units: Mapping[str, SourceUnit],
         previous: Previous, *, head_sha: str, max_comments: int,
         notes: Iterable[str] = ()) -> Plan:
    placed: list[Placed] = []
    budget = max(max_comments, 0)
    for finding in order(report.findings):
        loc = finding.location
        if finding.fingerprint in previous.commented:
            placed.append(Placed(finding, reason="earlier"))
            continue
        if loc.cell is not None:
            placed.append(Placed(finding, reason="notebook"))
            continue
        changed = files.get(loc.path)
        line = next((n for n in (loc.line, loc.end_line) if n and changed and changed.accepts(n)),
                    None)
        if line is None:
            placed.append(Placed(finding, reason="outside"))
        elif finding.fingerprint in previous.summarized:
            placed.append(Placed(finding, reason="listed"))
        elif budget:
            budget -= 1
            placed.append(Placed(finding, line=line))
        else:
            placed.append(Placed(finding, reason="limit"))
    current = {f.fingerprint for f in report.findings}
    broken = {e.path for e in report.errors if e.path}
    fixed = [entry for fp, entry in previous.reported.items()
             if fp not in current and entry[1] not in broken]
    comments = [_comment(p, units.get(p.finding.location.path), files.get(p.finding.location.path))
                for p in placed if p.reason == ""]
    review = None
    if comments:
        review = {"commit_id": head_sha, "event": "COMMENT",
                  "body": review_body(placed), "comments": comments}
    summary = summary_body(report, placed, fixed, head_sha=head_sha, notes=notes)
    return Plan(head_sha, review, summary, previous.summary_id, placed, fixed)


def remaining(review: dict[str, Any], already: Mapping[str, str]) -> dict[str, Any] | None:
    """The review without the comments whose fingerprint is now on the PR (a lost response)."""
    left = [c for c in review["comments"]
            if not any(fp in already for fp in _FP_MARKER.findall(c["body"]))]
    if not left:
        return None
    return {**review, "comments": left}


# --- bodies ---------------------------------------------------------------------------------

def _comment(placed: Placed, unit: SourceUnit | None, changed: ChangedFile | None) -> dict[str, Any]:
    """One inline comment; with a suggestion, on the lines the suggestion replaces."""
    finding, line = placed.finding, placed.line or 0
    suggestion = suggested_lines(finding, unit, changed)
    comment: dict[str, Any] = {"path": finding.location.path, "line": line, "side": "RIGHT",
                               "body": comment_body(finding, line, unit, suggestion)}
    if suggestion is not None:
        start, end, _ = suggestion
        comment["line"] = end
        if start != end:
            comment.update(start_line=start, start_side="RIGHT")
    return comment


def comment_body(finding: Finding, line: int, unit: SourceUnit | None,
                 suggestion: tuple[int, int, str] | None = None) -> str:
    origin = (f" · LLM, {finding.confidence.value} confidence"
              if finding.source is Source.LLM else "")
    out = [(f"**{finding.code}** `{finding.name}` · {finding.severity.value} · "
           f"{finding.category.value}{origin}"), "", inline(finding.message)]
    if finding.triage:
        out += ["", f"_LLM triage: {inline(triage_text(finding))}_"]
    if suggestion is not None:
        text = suggestion[2]
        fence = "````" if "```" in text else "```"
        if finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE:
            out += ["", "Unsafe fix (it may change behaviour; check before you commit it): "
                        f"{inline(finding.fix.description)}"]
        out += ["", f"{fence}suggestion", text, fence]
    elif finding.fix is not None and finding.fix.description:
        out += ["", f"Fix: {inline(finding.fix.description)}"]
    extra = []
    if finding.url:
        extra.append(f"[{inline(finding.code)} documentation]({_url(finding.url)})")
    if finding.also:
        extra.append("also " + ", ".join(inline(c) for c in finding.also))
    if finding.cwe:
        extra.append(", ".join(f"CWE-{c}" for c in finding.cwe))
    if extra:
        out += ["", "<sub>" + " · ".join(extra) + "</sub>"]
    out.append(fingerprint_marker(finding.fingerprint))
    return "\n".join(out)


#: Longest suggestion shown inline (GitHub shows more, but a reviewer should read every line).
MAX_SUGGESTION_LINES = 40


def suggested_lines(finding: Finding, unit: SourceUnit | None,
                    changed: ChangedFile | None) -> tuple[int, int, str] | None:
    """(first line, last line, their text with the fix applied) for a fix whose edits all fall
    in one run of commentable lines of the diff; None otherwise (and for notebooks)."""
    fix = finding.fix
    if (fix is None or unit is None or unit.is_notebook or not fix.edits or changed is None
            or fix.applicability is Applicability.DISPLAY):
        return None
    start = min(e.line for e in fix.edits)
    # An edit that ends at column 1 of a later line (a deleted line) does not touch that line.
    end = max(e.end_line - 1 if e.end_column == 1 and e.end_line > e.line else e.end_line for e in fix.edits)
    end = max(end, start)
    if end - start + 1 > MAX_SUGGESTION_LINES or not all(changed.accepts(n) for n in range(start, end + 1)):
        return None
    original = "".join(unit.line_text(n) + "\n" for n in range(start, end + 1))
    shifted = [replace(e, line=e.line - start + 1, end_line=e.end_line - start + 1) for e in fix.edits]
    try:
        text = apply_edits(original, shifted)
    except (OverlappingEdits, IndexError):
        return None
    return start, end, text.removesuffix("\n")


def review_body(placed: list[Placed]) -> str:
    now = sum(p.reason == "" for p in placed)
    listed = sum(p.reason in NOT_INLINE for p in placed)
    tail = f"; {listed} more in the summary comment" if listed else ""
    return (f"**reviewer**: {_plural(now, 'new finding')} commented below{tail}.\n"
            f"{REVIEW_MARKER}")


def summary_body(report: Report, placed: list[Placed], fixed: list[tuple[str, str, str]], *,
                 head_sha: str, notes: Iterable[str] = (), marker: bool = True,
                 max_rows: int = SUMMARY_ROWS) -> str:
    """The sticky comment (and, without the markers, the job summary)."""
    findings = report.findings
    out = [SUMMARY_MARKER] if marker else []
    if findings:
        counts = ", ".join(_plural(n, s) for s, n in report.counts().items() if n)
        out.append(f"### reviewer: {_plural(len(findings), 'new finding')} ({counts})")
    else:
        out.append("### reviewer: no new findings")
    out.append("")
    reviewed = _plural(len(report.files), "changed Python file or notebook",
                       "changed Python files and notebooks")
    line = f"Reviewed {reviewed} at `{head_sha[:12]}`."
    if report.out_of_scope:
        verb = "is" if report.out_of_scope == 1 else "are"
        line += (f" {_plural(report.out_of_scope, 'finding')} already there before this pull "
                 f"request {verb} not counted.")
    out.append(line)
    now = sum(p.reason == "" for p in placed)
    earlier = sum(p.reason == "earlier" for p in placed)
    if now or earlier:
        parts = [f"{now} commented inline in this review" if now else "",
                 f"{earlier} commented inline on an earlier push" if earlier else ""]
        out += ["", "- " + "; ".join(p for p in parts if p) + "."]
    rows = [p for p in placed if p.reason in NOT_INLINE]
    if rows:
        out += ["", "#### Not commented inline", "",
                "| Where | Code | Severity | Message | Why |", "| :-- | :-- | :-- | :-- | :-- |"]
        out += [_row(p) for p in rows[:max_rows]]
        if len(rows) > max_rows:
            out += ["", (f"_... and {len(rows) - max_rows} more, listed in the job summary and "
                        "the SARIF file._")]
    if fixed:
        out += ["", "#### Fixed since the last review", ""]
        out += [f"- ~~{code(c)}~~ in {code(p, table=False)}{' ' + w if w else ''}"
                for c, p, w in sorted(fixed, key=lambda e: (e[1], e[0], e[2]))[:max_rows]]
    if report.errors:
        out += ["", (f"> [!WARNING]\n> {_plural(len(report.errors), 'tool error')}: part of the "
                    "change was not reviewed.\n>")]
        for error in report.errors:
            place = error_where(error)
            out.append(f"> - **{inline(error.tool)}**{' ' + code(place) if place else ''}: "
                       f"{inline(error.message)}")
    extra_notes = list(notes)
    if report.notes or extra_notes:
        out += [""] + [f"- {inline(n)}" for n in (*report.notes, *extra_notes)]
    if report.tools:
        out += ["", "<sub>" + " · ".join(f"{inline(k)} {inline(v)}"
                                        for k, v in report.tools.items()) + "</sub>"]
    if marker:
        state = {p.finding.fingerprint: _entry(p.finding) for p in placed}
        out.append(encode_state(state))
    body = "\n".join(out)
    if len(body) > MAX_BODY and max_rows > 10:
        return summary_body(report, placed, fixed, head_sha=head_sha, notes=extra_notes,
                            marker=marker, max_rows=max_rows // 2)
    return body


def _row(p: Placed) -> str:
    f = p.finding
    loc = f.location
    where = f"line {loc.line}" if loc.cell is None else f"cell {loc.cell + 1}, line {loc.line}"
    rule = f"[{code(f.code)}]({_url(f.url)})" if f.url else code(f.code)
    return (f"| {code(loc.path)} {where} | {rule} | {f.severity.value} | {inline(f.message)} | "
            f"{NOT_INLINE[p.reason]} |")


def _entry(finding: Finding) -> tuple[str, str, str]:
    loc = finding.location
    where = f"line {loc.line}" if loc.cell is None else f"cell {loc.cell + 1}, line {loc.line}"
    return finding.code, loc.path, where


def encode_state(state: Mapping[str, tuple[str, str, str]]) -> str:
    """Hidden, compressed `{fingerprint: [code, path, where]}`; trimmed to a size budget."""
    items = list(state.items())
    while True:
        raw = json.dumps({"v": 1, "reported": dict(items)}, separators=(",", ":")).encode()
        text = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode()
        if len(text) <= STATE_BUDGET or not items:
            return f"<!-- reviewer:state={text} -->"
        items = items[: len(items) * 3 // 4]


def decode_state(body: str) -> dict[str, tuple[str, str, str]]:
    match = _STATE.search(body)
    if not match:
        return {}
    try:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(match.group(1))))
        return {str(fp): (str(e[0]), str(e[1]), str(e[2])) for fp, e in data["reported"].items()}
    except (ValueError, KeyError, TypeError, IndexError, zlib.error):
        return {}  # an edited or foreign marker: forget it, never fail the run


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace(")", "%29").replace("|", "%7C")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
