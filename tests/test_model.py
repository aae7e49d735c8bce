"""Finding/Report JSON round-trip and the contract's strictness."""

from __future__ import annotations

import json

import pytest

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


def _finding(**overrides: object) -> Finding:
    values: dict[str, object] = dict(
        code="RV102",
        name="yaml-unsafe-load",
        message="yaml.load without a safe loader",
        location=Location("app/config.py", 12, 5, 12, 30, cell=None),
        source=Source.REVIEWER,
        category=Category.SECURITY,
        severity=Severity.ERROR,
        confidence=Confidence.HIGH,
        cwe=(502,),
        fix=Fix("Use yaml.safe_load", (Edit(12, 5, 12, 30, "yaml.safe_load(x)"),), Applicability.SAFE),
        fingerprint="abc",
        also=("B506", "S506"),
        sources=(Source.REVIEWER, Source.BANDIT, Source.RUFF),
    )
    values.update(overrides)
    return Finding(**values)  # type: ignore[arg-type]


def test_finding_round_trips_through_json() -> None:
    finding = _finding()
    data = json.loads(json.dumps(finding.to_dict()))
    assert data["severity"] == "error" and data["fix"]["edits"][0]["content"] == "yaml.safe_load(x)"
    assert Finding.from_dict(data) == finding


def test_notebook_location_round_trips() -> None:
    finding = _finding(location=Location("nb.ipynb", 2, 1, 2, 9, cell=3, cell_id="a1b2"), fix=None)
    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))) == finding


def test_report_round_trips_with_errors_and_counts() -> None:
    report = Report(
        findings=(_finding(), _finding(code="RV201", severity=Severity.NOTE, fix=None)),
        errors=(ToolError("bandit", "syntax error", "x.py", 3),),
        files=("app/config.py", "x.py"),
        suppressed=2,
        baselined=1,
        tools={"reviewer": "0.1.0"},
        notes=("static only",),
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema_version"] == 1
    assert Report.from_dict(data) == report
    assert report.counts() == {"error": 1, "warning": 0, "note": 1}


def test_unknown_keys_are_rejected() -> None:
    data = _finding().to_dict()
    data["severity_level"] = "high"
    with pytest.raises(ValueError, match="unknown keys"):
        Finding.from_dict(data)


def test_bad_enum_value_is_rejected() -> None:
    data = _finding().to_dict()
    data["severity"] = "critical"
    with pytest.raises(ValueError):
        Finding.from_dict(data)
