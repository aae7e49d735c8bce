"""Tool findings their context contradicts (tools/refine.py), on the real ruff and bandit."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.config import load_config
from reviewer.pipeline import review


def _codes(tmp_path: Path, files: dict[str, str], *codes: str) -> list[tuple[str, str, int]]:
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer]\ncache = false\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = review([str(tmp_path / name) for name in files], load_config(tmp_path))
    assert report.errors == ()
    return sorted((f.code, Path(f.location.path).name, f.location.line) for f in report.findings
                  if f.code in codes or any(c in codes for c in f.also))


def test_useless_expressions_that_are_displayed_probed_or_explained(tmp_path: Path) -> None:
    code = (
        "import pytest\n\n\ndef f(x, data):\n    x.shape\n    with pytest.raises(AttributeError):\n"
        "        x.missing\n    try:\n        data.write\n    except AttributeError:\n        pass\n"
        "    data.apps  # render the registry now\n    return x\n\n\n# %%\nmodel = f(1, 2)\nmodel\n\n# %%\n"
        "print(model)\n"
    )
    assert _codes(tmp_path, {"plot_demo.py": code}, "B018") == [("B018", "plot_demo.py", 5)]


def test_comparisons_and_expressions_that_end_a_gallery_cell_are_displayed(tmp_path: Path) -> None:
    separator = "#" * 40 + "\n"
    code = (
        "import numpy as np\n\n" + separator + "# Fit\n\nbest = np.argmin([3, 1])\nbest\n\n"
        + separator + "# Compare\nbest == 1\n\n" + separator + "best == 2\nprint(best)\n"
    )
    found = _codes(tmp_path, {"plot_demo.py": code}, "B018", "B015")
    assert found == [("B015", "plot_demo.py", 14)]


def test_sql_words_inside_a_prompt_are_not_a_query(tmp_path: Path) -> None:
    code = (
        "def ask(tags, title, table, key):\n"
        "    prompt = f\"Given the title {title}, select up to 3 tags from the following list: {tags}\"\n"
        "    query = f\"SELECT name FROM {table} WHERE id = {key}\"\n"
        "    update = \"UPDATE %s SET done = 1 WHERE id = %s\" % (table, key)\n"
        "    return prompt, query, update\n"
    )
    found = _codes(tmp_path, {"ask.py": code}, "B608", "S608")
    assert [line for _, _, line in found] == [3, 4]


def test_late_binding_only_where_the_closure_outlives_its_pass(tmp_path: Path) -> None:
    code = (
        "def run(items):\n    out, later = [], []\n    for i in items:\n        def now():\n"
        "            return i\n        out.append(now())\n        later.append(lambda: i)\n    return out, later\n"
    )
    assert _codes(tmp_path, {"loops.py": code}, "B023") == [("B023", "loops.py", 7)]


def test_direction_marks_in_locale_text_are_not_trojan_source(tmp_path: Path) -> None:
    files = {
        "formats.py": 'SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"\n',
        "access.py": 'access_level = "user\u202e \u2066// admin\u2069 \u2066"\n',
    }
    found = _codes(tmp_path, files, "B613", "PLE2502")
    assert {name for _, name, _ in found} == {"access.py"}
    assert len(found) == 1  # bandit's B613 and ruff's PLE2502 are one finding


@pytest.mark.parametrize("name", ["tests/test_io.py", "conftest.py"])
def test_tool_security_findings_in_tests_except_running_code(tmp_path: Path, name: str) -> None:
    code = (
        "import hashlib\nimport subprocess\n\n\ndef test_io(tmp_path, snippet):\n    path = '/tmp/out.txt'\n"
        "    hashlib.md5(b'x').hexdigest()\n    subprocess.run('ls', shell=True)\n"
        "    assert eval(snippet)\n    return path\n"
    )
    found = {code for code, _, _ in _codes(tmp_path, {name: code}, "B108", "S108", "B324", "S324", "B602",
                                                                    "S602", "B307", "S307", "RV104")}
    assert found & {"RV104", "B307", "S307"} and not found & {"B108", "S108", "B324", "S324", "B602", "S602"}
