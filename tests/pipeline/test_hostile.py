"""Hostile input costs only itself: crafted files beside innocent ones, a worker that dies, a file
that runs forever. Every innocent file keeps its findings and every culprit is named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reviewer.pipeline as pipeline
from reviewer.config import load_config
from reviewer.model import Finding, ToolError
from reviewer.pipeline import review
from reviewer.sources import SourceUnit

INNOCENT = "import os\nimport yaml\n\n\ndef load(path):\n    return yaml.load(open(path).read())\n"


HOSTILE = Path(__file__).resolve().parents[1] / "corpus" / "hostile"


def _hostile_tree(root: Path) -> dict[str, str]:
    """The crafted files of tests/corpus/hostile, plus what git holds badly (a 3 MB file, a
    symlink loop); each with the words its error must contain."""
    expected: dict[str, str] = json.loads((HOSTILE / "expected.json").read_text())
    for name in expected:
        shutil.copyfile(HOSTILE / name, root / name)
    (root / "huge.py").write_text("x = '" + "a" * 3_000_000 + "'\n")
    expected["huge.py"] = "too large"
    loop = root / "loop"
    loop.mkdir()
    (loop / "again").symlink_to(loop, target_is_directory=True)
    return expected


def test_crafted_files_are_named_and_innocent_files_keep_their_review(tmp_path: Path) -> None:
    expected = _hostile_tree(tmp_path)
    (tmp_path / "innocent.py").write_text(INNOCENT)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "reviewer", "scan", ".", "--format", "json", "--no-cache",
                           "--jobs", "2"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    elapsed = time.monotonic() - started
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    report = json.loads(done.stdout)
    codes = {(f["location"]["path"], f["code"]) for f in report["findings"]}
    # The engine's, ruff's and bandit's findings on the innocent file all survive.
    assert {("innocent.py", "RV102"), ("innocent.py", "F401"), ("innocent.py", "RV208")} <= codes
    assert any(f["location"]["path"] == "innocent.py" and "bandit" in f["sources"] for f in report["findings"])
    errors: dict[str, list[str]] = {}
    for error in report["errors"]:
        errors.setdefault(error.get("path") or "", []).append(error["message"])
    for name, words in expected.items():
        assert any(words in message for message in errors.get(name, [])), (name, errors.get(name))
    assert elapsed < 60


def _dies_on_killer(units: list[SourceUnit], config: object) -> list[tuple[str, list[Finding], list[ToolError]]]:
    if any(unit.path.endswith("killer.py") for unit in units):
        os._exit(3)  # what a segfault in a native parser looks like to the pool
    return _real_engine_chunk(units, config)  # type: ignore[arg-type]


_real_engine_chunk = pipeline._engine_chunk


def test_a_worker_that_dies_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("the worker stand-in relies on fork inheriting the patched function")
    monkeypatch.setattr(pipeline, "_engine_chunk", _dies_on_killer)
    errors = _innocents_and_one_culprit(tmp_path, "killer.py", "", innocents=24)
    assert [(name, "crashed" in message) for name, message in errors] == [("killer.py", True)]


def test_a_file_that_runs_past_its_budget_is_named_and_the_rest_reviewed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.reviewer]\ncache = false\nruff = false\nbandit = false\nfile-timeout = 0.5\n")
    (tmp_path / "slow.py").write_text("x = 1\n")
    (tmp_path / "fine.py").write_text(INNOCENT)
    real = pipeline.analyze

    def spins_on_slow(unit: SourceUnit, *args: object, **kwargs: object) -> object:
        while unit.path.endswith("slow.py"):
            pass
        return real(unit, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyze", spins_on_slow)
    started = time.monotonic()
    report = review([str(tmp_path)], load_config(tmp_path))
    assert time.monotonic() - started < 20
    assert [(Path(e.path or "").name, "file-timeout (0.5 s)" in e.message) for e in report.errors] == [("slow.py", True)]
    assert {Path(f.location.path).name for f in report.findings if f.code == "RV102"} == {"fine.py"}


def _hogs_memory_on_glutton(units: list[SourceUnit], config: object) -> list[tuple[str, list[Finding], list[ToolError]]]:
    if any(unit.path.endswith("glutton.py") for unit in units):
        real = pipeline.analyze

        def hungry(unit: SourceUnit, *args: object, **kwargs: object) -> object:
            if unit.path.endswith("glutton.py"):
                hoard = bytearray(512 * 1024 * 1024)  # far past the 64 MiB budget below
                return hoard
            return real(unit, *args, **kwargs)  # type: ignore[arg-type]

        pipeline.analyze = hungry  # this worker process only (forked)
    return _real_engine_chunk(units, config)  # type: ignore[arg-type]


def test_a_file_past_its_memory_budget_is_named_and_the_rest_reviewed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("the budget is an address-space limit read from /proc")
    monkeypatch.setattr(pipeline, "_engine_chunk", _hogs_memory_on_glutton)
    errors = _innocents_and_one_culprit(tmp_path, "glutton.py", "file-memory = 64\n", innocents=8)
    assert [(name, "file-memory (64 MiB)" in message) for name, message in errors] == [("glutton.py", True)]


def _innocents_and_one_culprit(root: Path, culprit: str, settings: str, innocents: int) -> list[tuple[str, str]]:
    """Review `innocents` files beside `culprit` in the worker pool (engine only); assert every
    innocent file got its finding and return the errors as (file name, message)."""
    (root / "pyproject.toml").write_text(
        f"[tool.reviewer]\ncache = false\nruff = false\nbandit = false\njobs = 2\n{settings}")
    names = [f"mod{i}.py" for i in range(max(innocents, pipeline.POOL_THRESHOLD))]
    for name in names:
        (root / name).write_text(INNOCENT)
    (root / culprit).write_text("x = 1\n")
    report = review([str(root)], load_config(root))
    assert {Path(f.location.path).name for f in report.findings if f.code == "RV102"} == set(names)
    return [(Path(e.path or "").name, e.message) for e in report.errors]
