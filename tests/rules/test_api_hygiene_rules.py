"""API-hygiene rules (RV208, RV209, RV305, RV306): cases beyond the rule examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.config import Config
from reviewer.engine import Rule, analyze
from reviewer.model import Finding
from reviewer.rules import removed_api
from reviewer.rules.print_debugging import PrintDebugging
from reviewer.rules.removed_api import RemovedApi, RemovedApiPackError, load_pack
from reviewer.rules.resource_without_context_manager import ResourceWithoutContextManager
from reviewer.rules.retry_without_backoff import RetryWithoutBackoff
from reviewer.sources import load_text


def run(
    rule: type[Rule], code: str, path: str = "x.py", config: Config | None = None
) -> list[Finding]:
    findings, errors = analyze(load_text(code, path), config or Config(), rules=[rule])
    assert errors == []
    return [f for f in findings if f.code == rule.CODE]


def lines(findings: list[Finding]) -> list[int]:
    return sorted(f.location.line for f in findings)


# --- RV305 removed-api: the pack ---------------------------------------------------------------


def test_shipped_pack_loads() -> None:
    names = {api.name for api in load_pack()}
    assert {"imp", "numpy.float", "collections.Mapping", "unittest.TestCase.assertEquals"} <= names


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ('name = "imp"\npackage = "python"\nremoved_in = "3.12"\nreplacement = "x"\nmodul = true\n',
         "unknown keys ['modul']"),
        ('name = "imp"\npackage = "python"\nremoved_in = "3.12"\n', "missing keys ['replacement']"),
        ('name = "imp"\npackage = "python"\nreplacement = "x"\n', "exactly one of"),
        ('name = "imp"\npackage = "python"\nremoved_in = "soon"\nreplacement = "x"\n', "is not like"),
        ('name = "a.b"\npackage = "p"\nremoved_in = "1"\nreplacement = "x"\nmethod = true\n',
         "needs a receivers list"),
    ],
)
def test_malformed_pack_entries_name_the_file_and_entry(tmp_path: Path, entry: str, error: str) -> None:
    good = '[[api]]\nname = "cgi"\npackage = "python"\nremoved_in = "3.13"\nreplacement = "y"\n\n'
    path = tmp_path / "removed_apis.toml"
    path.write_text(f"version = 1\n\n{good}[[api]]\n{entry}", encoding="utf-8")
    with pytest.raises(RemovedApiPackError) as info:
        load_pack(path)
    assert str(path) in str(info.value)
    assert "entry 2" in str(info.value)
    assert error in str(info.value)


def test_pack_that_is_not_toml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "removed_apis.toml"
    path.write_text("[[api]\n", encoding="utf-8")
    with pytest.raises(RemovedApiPackError, match="removed_apis.toml"):
        load_pack(path)


# --- RV305 removed-api: version gating --------------------------------------------------------


def _project(tmp_path: Path, requires: str | None) -> Config:
    body = '[project]\nname = "demo"\nversion = "1"\n'
    if requires is not None:
        body += f'requires-python = "{requires}"\n'
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    return Config(root=str(tmp_path))


@pytest.mark.parametrize(
    ("requires", "flagged"),
    [(">=3.8", True), (">=3.8,<3.12", False), ("~=3.9", True), ("==3.11.*", False), ("<=3.12", True)],
)
def test_stdlib_removals_follow_requires_python(tmp_path: Path, requires: str, flagged: bool) -> None:
    found = run(RemovedApi, "import imp\n", str(tmp_path / "a.py"), _project(tmp_path, requires))
    assert bool(found) is flagged
    if flagged:
        assert found[0].message == "`imp` was removed in Python 3.12 (use importlib)"


def test_without_requires_python_the_running_interpreter_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _project(tmp_path, None)
    monkeypatch.setattr(removed_api.sys, "version_info", (3, 11, 0))
    assert run(RemovedApi, "import imp\n", str(tmp_path / "a.py"), config) == []
    monkeypatch.setattr(removed_api.sys, "version_info", (3, 12, 1))
    assert lines(run(RemovedApi, "import imp\n", str(tmp_path / "a.py"), config)) == [1]


def test_third_party_removals_follow_the_installed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    code = "import numpy as np\n\nx = np.float(1)\n"
    monkeypatch.setattr(removed_api, "installed_version", lambda name: (1, 23, 5))
    assert run(RemovedApi, code) == []
    monkeypatch.setattr(removed_api, "installed_version", lambda name: (1, 26, 0))
    found = run(RemovedApi, code)
    assert [f.message for f in found] == ["`numpy.float` was removed in numpy 1.24 (use float or numpy.float64)"]
    monkeypatch.setattr(removed_api, "installed_version", lambda name: None)
    assert run(RemovedApi, code)[0].message.endswith("; this applies if you use numpy >= 1.24")


def test_qualified_names_and_look_alikes() -> None:
    code = (
        "import collections.abc\nimport datetime as dt\nfrom typing.io import TextIO\n"
        "import pandas as pd\n\n"
        "a = collections.abc.Mapping\nb = dt.datetime.utcnow()\nc = pd.DataFrame.append\n"
        "rows = []\nrows.append(1)\ndata_df.iteritems()\n"
    )
    assert lines(run(RemovedApi, code)) == [3, 7, 8, 11]


def test_unittest_aliases_need_a_testcase() -> None:
    code = (
        "from unittest import TestCase\n\nclass A(TestCase):\n    def test(self):\n"
        "        self.assertRegexpMatches('a', 'a')\n        self.assertEqual(1, 1)\n\n"
        "class B:\n    def test(self):\n        self.assertItemsEqual([], [])\n"
    )
    assert lines(run(RemovedApi, code)) == [5]


def test_get_event_loop_inside_a_coroutine_is_fine() -> None:
    code = (
        "import asyncio\n\ndef sync():\n    return asyncio.get_event_loop()\n\n"
        "async def coro():\n    return asyncio.get_event_loop()\n"
    )
    assert lines(run(RemovedApi, code)) == [4]


# --- RV306 print-debugging --------------------------------------------------------------------


def _package(tmp_path: Path, relative: str, code: str, package: bool = True) -> str:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if package:
        (path.parent / "__init__.py").write_text("", encoding="utf-8")
    path.write_text(code, encoding="utf-8")
    return str(path)


def test_print_in_a_package_module_is_flagged(tmp_path: Path) -> None:
    path = _package(tmp_path, "pkg/core.py", "def f(x):\n    print(x)\n")
    assert lines(run(PrintDebugging, "def f(x):\n    print(x)\n", path)) == [2]


@pytest.mark.parametrize(
    ("relative", "package"),
    [
        ("pkg/__main__.py", True),
        ("scripts/tool.py", True),
        ("pkg/tests/test_core.py", True),
        ("pkg/conftest.py", True),
        ("standalone/run.py", False),
    ],
)
def test_print_exemptions_by_path(tmp_path: Path, relative: str, package: bool) -> None:
    code = "def f(x):\n    print(x)\n"
    path = _package(tmp_path, relative, code, package)
    assert run(PrintDebugging, code, path) == []


def test_print_exemptions_by_context(tmp_path: Path) -> None:
    code = (
        "import sys\n\ndef run_cli(args):\n    print(args)\n\n"
        "def log(msg, fh):\n    print(msg, file=sys.stderr)\n    print(msg, file=fh)\n\n"
        "if __name__ == '__main__':\n    print('hi')\n"
    )
    path = _package(tmp_path, "pkg/mod.py", code)
    assert run(PrintDebugging, code, path) == []


def test_rebound_print_is_not_builtin(tmp_path: Path) -> None:
    code = "from rich import print\n\nprint('[bold]x')\n"
    assert run(PrintDebugging, code, _package(tmp_path, "pkg/ui.py", code)) == []


# --- RV208 resource-without-context-manager ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "    f = open(p)\n    return f\n",
        "    f = open(p)\n    yield f\n",
        "    f = open(p)\n    self.handle = f\n",
        "    f = open(p)\n    self.files.append(f)\n",
        "    f = open(p)\n    with f:\n        return f.read()\n",
        "    f = open(p)\n    atexit.register(f.close)\n",
        "    f = open(p, 'w')\n    f.write('x')\n    f.close()\n",
        "    with open(p) as f:\n        return f.read()\n",
        "    return io.TextIOWrapper(open(p, 'rb'))\n",
        "    stack.enter_context(open(p))\n",
    ],
)
def test_escaping_or_closed_resources_are_fine(body: str) -> None:
    code = f"import atexit\nimport io\n\ndef f(self, p, stack):\n{body}"
    assert run(ResourceWithoutContextManager, code) == []


def test_leaked_resources_are_flagged_with_their_name() -> None:
    code = (
        "import sqlite3\nimport tempfile\n\ndef f(p):\n    db = sqlite3.connect(p)\n"
        "    db.execute('select 1')\n    tmp: object = tempfile.NamedTemporaryFile()\n"
        "    if tmp is None:\n        pass\n"
    )
    found = run(ResourceWithoutContextManager, code)
    assert lines(found) == [5, 7]
    assert found[0].message.startswith("`db` is opened and never closed")


def test_closing_another_name_does_not_count() -> None:
    code = "def f(p, q):\n    a = open(p)\n    b = open(q)\n    b.close()\n    return a.read()\n"
    assert lines(run(ResourceWithoutContextManager, code)) == [2]


# --- RV209 retry-without-backoff --------------------------------------------------------------


def test_backoff_helper_counts_as_a_delay() -> None:
    code = (
        "def get():\n    for attempt in range(5):\n        try:\n            return fetch()\n"
        "        except OSError:\n            backoff_delay(attempt)\n"
    )
    assert run(RetryWithoutBackoff, code) == []


def test_nested_loop_reports_only_the_retry_loop() -> None:
    code = (
        "def get(urls):\n    for url in urls:\n        for _ in range(3):\n            try:\n"
        "                fetch(url)\n                break\n            except OSError:\n"
        "                continue\n"
    )
    assert lines(run(RetryWithoutBackoff, code)) == [3]
