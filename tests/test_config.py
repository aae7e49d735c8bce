"""[tool.reviewer] loading: defaults < pyproject < CLI, with clear errors for unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.config import ConfigError, load_config


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'demo'\n\n[tool.reviewer]\n{table}\n")
    (tmp_path / "pkg").mkdir()
    return tmp_path / "pkg"


def test_pyproject_values_then_overrides(tmp_path: Path) -> None:
    start = _project(tmp_path, 'fail-on = "warning"\nignore = ["RV201"]\nruff = false\n'
                               '[tool.reviewer.bandit]\nignore = ["B101", "B311"]\n')
    config = load_config(start)
    assert config.fail_on == "warning" and config.ignore == ("RV201",)
    assert config.ruff.enabled is False and config.bandit.ignore == ("B101", "B311")
    assert config.root == str(tmp_path) and config.config_file == str(tmp_path / "pyproject.toml")
    assert load_config(start, {"fail_on": "note", "ignore": None}).fail_on == "note"


def test_unknown_key_names_the_valid_keys(tmp_path: Path) -> None:
    start = _project(tmp_path, 'fail_on = "error"\n')
    with pytest.raises(ConfigError) as info:
        load_config(start)
    message = str(info.value)
    assert "unknown key 'fail_on'" in message and "fail-on" in message and "pyproject.toml" in message


def test_unknown_tool_key(tmp_path: Path) -> None:
    start = _project(tmp_path, "[tool.reviewer.ruff]\nselekt = ['F']\n")
    with pytest.raises(ConfigError, match="unknown key 'selekt'.*select"):
        load_config(start)


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ('fail-on = "sometimes"', "fail-on must be one of"),
        ('jobs = "two"', "expected a non-negative integer"),
        ("cache = 1", "expected true or false"),
        ("select = [1, 2]", "expected a list of strings"),
    ],
)
def test_bad_values(tmp_path: Path, table: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        load_config(_project(tmp_path, table))


def test_broken_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer\n")
    with pytest.raises(ConfigError, match="cannot read TOML"):
        load_config(tmp_path)


def test_config_fingerprint_ignores_jobs_but_not_rules(tmp_path: Path) -> None:
    base = load_config(tmp_path)
    assert base.fingerprint() == load_config(tmp_path, {"jobs": 7}).fingerprint()
    assert base.fingerprint() != load_config(tmp_path, {"ignore": ("RV1",)}).fingerprint()


def test_thresholds_table(tmp_path: Path) -> None:
    start = _project(tmp_path, "[tool.reviewer.thresholds]\nmax-parameters = 3\nmax-complexity = 30\n")
    thresholds = load_config(start).thresholds
    assert (thresholds.max_parameters, thresholds.max_complexity) == (3, 30)
    assert (thresholds.max_nesting, thresholds.max_function_lines) == (4, 80)  # defaults kept


def test_thresholds_change_the_config_fingerprint() -> None:
    from dataclasses import replace

    from reviewer.config import Config, Thresholds

    changed = replace(Config(), thresholds=Thresholds(max_nesting=2))
    assert Config().fingerprint() != changed.fingerprint()


@pytest.mark.parametrize(
    ("table", "match"),
    [
        ("[tool.reviewer.thresholds]\nmax-params = 3\n", "unknown key 'max-params'.*max-parameters"),
        ("[tool.reviewer.thresholds]\nmax-nesting = -1\n", "expected a non-negative integer"),
        ("[tool.reviewer.thresholds]\nmax-function-lines = 'long'\n", "expected a non-negative integer"),
        ("[tool.reviewer.thresholds]\nmax-complexity = true\n", "expected a non-negative integer"),
        ("thresholds = 5\n", "expected a table"),
    ],
)
def test_bad_thresholds(tmp_path: Path, table: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        load_config(_project(tmp_path, table))


def test_per_file_ignores_are_read_and_checked(tmp_path: Path) -> None:
    start = _project(tmp_path, '[tool.reviewer.per-file-ignores]\n"tests/**" = ["rv311", "S1"]\n"*.ipynb" = "RV4"\n')
    assert load_config(start).per_file_ignores == (("tests/**", ("RV311", "S1")), ("*.ipynb", ("RV4",)))
    (tmp_path / "pkg").rmdir()
    bad = _project(tmp_path, '[tool.reviewer.per-file-ignores]\n"tests/**" = 3\n')
    with pytest.raises(ConfigError, match="per-file-ignores.*tests/\\*\\*.*list of code prefixes"):
        load_config(bad)


def test_per_file_ignores_drop_codes_only_where_the_glob_matches(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.pipeline import review

    body = "def pay(amount):\n    assert amount > 0\n    return amount\n"
    _project(tmp_path, 'ruff = false\nbandit = false\ncache = false\n'
                       '[tool.reviewer.per-file-ignores]\n"legacy/*" = ["RV311"]\n')
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "billing.py").write_text(body)
    (tmp_path / "pkg" / "billing.py").write_text(body)
    monkeypatch.chdir(tmp_path)
    report = review(["."], load_config(tmp_path))
    assert [(f.code, f.location.path) for f in report.findings if f.code == "RV311"] == [("RV311", "pkg/billing.py")]


def test_every_bad_key_is_reported_at_once_with_a_suggestion(tmp_path: Path) -> None:
    start = _project(tmp_path, 'slect = ["RV"]\nfail-on = 3\nzzz = 1\n[tool.reviewer.ruff]\nenabeld = true\n')
    with pytest.raises(ConfigError) as info:
        load_config(start)
    lines = str(info.value).splitlines()
    assert len(lines) == 4
    assert "unknown key 'slect'; did you mean 'select'?" in lines[0]
    assert "fail-on: expected a string, got 3" in lines[1]
    assert "unknown key 'zzz'; valid keys are:" in lines[2]  # nothing close: the whole list
    assert "unknown key 'enabeld'; did you mean 'enabled'?" in lines[3]


def test_a_scan_that_cannot_start_still_writes_its_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reviewer.integrations.cli import main

    start = _project(tmp_path, 'slect = ["RV"]\n')
    (start / "a.py").write_text("x = 1\n")
    monkeypatch.chdir(start)
    assert main(["scan", "a.py", "--format", "json", "-o", "out.json"]) == 2
    report = json.loads((start / "out.json").read_text())
    assert [e["tool"] for e in report["errors"]] == ["config"]
    assert "did you mean 'select'" in report["errors"][0]["message"]
