"""`reviewer scan --llm` end to end against the local server: grounded LLM findings next to static
ones in JSON, SARIF (schema-valid) and text; dry run, triage filter, --verbose, the offline note."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FakeLLM, Reply, claim, code_lines, findings

from reviewer.integrations.cli import main
from reviewer.llm import OFF_NOTE
from reviewer.model import Report
from reviewer.report import render

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def examples_responder(body: dict[str, Any]) -> Reply:
    """A model that knows one thing: fetch_ticket() in examples never checks the status."""
    if body["response_format"]["json_schema"]["name"] != "findings":
        return Reply({"verdicts": []})
    lines = code_lines(body)
    start = next((n for n, text in lines.items() if text.startswith("def fetch_ticket(")), None)
    if start is None:
        return findings()
    line = next(n for n, text in sorted(lines.items()) if n > start and "return response.json()" in text)
    return findings(claim("AI202", line, "return response.json()",
                          message="The HTTP status is never checked before the body is parsed."))


def _scan(llm_server: FakeLLM, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer", "scan", "examples/", "--llm", "--base-url", llm_server.url,
         "--model", "M", "--no-cache", "--quiet", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )


def test_scan_examples_shows_grounded_llm_findings_in_json_sarif_and_text(llm_server: FakeLLM) -> None:
    llm_server.responder = examples_responder
    done = _scan(llm_server, "--format", "json")
    assert done.returncode == 1, done.stderr  # error-level findings, no tool errors
    report = json.loads(done.stdout)
    assert report["errors"] == []
    ai = [f for f in report["findings"] if f["source"] == "llm"]
    assert [(f["code"], f["location"]["path"], f["location"]["line"], f["confidence"]) for f in ai] == [
        ("AI202", "examples/support_bot/client.py", 17, "medium")]
    assert ai[0]["evidence"] == "return response.json()" and ai[0]["fingerprint"]
    assert {"RV101", "RV102", "RV103", "RV105"} <= {f["code"] for f in report["findings"]}
    assert report["llm"]["model"] == "M" and report["llm"]["requests"] == len(llm_server.requests) > 1
    assert report["llm"]["findings"] == 1

    sarif_run = _scan(llm_server, "--format", "sarif")
    sarif = json.loads(sarif_run.stdout)
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(sarif)
    run = sarif["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "AI202"]
    assert result["properties"]["source"] == "llm" and result["properties"]["evidence"]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "AI202")
    assert rule["fullDescription"]["text"].startswith("LLM check: ")
    assert run["properties"]["llm"]["model"] == "M"

    # The text view of the same report (a third scan would only repeat the static analysis).
    text = render("text", Report.from_dict({k: v for k, v in report.items() if k != "summary"}))
    assert "AI202  warning  The HTTP status is never checked before the body is parsed.  [llm]" in text
    assert "LLM critique (model M): " in text


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n"
                                            "[tool.reviewer]\nruff = false\nbandit = false\n")
    (tmp_path / "app.py").write_text(
        "import subprocess\n\n"
        f'API_KEY = "{"sk-" + "proj-" + "Q8mZ2xL7kP4rT9vB1nC6wY3d"}"\n\n'
        "def run(cmd):\n    subprocess.run(cmd, shell=True)\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_dry_run_prints_what_would_be_sent_and_sends_nothing(
    project: Path, llm_server: FakeLLM, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", ".", "--llm-dry-run", "--llm-triage", "--model", "M", "--base-url", llm_server.url,
                 "--quiet", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 0
    assert llm_server.requests == []
    assert out.count("=== request ") == 2 and "response_format=verdicts" in out
    assert "--- system ---" in out and "BEGIN CODE" in out and "subprocess.run(cmd, shell=True)" in out
    assert 'API_KEY = "<redacted:api-key>"' in out and "Q8mZ2x" not in out
    assert "dry run: 2 requests would be sent" in err and "nothing was sent" in err


def test_hide_triaged_and_verbose(project: Path, llm_server: FakeLLM, capsys: pytest.CaptureFixture[str]) -> None:
    def responder(body: dict[str, Any]) -> Reply:
        if body["response_format"]["json_schema"]["name"] == "verdicts":
            user = body["messages"][1]["content"]
            ids = {code: int(re.search(rf"- id (\d+): line \d+: {code} ", user).group(1))
                   for code in ("RV101", "RV103")}
            return Reply({"verdicts": [
                {"id": ids["RV103"], "verdict": "likely-false", "reason": "Constant input."},
                {"id": ids["RV101"], "verdict": "likely-true", "reason": "A real key."}]})
        return findings(claim("AI201", 99, "nothing"))

    llm_server.responder = responder
    args = ["scan", ".", "--llm-triage", "--model", "M", "--base-url", llm_server.url, "--quiet",
            "--no-cache", "--format", "json"]
    main(args)
    report = json.loads(capsys.readouterr().out)
    marks = {f["code"]: (f["triage"], f["triage_reason"]) for f in report["findings"]}
    assert marks["RV103"] == ("likely-false", "Constant input.")
    assert marks["RV101"] == ("likely-true", "A real key.")
    main([*args, "--hide-triaged", "--verbose"])
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert "RV103" not in {f["code"] for f in report["findings"]}
    assert "1 finding judged likely false by LLM triage hidden (--hide-triaged)." in report["notes"]
    assert "dropped by grounding: 1 outside-chunk" in err


def test_offline_by_default_one_line_says_how_to_enable(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["scan", ".", "--quiet", "--no-cache"])
    out = capsys.readouterr().out
    assert out.rstrip("\n").splitlines()[-1] == OFF_NOTE
    assert "LLM critique (" not in out


def test_llm_without_a_model_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", ".", "--llm", "--quiet"]) == 2
    assert "LLM critique needs a model" in capsys.readouterr().err


def test_explain_shows_an_llm_checks_question_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "ai202"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("AI202 unchecked-failure (correctness, at most warning, CWE: CWE-252)")
    assert "The model is asked:" in out and "## Flagged" in out and "## Not flagged" in out
