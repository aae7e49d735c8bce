"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, rules, results, fixes.

Notebook findings keep cell-relative lines (with `properties.cell` and a `Cell N: ` message
prefix); they carry no `fixes`, since their edits are not positions in the .ipynb file itself.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from reviewer import __version__
from reviewer.engine.registry import find_rule
from reviewer.llm.pack import PackError, load_pack
from reviewer.model import Edit, Finding, Location, Report, Severity, ToolError

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "reviewer/v1"
#: GitHub ranks security alerts by this score (a string, 0.0 to 10.0).
_SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.NOTE: "2.0"}
_DRIVE = re.compile(r"^[A-Za-z]:/")
_HEADING = re.compile(r"^#+ ", re.MULTILINE)

JSON = dict[str, Any]


def render(report: Report) -> str:
    """The SARIF log as indented JSON (keys in SARIF's customary order, ASCII only)."""
    return json.dumps(sarif_log(report), indent=2) + "\n"


def sarif_log(report: Report) -> JSON:
    """The SARIF log as a dict."""
    findings = sorted(report.findings, key=Finding.sort_key)
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    codes = sorted(by_code)
    driver: JSON = {
        "name": "reviewer",
        "version": report.tools.get("reviewer", __version__),
        "rules": [_rule(by_code[code]) for code in codes],
    }
    index = {code: i for i, code in enumerate(codes)}
    run: JSON = {
        "tool": {"driver": driver},
        "invocations": [_invocation(report)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.code]) for f in findings],
        "properties": {
            "tools": dict(report.tools),
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "outOfScope": report.out_of_scope,
            "superseded": len(report.superseded),
        },
    }
    if report.llm:
        run["properties"]["llm"] = dict(report.llm)
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(occurrences: list[Finding]) -> JSON:
    """The rule's descriptor: our docs when the engine knows the code, else its name and URL
    (never an occurrence's message, which may quote that occurrence's code)."""
    first = occurrences[0]
    rule = find_rule(first.code)
    url = next((f.url for f in occurrences if f.url), None)
    if rule is not None:
        docs = rule.docs()
        name, level, confidence, cwe = rule.NAME, rule.SEVERITY, rule.CONFIDENCE, rule.CWE
        short = rule.summary()
        full = _section(docs, "What it does") or short
        help_text, help_md = _HEADING.sub("", docs), docs
        category = rule.CATEGORY
    else:
        name, level, confidence, cwe = first.name, first.severity, first.confidence, first.cwe
        category = first.category
        short = _humanize(first.name) or first.code
        full = _llm_question(first.code) or f"{first.source.value} rule {first.code} ({first.name})."
        help_text = full + (f" Documentation: {url}" if url else "")
        help_md = f"`{first.code}` `{first.name}` ({first.source.value})" + (
            f"\n\n[Documentation]({url})" if url else ""
        )
    props: JSON = {
        "tags": list(dict.fromkeys([category.value, *(f"CWE-{n}" for n in cwe)])),
        "precision": confidence.value,
    }
    if category.value == "security":
        props["security-severity"] = _SECURITY_SEVERITY[level]
    return {
        "id": first.code,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        **({"helpUri": url} if url else {}),
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level.value},
        "properties": props,
    }


def _result(finding: Finding, rule_index: int) -> JSON:
    loc = finding.location
    message = finding.message if loc.cell is None else f"Cell {loc.cell + 1}: {finding.message}"
    props: JSON = {
        "category": finding.category.value,
        "confidence": finding.confidence.value,
        "source": finding.source.value,
        "sources": [s.value for s in dict.fromkeys(finding.sources or (finding.source,))],
        "also": list(finding.also),
    }
    if finding.triage:
        props["triage"] = finding.triage
        props["triageReason"] = finding.triage_reason or ""
    if finding.evidence:
        props["evidence"] = finding.evidence
    if loc.cell is not None:
        props["cell"] = loc.cell
        if loc.cell_id:
            props["cellId"] = loc.cell_id
    out: JSON = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": message},
        "locations": [{"physicalLocation": _physical(loc.path, _region(loc))}],
    }
    if finding.fingerprint:
        out["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.superseded_by:  # listed only on request (--show-superseded)
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": f"superseded by {finding.superseded_by}"}]
    if finding.fix is not None and finding.fix.edits and loc.cell is None:
        out["fixes"] = [
            {
                "description": {"text": finding.fix.description},
                # Ruff's vocabulary: `safe` fixes are applied by `reviewer fix`, `unsafe` ones only
                # with --unsafe-fixes.
                "properties": {"applicability": finding.fix.applicability.value},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact(loc.path),
                        "replacements": [_replacement(edit) for edit in finding.fix.edits],
                    }
                ],
            }
        ]
    out["properties"] = props
    return out


def _invocation(report: Report) -> JSON:
    notifications = [_notification(error) for error in report.errors]
    notifications += [{"level": "note", "message": {"text": note}} for note in report.notes]
    out: JSON = {"executionSuccessful": not report.errors}
    if notifications:
        out["toolExecutionNotifications"] = notifications
    return out


def _notification(error: ToolError) -> JSON:
    out: JSON = {"level": "error", "message": {"text": f"[{error.tool}] {error.message}"}}
    if error.path is not None:
        region = {"startLine": error.line} if error.line is not None else None
        out["locations"] = [{"physicalLocation": _physical(error.path, region)}]
    props: JSON = {"tool": error.tool}
    if error.cell is not None:
        props["cell"] = error.cell
    out["properties"] = props
    return out


def artifact(path: str) -> JSON:
    """A relative path resolves against %SRCROOT%; absolute paths become file: URIs."""
    posix = path.replace("\\", "/")
    if _DRIVE.match(posix):
        return {"uri": "file:///" + quote(posix, safe="/:")}
    if posix.startswith("/"):
        return {"uri": "file://" + quote(posix, safe="/")}
    return {"uri": quote(posix.removeprefix("./"), safe="/"), "uriBaseId": "%SRCROOT%"}


def _physical(path: str, region: JSON | None) -> JSON:
    out: JSON = {"artifactLocation": artifact(path)}
    if region:
        out["region"] = region
    return out


def _region(loc: Location) -> JSON:
    region: JSON = {"startLine": loc.line, "startColumn": loc.column}
    if loc.end_line is not None:
        region["endLine"] = loc.end_line
    if loc.end_column is not None:
        region["endColumn"] = loc.end_column
    return region


def _replacement(edit: Edit) -> JSON:
    deleted = {
        "startLine": edit.line,
        "startColumn": edit.column,
        "endLine": edit.end_line,
        "endColumn": edit.end_column,
    }
    return {"deletedRegion": deleted, "insertedContent": {"text": edit.content}}


def _section(docs: str, title: str) -> str:
    """The body of the `## title` section of a rule's docs, as one paragraph of plain text."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", docs, re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def _llm_question(code: str) -> str | None:
    """The question an LLM check (AI###) asks, as its SARIF description."""
    if not code.startswith("AI"):
        return None
    try:
        check = load_pack().get(code)
    except (OSError, PackError):
        return None
    return f"LLM check: {check.question}" if check else None


def _humanize(name: str) -> str:
    """`unused-import` -> `Unused import` (a title for tool rules we have no docs for)."""
    text = " ".join(w for w in name.replace("_", "-").split("-") if w)
    return text[:1].upper() + text[1:]
