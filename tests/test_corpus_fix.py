"""tests/corpus/fix: AI-style programs that crash on current Pythons because of removed APIs, and
traps. After `reviewer fix` every program runs and prints what a hand fix prints, the traps and the
broken file are byte-identical, the notebook keeps every field but code, a second run changes
nothing, and `--diff` writes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.integrations.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus" / "fix"
PROGRAMS = sorted(p.stem for p in CORPUS.glob("*.out"))
UNTOUCHED = ("traps.py", "broken.py")


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    (target / "pyproject.toml").write_text("[project]\nname = 'fix-corpus'\nversion = '0'\nrequires-python = '>=3.11'\n"
                                           "dependencies = ['numpy']\n")
    monkeypatch.chdir(target)
    return target


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60,
                          cwd=path.parent, check=False)


def _digests(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.iterdir()) if p.is_file()}


def test_programs_crash_before_the_fix(corpus: Path) -> None:
    for name in PROGRAMS:
        if name == "traps":
            continue
        assert _run(corpus / f"{name}.py").returncode != 0, f"{name}.py should crash on this Python"


def test_fix_repairs_every_program_and_leaves_the_rest(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    untouched = {name: (corpus / name).read_bytes() for name in UNTOUCHED}
    notebook_before = json.loads((corpus / "weekly.ipynb").read_text(encoding="utf-8"))
    code = main(["fix", "--no-cache", "--quiet", "."])
    out = capsys.readouterr().out
    assert code == 2, out  # broken.py is reported as an error
    assert "broken.py" in out
    for name in PROGRAMS:
        done = _run(corpus / f"{name}.py")
        assert done.returncode == 0, (name, done.stderr)
        assert done.stdout == (corpus / f"{name}.out").read_text(), name
    for name, data in untouched.items():
        assert (corpus / name).read_bytes() == data, f"{name} was changed"
    notebook = json.loads((corpus / "weekly.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in notebook["cells"]]
    assert "collections.abc.Mapping" in sources[2] and "dtype=float)" in sources[3]
    assert sources[3].startswith("%%time\n") and sources[1].startswith("%matplotlib inline\n")
    for cell in (*notebook["cells"], *notebook_before["cells"]):
        cell["source"] = ""
    assert notebook == notebook_before
    before = _digests(corpus)
    main(["fix", "--no-cache", "--quiet", "."])
    capsys.readouterr()
    assert _digests(corpus) == before, "a second run changed something"


def test_diff_writes_nothing(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digests(corpus)
    code = main(["fix", "--diff", "--no-cache", "--quiet", "."])
    out = capsys.readouterr().out
    assert _digests(corpus) == before
    assert code == 2  # broken.py; the diff is printed all the same
    assert "+++ b/inventory.py" in out and "+++ b/weekly.ipynb:cell 3" in out and "traps.py" not in out
