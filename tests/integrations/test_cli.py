"""The `reviewer` command line end to end: bad input, exit codes, stdin, baseline, --diff, cache."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from reviewer.integrations.cli import main

MUTABLE = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (its own pyproject, so the repo's config never leaks in)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["scan", "--format", "json", "--quiet", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".reviewer_cache" not in p.parts
    }


def test_bad_input_is_reported_and_the_rest_is_reviewed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "good.py").write_text(MUTABLE)
    (project / "syntax.py").write_text("def broken(:\n    pass\n")
    (project / "blob.py").write_bytes(b"\x00\x01binary\x00")
    (project / "latin.py").write_bytes(b"s = '\xff\xfe\xfa'\n")
    (project / "truncated.ipynb").write_text('{"cells": [{"cell_type": "code", "sour')
    (project / "huge.py").write_text("x = 1\n" * 2000)
    (project / "dangling.py").symlink_to(project / "missing-target.py")
    (project / "pyproject.toml").write_text("[project]\nname='demo'\nversion='0'\n"
                                           "[tool.reviewer]\nmax-file-size = 5000\n")
    before = _tree_digest(project)
    code, report, err = _json(capsys, ".")
    assert code == 2
    assert [f["location"]["path"] for f in report["findings"] if f["code"] == "RV201"] == ["good.py"]
    errors = {e["path"]: e["message"] for e in report["errors"]}
    assert "syntax error" in errors["syntax.py"]
    assert "binary" in errors["blob.py"]
    assert "cannot decode" in errors["latin.py"]
    assert "invalid notebook" in errors["truncated.ipynb"]
    assert "too large" in errors["huge.py"]
    assert "no such file" in errors["dangling.py"]
    for path in errors:
        assert path in err, f"{path} missing from stderr"
    assert _tree_digest(project) == before, "scan must never write into reviewed files"


def test_exit_codes_follow_fail_on(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(MUTABLE)  # RV201 is a warning
    assert _json(capsys, "mod.py", "--fail-on", "error")[0] == 0
    assert _json(capsys, "mod.py", "--fail-on", "warning")[0] == 1
    assert _json(capsys, "mod.py", "--fail-on", "never")[0] == 0
    code, report, _ = _json(capsys, "mod.py", "--ignore", "RV2", "--fail-on", "note")
    assert [f for f in report["findings"] if f["code"].startswith("RV2")] == []


def test_select_limits_to_prefixes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text("import os\n" + MUTABLE)
    _, report, _ = _json(capsys, "mod.py", "--select", "RV")
    assert {f["code"] for f in report["findings"]} == {"RV201"}
    _, report, _ = _json(capsys, "mod.py", "--select", "F401")
    assert {f["code"] for f in report["findings"]} == {"F401"}


def test_stdin(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(MUTABLE))
    code, report, _ = _json(capsys, "-", "--stdin-filename", "snippet.py", "--select", "RV")
    assert code == 0
    assert [(f["location"]["path"], f["location"]["line"]) for f in report["findings"]] == [("snippet.py", 1)]


def test_notebook_findings_are_cell_relative(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo"), nbformat.v4.new_code_cell("%matplotlib inline\nx = 1"),
                nbformat.v4.new_code_cell("import os\n\n" + MUTABLE)]
    nbformat.write(nb, project / "demo.ipynb")
    _, report, _ = _json(capsys, "demo.ipynb", "--select", "RV201")
    [finding] = report["findings"]
    assert finding["location"]["cell"] == 2 and finding["location"]["line"] == 3
    assert finding["location"]["cell_id"] == nb.cells[2].id


def test_unknown_config_key_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.reviewer]\nfail_on = 'x'\n")
    (project / "mod.py").write_text("x = 1\n")
    assert main(["scan", "mod.py"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'fail_on'" in err and "fail-on" in err


def test_tool_crash_is_a_tool_error_and_findings_survive(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.reviewer.ruff]\nargs = ['--no-such-flag']\n")
    (project / "mod.py").write_text(MUTABLE)
    code, report, err = _json(capsys, "mod.py")
    assert code == 2
    assert [e["tool"] for e in report["errors"]] == ["ruff"]
    assert any(f["code"] == "RV201" for f in report["findings"])
    assert "ruff" in err


def test_baseline_hides_accepted_findings_and_counts_them(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mod.py").write_text(MUTABLE)
    assert main(["baseline", "mod.py", "--select", "RV", "--quiet"]) == 0
    capsys.readouterr()
    saved = json.loads((project / ".reviewer-baseline.json").read_text())
    assert [e["code"] for e in saved["findings"]] == ["RV201"]
    code, report, _ = _json(capsys, "mod.py", "--select", "RV", "--fail-on", "warning")
    assert (code, report["findings"], report["baselined"]) == (0, [], 1)
    # an unrelated line above keeps the old finding hidden; a new one shows
    (project / "mod.py").write_text("import os\n\n" + MUTABLE + "\ndef other(seen={}):\n    return seen\n")
    _, report, _ = _json(capsys, "mod.py", "--select", "RV")
    assert [f["location"]["line"] for f in report["findings"]] == [7]
    _, report, _ = _json(capsys, "mod.py", "--select", "RV", "--no-baseline")
    assert len(report["findings"]) == 2


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


def test_diff_reports_only_what_the_change_introduced(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "old.py").write_text(MUTABLE)
    (project / "mod.py").write_text(
        "def keep(bucket=[]):\n    return bucket\n\n\ndef test_total():\n    assert sum([1, 2]) == 3\n"
    )
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "base")
    # Lines added above move the old finding; removing the assert makes the unchanged `def
    # test_total` line vacuous: a finding the change caused on a line it did not touch.
    (project / "mod.py").write_text(
        "import os\n\n\ndef keep(bucket=[]):\n    return bucket\n\n\ndef test_total():\n    total = sum([1, 2])\n"
    )
    code, report, _ = _json(capsys, ".", "--diff", "main", "--select", "RV")
    assert [(f["code"], f["location"]["path"], f["location"]["line"]) for f in report["findings"]] == [
        ("RV304", "mod.py", 8)
    ]
    assert report["out_of_scope"] == 1  # the moved RV201; old.py is unchanged and not reviewed
    assert report["files"] == ["mod.py", "old.py"]


def test_diff_with_a_bad_ref_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(project, "init", "-q", "-b", "main")
    (project / "mod.py").write_text("x = 1\n")
    code, report, _ = _json(capsys, ".", "--diff", "no-such-ref")
    assert code == 2 and "no-such-ref" in report["errors"][0]["message"]


def test_cache_serves_unchanged_files(project: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "mod.py").write_text(MUTABLE)
    _, first, _ = _json(capsys, "mod.py")
    import reviewer.pipeline

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("analyzers ran although every file was cached")

    monkeypatch.setattr(reviewer.pipeline, "_analyze", fail)
    _, second, _ = _json(capsys, "mod.py")
    assert second["findings"] == first["findings"] and second["findings"]
    (project / "mod.py").write_text(MUTABLE + "\n")
    with pytest.raises(AssertionError, match="analyzers ran"):
        _json(capsys, "mod.py")


def test_installing_a_distribution_invalidates_the_cache(project: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Import checks depend on what is installed, so the cache key covers the distributions."""
    site = project.parent / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    (project / "mod.py").write_text(MUTABLE)
    _json(capsys, "mod.py")
    import reviewer.pipeline

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("analyzers ran")

    monkeypatch.setattr(reviewer.pipeline, "_analyze", fail)
    _json(capsys, "mod.py")  # nothing changed: served from the cache
    (site / "requestz-1.0.dist-info").mkdir()
    with pytest.raises(AssertionError, match="analyzers ran"):
        _json(capsys, "mod.py")


def test_newer_syntax_is_reviewed_by_our_engine(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "modern.py").write_text(
        'type Items = list[int]\n\n\ndef f[T](x: T, acc=[]) -> T:\n    return f"{"nested"}"\n'
    )
    code, report, _ = _json(capsys, "modern.py", "--select", "RV")
    assert [(f["code"], f["location"]["line"]) for f in report["findings"]] == [("RV201", 4)]
    assert code == 0


def test_deeply_nested_file_does_not_crash_the_scan(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Like the stdlib's pydoc_data/topics.py: one enormous implicit string concatenation.
    (project / "topics.py").write_text("topics = (\n" + "    'x'\n" * 3000 + ")\n")
    (project / "mod.py").write_text(MUTABLE)
    code, report, _ = _json(capsys, ".", "--select", "RV")
    assert [f["location"]["path"] for f in report["findings"]] == ["mod.py"]
    assert code == 0, report["errors"]


def test_valid_file_beyond_libcst_limits_is_a_clear_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "huge_concat.py").write_text("topics = (\n" + "    'x'\n" * 5000 + ")\n")
    (project / "mod.py").write_text(MUTABLE)
    code, report, _ = _json(capsys, ".", "--select", "RV")
    assert [f["location"]["path"] for f in report["findings"]] == ["mod.py"]
    [error] = report["errors"]
    assert error["path"] == "huge_concat.py" and "libcst cannot parse this valid file" in error["message"]
    assert code == 2


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert len(rules) >= 12 and all(r["docs"] and r["summary"] for r in rules)
    assert main(["explain", "rv201"]) == 0
    out = capsys.readouterr().out
    assert "## What it does" in out and "bucket=[]" in out
    assert main(["explain", "RV999"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_explain_tool_codes_from_the_tools_themselves(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "B506"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("B506 yaml_load (a bandit check)") and "yaml.safe_load" in out
    assert main(["explain", "b301"]) == 0
    assert "pickle.loads" in capsys.readouterr().out
    assert main(["explain", "S608"]) == 0
    assert "hardcoded-sql-expression (S608)" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["rules"], ["explain", "RV201"]])
def test_a_closed_pipe_ends_quietly(command: list[str]) -> None:
    """`reviewer rules | head -1`: the reader leaves early; no BrokenPipeError traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is already gone: the first write fails
    try:
        done = subprocess.run([sys.executable, "-m", "reviewer", *command], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, check=False, timeout=60)
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_a_bug_in_reviewer_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from reviewer.integrations import cli

    def broken() -> int:
        raise KeyError("oops")

    monkeypatch.setattr(cli, "main", broken)
    monkeypatch.delenv("REVIEWER_DEBUG", raising=False)
    assert cli.run() == 2
    err = capsys.readouterr().err
    assert "internal error: KeyError: 'oops'" in err and "Traceback" not in err
    monkeypatch.setenv("REVIEWER_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.run()


def test_console_script_runs(project: Path) -> None:
    (project / "mod.py").write_text(MUTABLE)
    done = subprocess.run([sys.executable, "-m", "reviewer", "scan", "mod.py", "--select", "RV"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "RV201" in done.stdout and "mod.py" in done.stdout
