"""One realistic Report shared by the report tests and golden files, and its source lines.

Engine findings use only RV201, and the ruff/bandit codes have no engine equivalent (so the real
pipeline would not merge them away): new engine rules never change these golden files.
Severities, categories and names follow the ruff and bandit adapters in reviewer.tools.
"""

from __future__ import annotations

from dataclasses import replace

from reviewer.model import (
    Applicability,
    Category,
    Confidence,
    Edit,
    Finding,
    Fix,
    Location,
    Report,
    Severity,
    Source,
    ToolError,
)

RUFF_DOCS = "https://docs.astral.sh/ruff/rules"
BANDIT_DOCS = "https://bandit.readthedocs.io/en/1.7.10/plugins"

FINDINGS = (
    Finding(
        code="F401",
        name="unused-import",
        message="`os` imported but unused",
        location=Location("app/config.py", 3, 8, 3, 10),
        source=Source.RUFF,
        category=Category.CORRECTNESS,
        severity=Severity.NOTE,
        url=f"{RUFF_DOCS}/unused-import",
        fix=Fix("Remove unused import: `os`", (Edit(3, 1, 4, 1, ""),), Applicability.SAFE),
        fingerprint="4c1d8e0a9b7f2e6d3a51",
        sources=(Source.RUFF,),
    ),
    Finding(  # bandit and ruff agreed: merged, bandit's richer finding survives
        code="B324",
        name="hashlib",
        message="Use of weak MD5 hash for security. Consider usedforsecurity=False",
        location=Location("app/loader.py", 14, 14, 14, 34),
        source=Source.BANDIT,
        category=Category.SECURITY,
        severity=Severity.ERROR,
        confidence=Confidence.HIGH,
        cwe=(327,),
        url=f"{BANDIT_DOCS}/b324_hashlib.html",
        fingerprint="9e2b7c41d0a3f58e6b12",
        also=("S324",),
        sources=(Source.BANDIT, Source.RUFF),
    ),
    Finding(
        code="S608",
        name="hardcoded-sql-expression",
        message="Possible SQL injection vector through string-based query construction",
        location=Location("app/loader.py", 21, 13, 21, 57),
        source=Source.RUFF,
        category=Category.SECURITY,
        severity=Severity.WARNING,
        confidence=Confidence.MEDIUM,
        cwe=(89,),
        url=f"{RUFF_DOCS}/hardcoded-sql-expression",
        fingerprint="07f3a9d2c8b14e65a0d9",
        sources=(Source.RUFF,),
    ),
    Finding(
        code="RV201",
        name="mutable-default-argument",
        message="Mutable default argument is shared between calls; default to None instead",
        location=Location("app/loader.py", 30, 27, 30, 29),
        fix=Fix("Default `cache` to None and create the object inside the function"),
        fingerprint="b5e0c6f19a2d7384c3e7",
        sources=(Source.REVIEWER,),
    ),
    Finding(
        code="RV201",
        name="mutable-default-argument",
        message="Mutable default argument is shared between calls; default to None instead",
        location=Location("notebooks/explore.ipynb", 4, 22, 4, 24, cell=2, cell_id="a7f3c2e1"),
        fix=Fix("Default `columns` to None and create the object inside the function"),
        fingerprint="e1d94b0c7a35f2286d4b",
        sources=(Source.REVIEWER,),
    ),
    Finding(
        code="T201",
        name="print",
        message="`print` found",
        location=Location("notebooks/explore.ipynb", 1, 1, 1, 6, cell=4, cell_id="0b9e4d21"),
        source=Source.RUFF,
        category=Category.CORRECTNESS,
        severity=Severity.WARNING,
        confidence=Confidence.MEDIUM,
        url=f"{RUFF_DOCS}/print",
        fix=Fix("Remove `print`", (Edit(1, 1, 1, 21, ""),), Applicability.UNSAFE),
        fingerprint="5a8c2f7e3b9d01c46e28",
        sources=(Source.RUFF,),
    ),
)

REPORT = Report(
    findings=FINDINGS,
    errors=(
        ToolError("reviewer", "syntax error: '(' was never closed", "scripts/broken.py", 3),
        ToolError("bandit", "timed out after 120 s; its findings are missing"),
    ),
    files=(
        "app/__init__.py",
        "app/config.py",
        "app/loader.py",
        "notebooks/explore.ipynb",
        "scripts/broken.py",
    ),
    suppressed=2,
    baselined=1,
    tools={"reviewer": "0.1.0", "ruff": "0.6.9", "bandit": "1.7.10"},
    notes=(
        "LLM review skipped: no model configured.",
        "cache disabled: cannot use .reviewer_cache: read-only file system",
    ),
)

#: The same review with LLM critique on: one grounded LLM finding, the SQL finding triaged as
#: likely false, and the usage every format reports.
LLM_FINDING = Finding(
    code="AI202",
    name="unchecked-failure",
    message="The query result is indexed without checking that a row was found.",
    location=Location("app/loader.py", 22, 12, 22, 47),
    source=Source.LLM,
    category=Category.CORRECTNESS,
    severity=Severity.WARNING,
    confidence=Confidence.MEDIUM,
    cwe=(252,),
    evidence="return db.execute(query).fetchone()[0]",
    fingerprint="c0ffee5e1f2a3b4c5d6e",
    sources=(Source.LLM,),
)
LLM_REPORT = replace(
    REPORT,
    findings=tuple(sorted(
        (
            *(replace(f, triage="likely-false",
                      triage_reason="`name` is checked against an allow-list on line 19.")
              if f.code == "S608" else f for f in FINDINGS),
            LLM_FINDING,
        ),
        key=Finding.sort_key,
    )),
    notes=("cache disabled: cannot use .reviewer_cache: read-only file system",),
    llm={
        "model": "gpt-4.1-mini",
        "requests": 7,
        "tokens_in": 9120,
        "tokens_out": 640,
        "cache_hits": 3,
        "cost": 0.004672,
        "planned": 10,
        "skipped": 0,
        "rejected": 1,
        "dropped": {"duplicate-of-static": 1, "evidence-not-found": 2},
        "excluded_files": 0,
        "triaged": 2,
        "findings": 1,
    },
)

#: (path, cell, line) -> source line, as `reviewer.integrations.snippets.Snippets` would read it.
SOURCE = {
    ("app/config.py", None, 3): "import os",
    ("app/loader.py", None, 14): "    digest = hashlib.md5(payload).hexdigest()",
    ("app/loader.py", None, 21): "    query = f\"SELECT * FROM users WHERE name = '{name}'\"",
    ("app/loader.py", None, 22): "    return db.execute(query).fetchone()[0]",
    ("app/loader.py", None, 30): "def load_all(paths, cache={}):",
    ("notebooks/explore.ipynb", 2, 4): "def plot(df, columns=[]):",
    ("notebooks/explore.ipynb", 4, 1): "print(df.describe())",
}


def lines(location: Location) -> str | None:
    """The `lines` callback of `reviewer.report.render`, backed by SOURCE."""
    return SOURCE.get((location.path, location.cell, location.line))
