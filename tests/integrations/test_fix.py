"""`reviewer fix` end to end: what it writes, what it leaves alone, exit codes, --diff, notebooks."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import nbformat
import pytest

from reviewer.autofix import _File, FixOutcome, _fix_file
from reviewer.integrations.cli import main
from reviewer.model import Applicability, Edit, Finding, Fix, Location, Report
from reviewer.sources import load_text

REMOVED = (
    "import collections\n\n\n"
    "def is_map(x):\n"
    "    return isinstance(x, collections.Mapping) or isinstance(x, collections.Sequence)\n"
)
FIXED = (
    "import collections\nimport collections.abc\n\n\n"
    "def is_map(x):\n"
    "    return isinstance(x, collections.abc.Mapping) or isinstance(x, collections.abc.Sequence)\n"
)
YAML = "import yaml\n\n\ndef read(f):\n    return yaml.load(f)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fix(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["fix", "--quiet", "--no-cache", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_applies_safe_fixes_in_passes_and_a_second_run_changes_nothing(project: Path, capsys) -> None:
    path = project / "shapes.py"
    path.write_text(REMOVED)
    path.chmod(0o755)
    code, out, err = fix(capsys, "shapes.py")
    # Both uses need `import collections.abc`: one fix adds it, the other applies in the next pass.
    assert path.read_text() == FIXED
    assert code == 0, out
    assert out.count("Fixed shapes.py") == 2 and "RV305" in out
    assert "fixed 2 findings in 1 file; 0 remaining" in err
    assert stat.S_IMODE(path.stat().st_mode) == 0o755  # the file's mode is kept
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]
    code, out, err = fix(capsys, "shapes.py")
    assert path.read_text() == FIXED and "fixed 0 findings" in err and code == 0


def test_diff_writes_nothing_and_exits_1_when_something_would_change(project: Path, capsys) -> None:
    path = project / "shapes.py"
    path.write_text(REMOVED)
    code, out, err = fix(capsys, "--diff", "shapes.py")
    assert code == 1 and path.read_text() == REMOVED
    assert out.startswith("--- a/shapes.py\n+++ b/shapes.py\n")
    assert "+import collections.abc\n" in out and "-    return isinstance(x, collections.Mapping)" in out
    assert "nothing written" in err
    path.write_text(FIXED)
    code, out, _ = fix(capsys, "--diff", "shapes.py")
    assert code == 0 and out == ""


def test_unsafe_fixes_need_the_flag(project: Path, capsys) -> None:
    path = project / "conf.py"
    path.write_text(YAML)
    code, out, _ = fix(capsys, "--select", "RV", "conf.py")
    assert path.read_text() == YAML and code == 1  # the error-level finding remains
    code, out, _ = fix(capsys, "--select", "RV", "--unsafe-fixes", "conf.py")
    assert path.read_text() == YAML.replace("yaml.load(", "yaml.safe_load(") and code == 0


def test_a_file_that_does_not_parse_is_left_byte_identical(project: Path, capsys) -> None:
    broken = project / "broken.py"
    data = b"import collections\nx = collections.Mapping(\n"
    broken.write_bytes(data)
    (project / "ok.py").write_text(REMOVED)
    code, out, err = fix(capsys, ".")
    assert broken.read_bytes() == data
    assert (project / "ok.py").read_text() == FIXED
    assert code == 2 and "broken.py" in out


def test_project_settings_choose_what_is_fixed(project: Path, capsys) -> None:
    path = project / "shapes.py"
    path.write_text(REMOVED)
    config = project / "pyproject.toml"
    base = config.read_text()
    config.write_text(base + "\n[tool.reviewer]\nunfixable = ['RV305']\n")
    fix(capsys, "shapes.py")
    assert path.read_text() == REMOVED
    config.write_text(base + "\n[tool.reviewer]\nextend-unsafe-fixes = ['RV3']\n")
    fix(capsys, "shapes.py")
    assert path.read_text() == REMOVED
    fix(capsys, "--unsafe-fixes", "shapes.py")
    assert path.read_text() == FIXED
    config.write_text(base + "\n[tool.reviewer]\nextend-safe-fixes = ['RV102']\nfixable = ['RV102']\n")
    path.write_text(REMOVED + YAML)
    fix(capsys, "--select", "RV", "shapes.py")
    assert "yaml.safe_load(" in path.read_text() and "collections.Mapping" in path.read_text()


def test_scan_marks_what_fix_would_repair(project: Path, capsys) -> None:
    (project / "shapes.py").write_text(REMOVED + YAML)
    main(["scan", "--quiet", "--no-cache", "--select", "RV", "shapes.py"])
    out = capsys.readouterr().out
    assert "RV305 [*]" in out and "RV102 " in out and "RV102 [*]" not in out
    assert "[*] 2 fixable with `reviewer fix` (1 more with `reviewer fix --unsafe-fixes`)." in out


def _notebook(path: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Shapes — ünïcode"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport collections\n", execution_count=1),
        nbformat.v4.new_code_cell("!pip list\nok = isinstance({}, collections.Mapping)\nok",
                                  execution_count=2,
                                  outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "True"},
                                                                  execution_count=2)]),
    ]
    nb.cells[2].metadata["tags"] = ["keep"]
    nbformat.write(nb, str(path))
    return path.read_text(encoding="utf-8")


def test_notebooks_change_only_code_cell_sources_and_keep_their_json(project: Path, capsys) -> None:
    path = project / "shapes.ipynb"
    before_raw = _notebook(path)
    code, out, _ = fix(capsys, "--select", "RV305", "shapes.ipynb")
    after_raw = path.read_text(encoding="utf-8")
    before, after = json.loads(before_raw), json.loads(after_raw)
    assert after["cells"][2]["source"] == ["!pip list\n", "import collections.abc\n",
                                           "ok = isinstance({}, collections.abc.Mapping)\n", "ok"]
    after["cells"][2]["source"] = before["cells"][2]["source"]
    assert after == before  # outputs, metadata, ids, counts, other cells: all as they were
    # ... and so is the formatting: nbformat's indent, key order, non-ASCII text, final newline.
    assert after_raw == json.dumps(json.loads(after_raw), indent=1, ensure_ascii=False) + "\n"
    assert list(json.loads(after_raw)["cells"][2]) == list(before["cells"][2])
    assert code == 0 and "cell 3" in out


def test_a_notebook_whose_formatting_cannot_be_kept_is_left_alone(project: Path, capsys) -> None:
    path = project / "odd.ipynb"
    raw = _notebook(path).replace('"cells": [', '"cells"  :  [', 1)
    path.write_text(raw, encoding="utf-8")
    code, out, _ = fix(capsys, "--select", "RV305", "odd.ipynb")
    assert path.read_text(encoding="utf-8") == raw
    assert "Not fixed odd.ipynb:cell 3" in out and "formatting" in out and code == 0


def test_a_fix_that_would_break_the_code_is_dropped_and_reported() -> None:
    text = "x = 1\ny = 2\n"
    unit = load_text(text, "demo.py")
    item = _File("demo.py", text, text, unit, history={text})

    def finding(line: int, content: str) -> Finding:
        edit = Edit(line, 5, line, 6, content)
        return Finding("RV999", "demo", "m", Location("demo.py", line, 5, line, 6), fingerprint=f"f{line}",
                       fix=Fix("replace", (edit,), Applicability.SAFE))

    outcome = FixOutcome(Report())
    assert _fix_file(item, [finding(1, "(("), finding(2, "3")], outcome)
    assert item.text == "x = 1\ny = 3\n"
    assert [(a.line, why) for a, why in outcome.dropped] == [(1, "the fixed code would not parse")]
    assert [a.line for a in outcome.applied] == [2]


def test_standard_input_is_refused_with_a_clear_error(project: Path, capsys) -> None:
    code = main(["fix", "-"])
    assert code == 2 and "works on files" in capsys.readouterr().err


def test_a_failed_write_is_an_error_and_the_file_is_kept(project: Path, capsys, monkeypatch) -> None:
    path = project / "shapes.py"
    path.write_text(REMOVED)

    def full_disk(target: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("reviewer.integrations.fix_command.replace_file", full_disk)
    code, out, _ = fix(capsys, "shapes.py")
    assert code == 2 and path.read_text() == REMOVED
    assert "shapes.py" in out and "No space left on device" in out and "Fixed shapes.py" not in out
