"""Rule packs: every pack's fixture, loading errors, user pack directories, and the wheel."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from reviewer.config import Config, load_config
from reviewer.engine import all_rules, analyze
from reviewer.engine.packs import PackError, PackRule, builtin_directory, load_pack, load_packs
from reviewer.engine.registry import find_rule
from reviewer.fixes import apply_edits
from reviewer.model import Applicability
from reviewer.sources import load_text

ROOT = Path(__file__).resolve().parents[2]
PACKS = sorted((ROOT / "rules" / "packs").glob("*.toml"))
_ANNOTATION = re.compile(r"#\s*(expect|ok):\s*([A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")


def _labels(text: str) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    expect: set[tuple[int, str]] = set()
    ok: set[tuple[int, str]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, codes in _ANNOTATION.findall(line):
            for code in re.split(r"\s*,\s*", codes):
                (expect if kind == "expect" else ok).add((number, code))
    return expect, ok


@pytest.mark.parametrize("pack", PACKS, ids=[p.stem for p in PACKS])
def test_pack_fixture_matches_its_annotations(pack: Path) -> None:
    rules = load_pack(pack)
    fixture = rules[0].fixture()
    text = fixture.read_text(encoding="utf-8")
    expect, ok = _labels(text)
    codes = {rule.CODE for rule in rules}
    assert codes <= {code for _, code in expect}, "every rule of the pack needs a flagged line"
    assert codes <= {code for _, code in ok}, "every rule of the pack needs a clean look-alike"
    findings, errors = analyze(load_text(text, fixture.name), Config(), rules=list(rules))
    assert errors == []
    found = {(f.location.line, f.code) for f in findings}
    assert sorted(expect - found) == [], "missed"
    assert sorted(found - expect) == [], "flagged lines not marked # expect"
    assert sorted(ok & found) == []


def test_builtin_packs_load_and_show_like_python_rules() -> None:
    rules = [r for r in all_rules() if issubclass(r, PackRule)]
    assert len(rules) >= 20
    for rule in rules:
        assert rule.CWE, rule.CODE
        assert rule.summary() and "## What it does" in rule.docs()
    rendered = subprocess.run(
        [sys.executable, "-m", "reviewer", "rules", "--format", "json"], capture_output=True, text=True, check=True
    ).stdout
    listed = {rule["code"]: rule for rule in json.loads(rendered)}
    assert listed["RV110"]["name"] == "sql-injection" and listed["RV110"]["cwe"] == [89]
    assert listed["RV110"]["origin"] == "injection.toml"
    explained = subprocess.run(
        [sys.executable, "-m", "reviewer", "explain", "RV110"], capture_output=True, text=True, check=True
    ).stdout
    assert "sql-injection" in explained and "Bind values as parameters" in explained
    assert "% name)" in explained and "(name,))" in explained  # the fixture's flagged and clean lines


def _write(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


_GOOD = """
    [pack]
    name = "house"

    [[rules]]
    code = "ACME001"
    name = "no-legacy-client"
    category = "correctness"
    severity = "warning"
    message = "Use acme.client.v2"
    docs = "Old client.\\n\\n## What it does\\nFlags it.\\n\\n## Why is this bad?\\nIt is gone."
    patterns = ["acme.client.$F(..., legacy=True, ...)"]
    pattern-not-inside = ["def $TEST(...): ..."]
    [[rules.where]]
    metavariable = "$F"
    regex = "^(connect|open)$"
    [[rules.where]]
    metavariable = "$TEST"
    regex = "^test_"
"""


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_GOOD.replace('severity = "warning"', 'severity = "warning"\nfoo = 1'), "unknown key(s) ['foo']"),
        (_GOOD.replace("acme.client.$F(..., legacy=True, ...)", "acme.client.$F(("), "not Python syntax"),
        (_GOOD.replace('regex = "^(connect|open)$"', 'regex = "(("'), "not a valid regular expression"),
        (_GOOD.replace('metavariable = "$F"', 'metavariable = "$G"'), "which no pattern binds"),
        (_GOOD.replace("legacy=True", "mode='=~/[a-/'"), "invalid regular expression"),
        (_GOOD.replace('name = "no-legacy-client"', 'name = "No Legacy"'), "kebab-case"),
        (_GOOD.replace('message = "Use acme.client.v2"\n', ""), "`message` is required"),
        (_GOOD.replace("[[rules]]", "[[rules]"), "not valid TOML"),
        (_GOOD.replace('patterns = [', 'fixes = [{ pattern = "acme.client.connect(...)", add-keyword = "legacy" }]\npatterns = ['),
         "add-keyword must look like name=value"),
        (_GOOD.replace('patterns = [', 'fixes = [{ pattern = "x(...)", add-keyword = "a=1", safety = "maybe" }]\npatterns = ['),
         "safety must be"),
    ],
)
def test_malformed_pack_names_file_rule_and_reason(tmp_path: Path, body: str, reason: str) -> None:
    pack = _write(tmp_path, "house.toml", body)
    with pytest.raises(PackError) as caught:
        load_packs((str(tmp_path),))
    assert str(pack) in str(caught.value) and reason in str(caught.value)


def test_duplicate_code_across_packs_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "house.toml", _GOOD.replace("ACME001", "RV110"))
    with pytest.raises(PackError, match="RV110: duplicate code"):
        all_rules((str(tmp_path),))


def test_user_pack_directory_from_config_and_bad_pack_stops_the_scan(tmp_path: Path) -> None:
    packs = tmp_path / "house_rules"
    packs.mkdir()
    _write(packs, "house.toml", _GOOD)
    (tmp_path / "pyproject.toml").write_text('[tool.reviewer]\nrule-packs = ["house_rules"]\n')
    (tmp_path / "app.py").write_text(
        "from acme import client as c\n\nc.connect('x', legacy=True)\nc.close(legacy=True)\n\n"
        "def test_old():\n    c.connect('x', legacy=True)\n"
    )
    config = load_config(tmp_path, {"cache": False})
    assert config.pack_directories == (str(packs.resolve()),)
    run = [sys.executable, "-m", "reviewer", "scan", "app.py", "--no-cache", "--select", "ACME", "--format", "json"]
    done = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert '"code": "ACME001"' in done.stdout and done.stdout.count('"code": "ACME001"') == 1
    _write(packs, "broken.toml", _GOOD.replace("ACME001", "ACME002").replace("legacy=True, ...)", "legacy=True"))
    done = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "broken.toml: rule ACME002" in done.stderr and "not Python syntax" in done.stderr
    assert '"findings"' not in done.stdout  # no scan with a half-loaded rule set


def test_a_failing_pack_rule_is_a_tool_error_and_other_rules_still_report(monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.engine import pack_visitor

    original = pack_visitor.PackVisitor._accepted

    def explode(self, rule, node, bindings):  # type: ignore[no-untyped-def]
        if rule.CODE == "RV120":
            raise ValueError("boom")
        return original(self, rule, node, bindings)

    monkeypatch.setattr(pack_visitor.PackVisitor, "_accepted", explode)
    code = "import requests, os\nrequests.get('u', verify=False)\nos.chmod('p', 0o777)\n"
    rules = [r for r in all_rules() if r.CODE in ("RV120", "RV125")]
    findings, errors = analyze(load_text(code, "x.py"), Config(), rules=rules)
    assert [f.code for f in findings] == ["RV125"]
    assert len(errors) == 1 and "RV120" in errors[0].message and "boom" in errors[0].message


def test_wheel_ships_the_packs(tmp_path: Path) -> None:
    if builtin_directory() is None:
        pytest.fail("no built-in pack directory")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    wheel = next(tmp_path.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for pack in PACKS:
        assert f"reviewer/_packs/packs/{pack.name}" in names
    assert "reviewer/_packs/taint.toml" in names
    probe = (
        "from reviewer.engine.packs import builtin_directory, load_packs; from reviewer.analysis.taint_spec import defaults;"
        "print(builtin_directory()); print(len(load_packs())); print(len(defaults().sources))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
    ).stdout.split()
    assert out[0].startswith(str(tmp_path / "site")) and out[0].endswith("_packs/packs")
    assert int(out[1]) == len(load_packs()) and int(out[2]) >= 5


def test_a_pack_fix_adds_its_keyword_to_the_reported_call() -> None:
    code = "import torch\n\ndef restore(path):\n    return torch.load(path, map_location='cpu')\n"
    findings, _ = analyze(load_text(code, "train.py"), Config(), rules=[find_rule("RV130")])
    (finding,) = [f for f in findings if f.code == "RV130"]
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    fixed = apply_edits(code, finding.fix.edits)
    assert fixed.endswith("torch.load(path, map_location='cpu', weights_only=True)\n")
    assert find_rule("RV130").FIX == "unsafe"


@pytest.mark.parametrize(("code", "fixed"), [
    ("import numpy as np\nimport pandas as pd\n\nmissing = df[df['age'] == np.nan]\n",
     "import numpy as np\nimport pandas as pd\n\nmissing = df[pd.isna(df['age'])]\n"),
    ("import numpy as np\n\nok = values != np.nan\n", "import numpy as np\n\nok = ~np.isnan(values)\n"),
    ("import math\n\nif a + b == math.nan:\n    pass\n", "import math\n\nif math.isnan(a + b):\n    pass\n"),
])
def test_a_pack_fix_replaces_the_match_with_names_the_module_imports(code: str, fixed: str) -> None:
    findings, _ = analyze(load_text(code, "clean.py"), Config(), rules=[find_rule("RV503")])
    (finding,) = [f for f in findings if f.code == "RV503"]
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert apply_edits(code, finding.fix.edits) == fixed


def test_a_replacement_needing_a_name_the_module_lacks_is_advice_only() -> None:
    code = "from numpy import nan\n\nok = x == nan\n"  # numpy imported only as `nan`: no np.isnan to use
    findings, _ = analyze(load_text(code, "clean.py"), Config(), rules=[find_rule("RV503")])
    (finding,) = [f for f in findings if f.code == "RV503"]
    assert finding.fix is None


def test_pack_ml_rules_find_their_bugs_in_notebook_cells() -> None:
    import nbformat  # noqa: PLC0415 - only this test builds a notebook

    from reviewer.sources.notebook import unit_from_notebook  # noqa: PLC0415

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in (
        "import numpy as np\nimport pandas as pd\ndf = pd.read_csv('sales.csv')\n",
        "missing = df[df['price'] == np.nan]\nfine = df[df['price'].isna()]\n",
        "df[df['price'] > 100]['flag'] = True\ndf.loc[df['price'] > 100, 'flag'] = True\n",
    )]
    findings, _ = analyze(unit_from_notebook("sales.ipynb", nb), Config(), rules=[find_rule("RV503"), find_rule("RV504")])
    assert {(f.code, f.location.cell, f.location.line) for f in findings if f.code in ("RV503", "RV504")} == {
        ("RV503", 1, 1), ("RV504", 2, 1)}


@pytest.mark.parametrize(("line", "fixed"), [
    ("df[df['a'] > 0]['b'] = 1", "df.loc[df['a'] > 0, 'b'] = 1"),
    ("df['b'][df['a'].isna()] = 0", "df.loc[df['a'].isna(), 'b'] = 0"),
    ("df.loc[rows]['b'] = v", "df.loc[rows, 'b'] = v"),
    ("df['b'].loc[rows] = v", "df.loc[rows, 'b'] = v"),
    ("df.iloc[0]['b'] = v", None),  # `.iloc` wants positions: advice only
])
def test_chained_assignment_becomes_one_loc(line: str, fixed: str | None) -> None:
    code = f"import pandas as pd\n\n{line}\n"
    findings, _ = analyze(load_text(code, "frame.py"), Config(), rules=[find_rule("RV504")])
    (finding,) = [f for f in findings if f.code == "RV504"]
    if fixed is None:
        assert finding.fix is None
    else:
        assert apply_edits(code, finding.fix.edits) == f"import pandas as pd\n\n{fixed}\n"


@pytest.mark.parametrize(("expression", "item", "text"), [
    ("a + b", False, "(a + b)"), ("(a + b)", False, "(a + b)"), ("df['x']", False, "df['x']"),
    ("a + b", True, "a + b"), ("(a, b)", True, "(a, b)"), ("(a, b)", False, "(a, b)"), ("(x)", False, "x"),
])
def test_fix_templates_keep_an_operand_whole(expression: str, item: bool, text: str) -> None:
    import libcst as cst  # noqa: PLC0415

    from reviewer.engine.fix_edits import operand  # noqa: PLC0415

    module = cst.parse_module("")
    assert operand(cst.parse_expression(expression), module.code_for_node, item=item) == text
