"""RV313 hallucinated attributes, RV314 placeholder URLs, RV210 duplicate code (within a file and
across the files of a scan), RV406 notebook redefinition hazards: cases beyond the examples."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from reviewer.config import Config, Thresholds, load_config
from reviewer.engine import analyze
from reviewer.analysis import module_names
from reviewer.analysis.duplication import Settings, find_copies, logical_lines
from reviewer.model import Finding
from reviewer.pipeline import review
from reviewer.rules.duplicate_code import DuplicateCode
from reviewer.rules.hallucinated_attribute import HallucinatedAttribute
from reviewer.rules.notebook_redefinition import NotebookRedefinition
from reviewer.rules.placeholder_url import PlaceholderUrl, placeholder_host
from reviewer.sources import load_text
from reviewer.sources.notebook import unit_from_notebook


def _run(rule: type, code: str, path: str = "app.py", config: Config | None = None) -> list[Finding]:
    findings, errors = analyze(load_text(code, path), config or Config(), rules=[rule])
    assert errors == []
    return [f for f in findings if f.code == rule.CODE]


def _lines(rule: type, code: str, path: str = "app.py") -> list[int]:
    return sorted(f.location.line for f in _run(rule, code, path))


# --- RV313 ---------------------------------------------------------------------------------------


def test_module_index_reads_source_without_importing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "fakepkg_rv313"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "raise RuntimeError('imported!')\nfrom .core import run\nVERSION = '1'\n"
        "if True:\n    A, (B, *C) = 1, (2, 3)\ntry:\n    import json as fast\nexcept ImportError:\n    fast = None\n"
    )
    (package / "core.py").write_text("def run():\n    pass\n")
    (package / "sub" / "__init__.py").write_text("from os.path import *\n")
    (package / "lazy.py").write_text("def __getattr__(name):\n    return name\n")
    (package / "starred.py").write_text("from _not_a_module_anywhere import *\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module_names.resolve.cache_clear()
    module_names._top_level.cache_clear()
    info = module_names.resolve("fakepkg_rv313")
    assert info is not None
    assert [info.has(n) for n in ("run", "VERSION", "A", "B", "C", "fast", "core", "sub", "nope")] == [
        True, True, True, True, True, True, True, True, False]
    assert module_names.resolve("fakepkg_rv313.sub").has("joinpath") is False  # star of posixpath
    assert module_names.resolve("fakepkg_rv313.sub").has("join") is True
    assert module_names.resolve("fakepkg_rv313.lazy").has("anything") is None
    assert module_names.resolve("fakepkg_rv313.starred").has("anything") is None
    assert module_names.resolve("fakepkg_rv313.core.run") is None  # a function, not a module
    assert "fakepkg_rv313" not in __import__("sys").modules


def test_unknown_modules_are_never_reported() -> None:
    code = (
        "import sys, itertools, os, numpy_like_missing_pkg\n\n"
        "sys.no_such_thing()\nitertools.flatten([])\nos.no_such_function()\n"
        "numpy_like_missing_pkg.anything()\n"
    )
    assert _lines(HallucinatedAttribute, code) == []


def test_attribute_messages_name_the_module_and_suggest() -> None:
    found = _run(HallucinatedAttribute, "import os.path\n\nos.path.joinpath('a')\n")
    assert len(found) == 1
    assert "`os.path.joinpath` does not exist" in found[0].message
    assert "did you mean `os.path.join`?" in found[0].message


def test_guards_and_rebinding_silence_the_rule() -> None:
    code = (
        "import json\nimport shutil\n\n"
        "try:\n    parse = json.parse\nexcept AttributeError:\n    parse = json.loads\n"
        "x = json.parse if hasattr(json, 'parse') else None\n"
        "def f(json):\n    return json.parse()\n"
        "g = lambda json: json.parse()\n"
        "def h():\n    json = object()\n    return json.parse()\n"
        "shutil.copy_tree = shutil.copytree\nshutil.copy_tree('a', 'b')\n"
    )
    assert _lines(HallucinatedAttribute, code) == []


def test_module_level_rebinding_and_removed_apis_are_left_alone() -> None:
    code = (
        "try:\n    import ujson as json\nexcept ImportError:\n    json = None\n\njson.parse('1')\n"
        "import collections\nfrom collections import Mapping\ncollections.MutableMapping\n"
    )
    assert _lines(HallucinatedAttribute, code) == []


def test_missing_submodule_in_import_is_reported() -> None:
    assert _lines(HallucinatedAttribute, "import json.parsers\nfrom os.path import exists\n") == [1]


def test_newer_python_than_the_reviewer_skips_the_standard_library(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nrequires-python = ">=3.99"\n')
    config = replace(Config(), root=str(tmp_path))
    assert _run(HallucinatedAttribute, "import json\njson.parse('1')\n", config=config) == []


def test_local_module_shadowing_an_installed_one_is_not_checked(tmp_path: Path) -> None:
    (tmp_path / "requests.py").write_text("def get_json(url):\n    return {}\n")
    path = str(tmp_path / "app.py")
    assert _lines(HallucinatedAttribute, "import requests\nrequests.get_json('x')\n", path) == []


# --- RV314 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://api.example.com/v1", "api.example.com"),
        ("http://example.org", "example.org"),
        ("wss://stream.example.net/ws", "stream.example.net"),
        ("https://user:pw@db.example.com:5432/app", "db.example.com"),
        ("https://your-domain.com/api", "your-domain.com"),
        ("https://api.yourcompany.io", "api.yourcompany.io"),
        ("https://<your-resource>.openai.azure.com/", "<your-resource>.openai.azure.com"),
        ("http://mydomain.com/hook", "mydomain.com"),
        ("https://service.invalid/x", "service.invalid"),
    ],
)
def test_placeholder_hosts(url: str, host: str) -> None:
    assert placeholder_host(url) == host


@pytest.mark.parametrize(
    "url",
    ["https://api.github.com", "http://localhost:8080", "https://example.co.uk", "https://yourls.org",
     "https://jsonplaceholder.typicode.com/posts", "api.example.com/v1", "support@example.com",
     "see https://example.com", "https://{host}/api"],
)
def test_not_placeholder_hosts(url: str) -> None:
    assert placeholder_host(url) is None


def test_bare_hosts_only_for_host_names() -> None:
    code = 'DB_HOST = "db.example.com"\nDOCS_PAGE = "docs.example.com"\nAPI_URL = "api.example.com/v1"\n'
    assert _lines(PlaceholderUrl, code) == [1]


def test_placeholder_urls_in_tests_are_fine() -> None:
    code = 'import requests\n\nrequests.get("https://api.example.com/x", timeout=5)\n'
    assert _lines(PlaceholderUrl, code, "tests/test_api.py") == []
    assert _lines(PlaceholderUrl, code, "src/api.py") == [3]


def test_http_calls_and_templates() -> None:
    code = (
        "import urllib.request\nimport aiohttp\n\n"
        "urllib.request.urlopen('https://example.com/feed', timeout=5)\n"
        "session.request('GET', 'https://api.example.com/{}'.format(item))\n"
        "aiohttp.ClientSession().ws_connect('wss://ws.example.com')\n"
        "cache.get('https://api.example.com/x')\n"
        "parse_url('https://api.example.com/x')\n"
        "def example_usage():\n    requests.get('https://api.example.com/x')\n"
    )
    assert _lines(PlaceholderUrl, code) == [4, 5, 6, 7]


# --- RV210 ---------------------------------------------------------------------------------------

_FETCH = (
    "def fetch_{name}(session, key):\n"
    "    response = session.get(f'/api/{name}/{{key}}', timeout=10)\n"
    "    if response.status_code == 404:\n"
    "        logger.warning('{name} %s missing', key)\n"
    "        return None\n"
    "    response.raise_for_status()\n"
    "    payload = response.json()\n"
    "    item = {{'id': payload['id'], 'name': payload['name'], 'tags': payload.get('tags', [])}}\n"
    "    cache[key] = item\n"
    "    logger.info('loaded {name} %s', key)\n"
    "    return item\n"
)


def test_normalisation_keeps_line_numbers_and_joins_continuations() -> None:
    lines = logical_lines('x = """a\nb\n"""  # c\ny = f(1,\n      2)\nif x:\n    z = "s" + y\n')
    assert lines.texts == ["v=$", "v=v(0,0)", "ifv:", "v=$+v"]
    assert (lines.first, lines.last) == ([1, 4, 6, 7], [1, 5, 6, 7])  # a string ends its line
    assert logical_lines("import os\nfrom a import (b,\n  c)\n").texts == ["\0", "\0"]


def test_copies_need_enough_statements_tokens_and_shared_names() -> None:
    code = _FETCH.format(name="user") + "\n\n" + _FETCH.format(name="team")
    assert _lines(DuplicateCode, code) == [14]
    copies = find_copies([logical_lines(code)], Settings(min_statements=12))
    assert copies == []
    assert find_copies([logical_lines(code)], Settings(min_tokens=500)) == []
    renamed = code.replace("response", "r").replace("payload", "p").replace("item", "i").replace("cache", "c")
    half = _FETCH.format(name="user") + "\n\n" + renamed.split("\n\n\n")[1]
    assert find_copies([logical_lines(half)], Settings(min_shared_names=0.9)) == []


def test_thresholds_come_from_the_config() -> None:
    code = _FETCH.format(name="user") + "\n\n" + _FETCH.format(name="team")
    config = replace(Config(), thresholds=replace(Thresholds(), min_duplicate_statements=20))
    assert _run(DuplicateCode, code, config=config) == []


def test_three_copies_each_name_the_first() -> None:
    code = "\n\n".join(_FETCH.format(name=n) for n in ("user", "team", "org"))
    found = _run(DuplicateCode, code)
    assert [f.location.line for f in found] == [14, 27]
    assert all("at line 1," in f.message for f in found)


def _scan(tmp_path: Path, files: dict[str, str], **overrides: object) -> list[Finding]:
    (tmp_path / "pyproject.toml").write_text("[tool.reviewer]\nruff = false\nbandit = false\n")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        config = load_config(tmp_path, {"cache": True, **overrides})
        report = review(["."], config)
    finally:
        os.chdir(old)
    assert report.errors == ()
    return [f for f in report.findings if f.code == "RV210"]


def test_copies_across_files_are_reported_once_at_the_later_file(tmp_path: Path) -> None:
    header = "import logging\nlogger = logging.getLogger(__name__)\ncache = {}\n\n\n"
    files = {
        "pkg/a.py": header + _FETCH.format(name="user"),
        "pkg/b.py": header + _FETCH.format(name="team") + "\n\n" + _FETCH.format(name="org"),
    }
    found = _scan(tmp_path, files)
    # the copy of a.py starts with the module-level lines both share (imports never count)
    assert [(f.location.path, f.location.line) for f in found] == [("pkg/b.py", 2), ("pkg/b.py", 19)]
    assert "pkg/a.py, line 2" in found[0].message  # the other file, by path and line
    assert "at line 6," in found[1].message  # the within-file copy names its first occurrence
    assert all(f.fingerprint for f in found)
    # a warm scan reads the whole-run result from the cache; editing a file recomputes it
    assert [(f.location.path, f.location.line) for f in _scan(tmp_path, {})] == [("pkg/b.py", 2), ("pkg/b.py", 19)]
    (tmp_path / "pkg/b.py").write_text(header + "x = 1\n")
    assert _scan(tmp_path, {}) == []


def test_copies_respect_select_ignore_and_noqa(tmp_path: Path) -> None:
    files = {"a.py": _FETCH.format(name="user"), "b.py": _FETCH.format(name="team")}
    assert len(_scan(tmp_path, files)) == 1
    assert _scan(tmp_path, {}, ignore=("RV210",)) == []
    assert _scan(tmp_path, {}, select=("RV1",)) == []
    noqa = _FETCH.format(name="team").replace("(session, key):", "(session, key):  # noqa: RV210", 1)
    assert _scan(tmp_path, {"b.py": noqa}) == []


def test_copies_in_notebooks_are_cell_relative_and_notebooks_stand_alone(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell(_FETCH.format(name="user")),
                nbformat.v4.new_code_cell("x = 1")]
    nb.cells.append(nbformat.v4.new_code_cell(_FETCH.format(name="team")))
    (tmp_path / "n.ipynb").write_text(nbformat.writes(nb))
    # A notebook is read on its own: code it shares with a module is not copy-paste to refactor.
    found = _scan(tmp_path, {"a.py": _FETCH.format(name="org")})
    assert [(f.location.path, f.location.cell, f.location.line) for f in found] == [("n.ipynb", 3, 1)]
    assert "cell 2, line 1" in found[0].message
    # Examples stand alone too; modules of the project (a.py above, pkg/) do not.
    found = _scan(tmp_path, {"examples/a.py": _FETCH.format(name="u"), "examples/b.py": _FETCH.format(name="v"),
                             "pkg/a.py": _FETCH.format(name="w"), "pkg/b.py": _FETCH.format(name="x")})
    assert [f.location.path for f in found if not f.location.path.endswith(".ipynb")] == ["pkg/a.py", "pkg/b.py"]
    assert all("a.py, line 1" in f.message for f in found if f.location.path.startswith("pkg/"))


# --- RV406 ---------------------------------------------------------------------------------------


def _notebook(*cells: str, counts: tuple[int | None, ...] = ()) -> list[Finding]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    for cell, count in zip(nb.cells, counts, strict=False):
        cell.execution_count = count
    findings, errors = analyze(unit_from_notebook("n.ipynb", nb), Config(), rules=[NotebookRedefinition])
    assert errors == []
    return findings


def test_value_from_a_later_cell_reported_once_per_cell_with_the_cells() -> None:
    found = _notebook("lr = 0.1\n", "model = fit(lr)\nprint(lr)\n", "lr = 0.01\n", counts=(1, 5, 3))
    assert [(f.location.cell, f.location.line) for f in found] == [(1, 1)]
    assert "came from cell 3 below it" in found[0].message
    assert "uses the value from cell 1 instead" in found[0].message


def test_augmented_assignment_reads_the_hidden_value() -> None:
    found = _notebook("n = 0\n", "n += 1\n", "n = 10\n", counts=(1, 3, 2))
    assert [(f.location.cell, f.location.line) for f in found] == [(1, 1)]


def test_later_cell_that_ran_before_an_earlier_rebinding_is_fine() -> None:
    # cell 3 ran [2], then cell 1 rebound it [3]: cell 2 [4] read cell 1's value, as Run All would
    assert _notebook("a = 1\n", "print(a)\n", "a = 2\n", counts=(3, 4, 2)) == []


def test_deleted_variables() -> None:
    found = _notebook("df = load()\n", "df.head()\n", "df.plot()\n", "del df\n")
    assert [(f.location.cell, f.location.line) for f in found] == [(2, 1)]
    assert _notebook("df = load()\n", "df.head()\n", "del df\n", "df = load()\n") == []
    assert _notebook("df = load()\n", "def show():\n    return df.head()\n", "del df\n") == []


def test_redefinitions_ignore_comments_and_overloads() -> None:
    assert _notebook("def f(x):\n    return x  # first\n", "def f(x):\n\n    return x\n") == []
    overloads = (
        "from typing import overload\n@overload\ndef f(x: int) -> int: ...\n",
        "@overload\ndef f(x: str) -> str: ...\n",
    )
    assert _notebook(*overloads) == []
    found = _notebook("def f(x):\n    return x\n", "y = 1\n", "async def f(x):\n    return -x\n")
    assert [(f.location.cell, f.location.line) for f in found] == [(2, 1)]


def test_no_double_report_with_rv401() -> None:
    # used before any definition: RV401's finding, not RV406's
    assert _notebook("print(z)\n", "z = 1\n", "z = 2\n", counts=(3, 1, 2)) == []


def test_unreadable_module_source_is_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "broken_rv313.py").write_text("def ok():\n    pass\n")
    (tmp_path / "py2_rv313.py").write_text("print 'hello'\nfrom os import *\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    module_names._top_level.cache_clear()
    module_names.resolve.cache_clear()
    info = module_names.resolve("broken_rv313")
    assert info is not None and info.has("missing") is False
    (tmp_path / "broken_rv313.py").chmod(0)
    module_names._top_level.cache_clear()
    module_names.resolve.cache_clear()
    info = module_names.resolve("broken_rv313")
    if os.geteuid() != 0:  # root reads any file
        assert info is not None and info.has("missing") is None
    assert module_names.resolve("py2_rv313").has("missing") is None  # does not parse
    (tmp_path / "broken_rv313.py").chmod(0o644)


def test_copies_found_beside_the_engine_pool_match_a_serial_scan(tmp_path: Path) -> None:
    """With enough files the engine runs in worker processes and the whole-run pass in a thread
    beside them; the findings are the same as a one-process scan's."""
    files = {f"m{i}.py": _FETCH.format(name=name) for i, name in enumerate(("user", "team", "org", "role"))}
    files.update({f"other{i}.py": f"def f{i}(x):\n    return x + {i}\n" for i in range(4)})
    pooled = _scan(tmp_path, files, jobs=2, cache=False)
    serial = _scan(tmp_path, {}, jobs=1, cache=False)
    assert [(f.location.path, f.location.line) for f in pooled] == [("m1.py", 1), ("m2.py", 1), ("m3.py", 1)]
    assert pooled == serial
