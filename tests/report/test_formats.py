"""Format contracts beyond the golden files: SARIF schema, JSON round-trip, escaping, edge cases."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from sample import FINDINGS, LLM_REPORT, REPORT, lines

from reviewer.model import Location, Report, ToolError
from reviewer.report import FORMATS, github, markdown, render, sarif, text

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
ANSI = "\x1b["
SQL = next(f for f in FINDINGS if f.code == "S608")  # a ruff warning without a fix


def _validate_sarif(output: str) -> None:
    if not SARIF_SCHEMA.exists():
        pytest.fail(f"SARIF 2.1.0 schema not found at {SARIF_SCHEMA}; it is needed to validate output")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(json.loads(output)), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("report", [REPORT, LLM_REPORT, Report()], ids=["sample", "llm", "empty"])
def test_sarif_validates_against_the_official_schema(report: Report) -> None:
    _validate_sarif(render("sarif", report))


def test_sarif_rules_and_results_line_up() -> None:
    run = json.loads(render("sarif", REPORT))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f.code for f in FINDINGS})
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    ours = next(r for r in rules if r["id"] == "RV201")
    assert "## Why is this bad?" in ours["help"]["markdown"]
    security = next(r for r in rules if r["id"] == "B324")
    assert security["properties"]["security-severity"] == "8.0"
    assert security["properties"]["tags"] == ["security", "CWE-327"]
    assert security["helpUri"].startswith("https://")
    notebook = [r for r in run["results"] if "cell" in r["properties"]]
    assert notebook and all(r["message"]["text"].startswith("Cell ") for r in notebook)
    assert all("fixes" not in r for r in notebook), "cell-relative edits are not .ipynb positions"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_uris_are_relative_and_encoded() -> None:
    assert sarif.artifact("src\\my app\\x.py") == {"uri": "src/my%20app/x.py", "uriBaseId": "%SRCROOT%"}
    assert sarif.artifact("/abs/x.py") == {"uri": "file:///abs/x.py"}
    assert sarif.artifact("C:\\work\\x.py") == {"uri": "file:///C:/work/x.py"}


def test_json_round_trips_an_llm_report() -> None:
    data = json.loads(render("json", LLM_REPORT))
    data.pop("summary")
    assert Report.from_dict(data) == LLM_REPORT


def test_json_round_trips_to_an_equal_report() -> None:
    data = json.loads(render("json", REPORT))
    summary = data.pop("summary")
    assert Report.from_dict(data) == REPORT
    assert summary == {"files": 5, "findings": 6, "error": 1, "warning": 4, "note": 1, "errors": 2}


def test_github_escapes_data_and_properties() -> None:
    finding = replace(
        SQL,
        message="100% sure:\r\nline two, really",
        location=Location("dir,with:odd/mod.py", 7, 3),
    )
    out = github.render(Report(findings=(finding,)))
    first = out.splitlines()[0]
    assert first == (
        "::warning file=dir%2Cwith%3Aodd/mod.py,line=7,col=3,title=S608 hardcoded-sql-expression"
        "::100%25 sure:%0D%0Aline two, really"
    )
    assert len(out.splitlines()) == 2, "a newline in a message must never start a new command"
    assert github.escape_property("a%b:c,d\ne") == "a%25b%3Ac%2Cd%0Ae"


def test_github_multiline_findings_have_no_columns() -> None:
    finding = replace(SQL, location=Location("m.py", 3, 2, 5, 9))
    assert github.render(Report(findings=(finding,))).startswith(
        "::warning file=m.py,line=3,endLine=5,title=S608 hardcoded-sql-expression::"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_report_renders_sensibly(fmt: str) -> None:
    out = render(fmt, Report(files=("a.py", "b.py")))
    assert out.endswith("\n") and out.strip()
    if fmt in ("text", "markdown", "github"):
        assert "No findings in 2 files." in out
    if fmt == "json":
        assert json.loads(out)["summary"]["findings"] == 0
    if fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"] == []


def test_colour_codes_only_with_color() -> None:
    for fmt in FORMATS:
        assert ANSI not in render(fmt, REPORT, lines=lines), fmt
    coloured = render("text", REPORT, color=True, lines=lines)
    assert f"{ANSI}31merror" in coloured and f"{ANSI}33mwarning" in coloured
    assert f"{ANSI}34mnote" in coloured


def test_unknown_format_names_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="text, json, sarif, github, markdown"):
        render("html", REPORT)


def test_text_summary_wording() -> None:
    one = Report(findings=(SQL,), files=("app/loader.py",), out_of_scope=3)
    assert text.summary_line(one) == "Found 1 finding (1 warning) in 1 file; 3 outside the diff."
    broken = Report(errors=(ToolError("config", "bad value"),))
    assert text.summary_line(broken) == "No findings in 0 files. 1 tool error."


def test_text_snippet_handles_tabs_long_lines_and_control_characters() -> None:
    tabbed = replace(FINDINGS[0], location=Location("t.py", 1, 3, 1, 5))
    out = text.render(Report(findings=(tabbed,)), lines=lambda loc: "\t\tx\x1b[2Jy")
    snippet, carets = out.splitlines()[2:4]
    assert snippet.endswith("| \t\tx?[2Jy") and carets.endswith("| \t\t^^")
    long_line = "a" * 300 + "TARGET" + "b" * 300
    far = replace(FINDINGS[0], location=Location("l.py", 1, 301, 1, 307))
    out = text.render(Report(findings=(far,)), lines=lambda loc: long_line)
    snippet, carets = (line.split("| ", 1)[1] for line in out.splitlines()[2:4])
    assert len(snippet) <= 126 and snippet.startswith("...") and snippet.endswith("...")
    assert snippet[carets.index("^") : len(carets)] == "TARGET"


def test_text_without_lines_has_no_snippets() -> None:
    out = render("text", REPORT)
    assert "|" not in out and "fix: Remove unused import: `os` (safe fix)" in out


def test_markdown_escapes_pipes_backticks_and_html() -> None:
    assert markdown.inline("a | b `c|d` <img> __init__ snake_case") == (
        "a \\| b `c\\|d` \\<img\\> \\_\\_init\\_\\_ snake_case"
    )
    assert markdown.inline("stray ` tick") == "stray \\` tick"
    assert markdown.code("a`b") == "`` a`b ``"


def test_markdown_caps_rows() -> None:
    out = markdown.render(REPORT, max_rows=2)
    assert out.count("| warning |") + out.count("| error |") + out.count("| note |") == 3 + 2
    assert "_... and 4 more findings not shown._" in out


def test_views_do_not_depend_on_finding_order() -> None:
    shuffled = REPORT.with_findings(tuple(reversed(FINDINGS)))
    for fmt in ("text", "sarif", "github", "markdown"):
        assert render(fmt, shuffled, lines=lines) == render(fmt, REPORT, lines=lines), fmt
