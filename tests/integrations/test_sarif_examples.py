"""`reviewer scan examples/ --format sarif` validates against the official SARIF 2.1.0 schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def test_examples_sarif_is_valid(tmp_path: Path) -> None:
    if not SCHEMA.is_file():
        pytest.fail(f"SARIF schema not found at {SCHEMA}; it is committed under tests/data")
    out = tmp_path / "examples.sarif"
    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "scan", "examples/", "--format", "sarif", "--output", str(out),
         "--no-cache", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 1, done.stderr  # error-level findings, no tool errors
    sarif = json.loads(out.read_text())
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) >= 12
    assert all(r["partialFingerprints"]["reviewer/v1"] for r in results)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "CWE-502" in rules["RV102"]["properties"]["tags"]
