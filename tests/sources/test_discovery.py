"""Directory expansion skips VCS, virtualenvs, node_modules, build output and excluded globs."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.sources import discover


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def test_skips_tool_and_environment_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _touch(tmp_path, "app/main.py", "app/nb.ipynb", "app/readme.md", ".git/hooks/x.py",
           "node_modules/pkg/a.py", "build/lib/b.py", "env1/lib/c.py", "app/__pycache__/d.py",
           "pkg.egg-info/e.py", "generated/f.py")
    (tmp_path / "env1" / "pyvenv.cfg").write_text("home = /usr\n")
    found = [display for _, display in discover(["."], str(tmp_path), ["generated"])]
    assert found == ["app/main.py", "app/nb.ipynb"]


def test_explicit_file_is_always_reviewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _touch(tmp_path, "build/gen.py")
    assert [d for _, d in discover(["build/gen.py"], str(tmp_path), ["build"])] == ["build/gen.py"]


def test_missing_path_passes_through_for_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert [d for _, d in discover(["nope.py"], str(tmp_path), [])] == ["nope.py"]
