"""Python 3.12+ syntax: our engine (libcst) reviews the file; bandit, running on 3.11, cannot, and
says so as a per-file tool error instead of the file silently missing from the report."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reviewer.config import load_config
from reviewer.pipeline import review

_CODE = '''import os
import sys

type Command = str


def run[T](value: T) -> T:
    print(f"running {"quoted" + os.sep}")
    os.system("echo " + sys.argv[1])
    return value
'''


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="on 3.12+ bandit parses this file itself")
def test_pep_695_and_701_files_are_reviewed_and_bandit_reports_a_file_error(tmp_path: Path) -> None:
    (tmp_path / "new.py").write_text(_CODE, encoding="utf-8")
    config = load_config(tmp_path, {"cache": False})
    report = review([str(tmp_path / "new.py")], config)
    codes = {f.code for f in report.findings}
    assert "RV111" in codes  # taint: sys.argv into os.system, found by our engine
    bandit_errors = [e for e in report.errors if e.tool == "bandit"]
    assert len(bandit_errors) == 1 and bandit_errors[0].path.endswith("new.py")
    assert not [e for e in report.errors if e.tool == "reviewer"]
