"""The LLM stage's pure parts: redaction, chunking, grounding, prompts as data, the check pack."""

from __future__ import annotations

import ast
import json
from collections import Counter
from string import Template

import nbformat
import pytest

from reviewer.llm import prompts
from reviewer.llm.chunking import chunk_unit
from reviewer.llm.grounding import Claim, cap_per_file, ground
from reviewer.llm.pack import load_pack
from reviewer.llm.redact import redact_lines
from reviewer.model import Category, Confidence, Severity, Source
from reviewer.sources import load_text

# Real-looking secrets are assembled at runtime so this file holds none.
OPENAI = "sk-" + "proj-" + "Z3kQ9vX2mL7pR4tY8wB1nC6d"
AWS = "AKIA" + "Q3ZT7HXW5NPL2RB6"
GITHUB = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
PASSWORD = "Tr0ub4dor" + "3x"
ENTROPY = "9f86d081884c7d659a2f" + "eaa0c55ad015a3bf4f1b"
PEM_BODY = "MIIEowIBAAKCAQEAx3f9k2Lm8pQ7" + "ZZ9aBcDeF"


def test_redaction_replaces_secrets_and_keeps_lines() -> None:
    lines = [
        f'client = OpenAI(api_key="{OPENAI}")',
        f'AWS_ACCESS_KEY_ID = "{AWS}"',
        f'headers = {{"Authorization": "token {GITHUB}"}}',
        f'db_password = "{PASSWORD}"',
        f'engine = create_engine("postgresql://admin:{PASSWORD}@db:5432/app")',
        f'CHECKSUM = "{ENTROPY}"',
        '    "-----BEGIN RSA PRIVATE KEY-----"',
        f'    "{PEM_BODY}"',
        '    "-----END RSA PRIVATE KEY-----"',
        f'config["stripe_api_key"] = "{PASSWORD}"',
        f'session = login(user, "{PASSWORD}")  # the same value, reused without a telling name',
        'API_KEY = "your-api-key-here"  # placeholders are not secrets',
        "def parse_iso8601_timestamp_value(value, page_token=None):",
        '    return requests.get(url, timeout=10).json()["items"]',
    ]
    done = redact_lines(lines)
    text = "\n".join(done.lines)
    for secret in (OPENAI, AWS, GITHUB, PASSWORD, ENTROPY, PEM_BODY):
        assert secret not in text
        assert secret in done.secrets
    assert len(done.lines) == len(lines)
    assert done.lines[0] == 'client = OpenAI(api_key="<redacted:api-key>")'
    assert done.lines[4] == 'engine = create_engine("postgresql://admin:<redacted:password>@db:5432/app")'
    assert done.lines[10] == 'session = login(user, "<redacted>")  # the same value, reused without a telling name'
    assert done.lines[11:] == lines[11:], "ordinary code and placeholders are left alone"
    assert done.scrub(f"Possible hardcoded password: '{PASSWORD}'") == "Possible hardcoded password: '<redacted>'"


def test_lines_flagged_by_static_secret_rules_lose_every_string() -> None:
    done = redact_lines(['LABEL = "plain words", "flagged"', 'name = "kept"'], secret_lines={1})
    assert done.lines == ['LABEL = "<redacted:secret>", "<redacted:secret>"', 'name = "kept"']


def test_chunks_follow_functions_and_classes() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    text = (
        '"""Module docstring."""\n'
        "import os\n"
        "\n"
        "def big():\n" + body + "\n"
        "\n"
        "class Small:\n"
        "    def method(self):\n"
        "        return os.getcwd()\n"
        "\n"
        "LIMIT = 3\n"
    )
    unit = load_text(text, "mod.py", on_disk=False)
    chunks = chunk_unit(unit, unit.lines)
    assert [(c.start, c.end, c.label) for c in chunks] == [
        (4, 74, "function big"),
        (76, 80, "class Small; module code"),
    ]
    assert all(c.context == (2,) for c in chunks), "imports are context"


def test_notebooks_are_chunked_by_cell_with_earlier_cells_as_context() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("import pandas as pd\ndf = pd.read_csv('x.csv')"),
        nbformat.v4.new_code_cell("%%bash\necho hi"),
        nbformat.v4.new_code_cell("df['y'] = df['x'] * 2"),
    ]
    unit = load_text(json.dumps(nb), "nb.ipynb", on_disk=False)
    chunks = chunk_unit(unit, unit.lines)
    assert [c.label for c in chunks] == ["cell 2", "cell 4"]
    assert chunks[0].context == ()
    assert [unit.lines[n - 1] for n in chunks[1].context] == ["import pandas as pd", "df = pd.read_csv('x.csv')"]
    assert unit.location(chunks[1].start).cell == 3


def _grounding_case(claims: list[Claim], prior: list[tuple[int, int, str]] | None = None):
    text = "def f(items):\n    total = 0\n    for i in range(1, len(items)):\n        total += items[i]\n    return total\n"
    unit = load_text(text, "f.py", on_disk=False)
    chunk = chunk_unit(unit, unit.lines)[0]
    dropped: Counter[str] = Counter()
    kept = ground(claims, chunk, unit.lines, unit, load_pack(), prior or [], dropped)
    return [f for _, _, f in kept], dropped


def _claim(check: str = "AI201", line: int = 3, evidence: str = "for i in range(1, len(items)):",
           severity: str = "error", confidence: str = "high", end_line: int | None = None) -> Claim:
    return Claim(check, line, end_line or line, evidence, "  Skips   the first item. ", severity, confidence)


def test_grounded_claim_becomes_a_medium_confidence_llm_finding() -> None:
    kept, dropped = _grounding_case([_claim()])
    assert not dropped
    [finding] = kept
    assert (finding.code, finding.name, finding.source, finding.sources) == (
        "AI201", "logic-error", Source.LLM, (Source.LLM,))
    assert finding.confidence is Confidence.MEDIUM, "never above medium"
    assert finding.severity is Severity.WARNING, "capped at the check's severity"
    assert finding.category is Category.CORRECTNESS
    assert (finding.location.line, finding.location.column, finding.location.end_column) == (3, 5, 35)
    assert finding.evidence == "for i in range(1, len(items)):"
    assert finding.message == "Skips the first item."


def test_claims_outside_the_chunk_or_without_verbatim_evidence_are_dropped() -> None:
    kept, dropped = _grounding_case([
        _claim(line=40),  # a line that does not exist
        _claim(line=3, end_line=9),  # runs past the chunk
        _claim(evidence="for i in range(len(items)):"),  # not what line 3 says
        _claim(line=4),  # real code, but not on the cited line
        _claim(evidence=")"),  # too short to prove anything
    ])
    assert kept == []
    assert dropped == Counter({"outside-chunk": 2, "evidence-not-found": 3})


def test_duplicates_of_static_findings_and_of_each_other_are_dropped() -> None:
    kept, dropped = _grounding_case([_claim(), _claim()], prior=[(3, 3, "correctness")])
    assert kept == [] and dropped == Counter({"duplicate-of-static": 2})
    kept, dropped = _grounding_case([_claim(), _claim()], prior=[(3, 3, "security")])
    assert len(kept) == 1 and dropped == Counter({"duplicate": 1})


def test_findings_per_file_are_capped_most_severe_first() -> None:
    kept, _ = _grounding_case([_claim(), _claim("AI203", 2, "total = 0", severity="note")])
    dropped: Counter[str] = Counter()
    assert [f.code for f in cap_per_file(kept, 1, dropped)] == ["AI201"]
    assert dropped == Counter({"over-file-cap": 1})


def test_prompt_templates_fail_on_a_missing_variable() -> None:
    with pytest.raises(KeyError, match="missing variable"):
        prompts.render("triage_user", path="x.py", findings="-", nonce="n")
    with pytest.raises(KeyError, match="unexpected"):
        prompts.render("triage_user", path="x.py", findings="-", nonce="n", code="", extra="?")
    for name in prompts.NAMES:
        assert Template.get_identifiers(prompts.template(name)), name
    assert prompts.PROMPT_VERSION


def test_check_pack_has_codes_questions_and_fixtures() -> None:
    pack = load_pack()
    assert pack.codes == sorted(pack.codes)
    for check in pack.checks:
        assert check.code.startswith("AI") and "?" in check.question, check.code
        flagged = [f for f in check.fixtures if f.flagged]
        clean = [f for f in check.fixtures if not f.flagged]
        assert flagged and clean, f"{check.code} needs a flagged and a clean fixture"
        for fixture in check.fixtures:
            ast.parse(fixture.code)


@pytest.mark.parametrize("code", load_pack().codes)
def test_a_correct_answer_about_each_fixture_survives_grounding(code: str) -> None:
    check = load_pack().get(code)
    assert check is not None
    for fixture in (f for f in check.fixtures if f.flagged):
        unit = load_text(fixture.code, "fixture.py", on_disk=False)
        [chunk] = chunk_unit(unit, unit.lines) or [None]
        if chunk is None:  # module-level fixture lines: chunk the whole file
            pytest.fail(f"{code}: fixture produced no chunk")
        assert fixture.line is not None and fixture.evidence is not None
        dropped: Counter[str] = Counter()
        claim = Claim(code, fixture.line, fixture.line, fixture.evidence, "m", check.severity.value, "high")
        kept = ground([claim], chunk, unit.lines, unit, load_pack(), [], dropped)
        assert len(kept) == 1 and not dropped, (code, dropped)
