"""AI-hygiene and notebook rules (RV202, RV301-RV304, RV401): cases beyond the rule examples."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from reviewer.config import Config
from reviewer.engine import Rule, analyze
from reviewer.analysis.environment import requirement_name
from reviewer.project import project_of, refresh
from reviewer.model import Finding
from reviewer.rules.hallucinated_import import HallucinatedImport
from reviewer.rules.undeclared_dependency import UndeclaredDependency
from reviewer.rules.hardcoded_secret import HardcodedSecret
from reviewer.rules.notebook_use_before_definition import NotebookUseBeforeDefinition
from reviewer.rules.placeholder_credential import PlaceholderCredential
from reviewer.rules.placeholder_implementation import PlaceholderImplementation
from reviewer.rules.swallowed_exception import SwallowedException
from reviewer.rules.vacuous_test import VacuousTest
from reviewer.sources import load_text


def run(
    rule: type[Rule], code: str, path: str = "x.py", config: Config | None = None
) -> list[Finding]:
    findings, errors = analyze(load_text(code, path), config or Config(), rules=[rule])
    assert errors == []
    return [f for f in findings if f.code == rule.CODE]


def lines(findings: list[Finding]) -> list[int]:
    return sorted(f.location.line for f in findings)


def notebook(*cells: tuple[str, str]) -> str:
    nb = nbformat.v4.new_notebook()
    makers = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    nb.cells = [makers[kind](source) for kind, source in cells]
    return json.dumps(nb)


# --- RV303 hallucinated-import -------------------------------------------------------------------

# Real distributions whose import names differ (opencv-python -> cv2, scikit-learn -> sklearn),
# none of them installed with reviewer or its test dependencies.
IMPORTS = "import flask_superauth\nimport cv2.data\nfrom sklearn.svm import SVC\n"


def test_invented_imports_are_flagged_and_real_packages_are_not(tmp_path: Path) -> None:
    found = run(HallucinatedImport, IMPORTS, str(tmp_path / "app.py"), Config(root=str(tmp_path)))
    # cv2 (opencv-python) and sklearn (scikit-learn) are real: at most undeclared (RV315).
    assert lines(found) == [1]
    assert found[0].message == (
        "Module `flask_superauth` is not in the standard library, not installed, not part of this "
        "project, and no known PyPI project provides it; it may not exist"
    )


def test_real_packages_a_project_does_not_declare_are_undeclared_dependencies(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("requests==2.32.3\n", encoding="utf-8")
    found = run(UndeclaredDependency, IMPORTS, str(tmp_path / "app.py"), Config(root=str(tmp_path)))
    assert lines(found) == [2, 3]
    assert "`scikit-learn`" in found[1].message and "requirements.txt" in found[1].message


def test_manifests_walking_up_from_the_file_declare_for_it(tmp_path: Path) -> None:
    """A monorepo: the example's own setup.py declares what it imports; the root declares the
    rest; setup.cfg, Pipfile and environment.yml count too."""
    example = tmp_path / "examples" / "imagepipe"
    example.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = tool\n[options]\ninstall_requires =\n    scikit-learn>=1\n")
    (example / "setup.py").write_text(
        "from setuptools import setup\nDEPS = ['opencv-python']\n"
        "setup(name='imagepipe', install_requires=DEPS, extras_require={'x': ['flask-superauth']})\n")
    config = Config(root=str(tmp_path))
    assert run(HallucinatedImport, IMPORTS + "import imagepipe\n", str(example / "pipe.py"), config) == []
    assert run(UndeclaredDependency, IMPORTS, str(example / "pipe.py"), config) == []
    (tmp_path / "Pipfile").write_text('[packages]\nrequests = "*"\n')
    (tmp_path / "environment.yml").write_text("dependencies:\n  - numpy=1.26\n  - pip:\n    - boto3==1.35\n")
    refresh()
    assert run(UndeclaredDependency, "import requests\nimport numpy\nimport boto3\n",
               str(tmp_path / "service.py"), config) == []


def test_python2_modules_are_named_with_their_replacement(tmp_path: Path) -> None:
    code = "import urllib2\ntry:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
    found = run(HallucinatedImport, code, str(tmp_path / "m.py"), Config(root=str(tmp_path)))
    assert [(f.location.line, f.message) for f in found] == [
        (1, "`urllib2` is a Python 2 module; Python 3 has `urllib.request` instead")]


def test_pyproject_dependencies_and_extras_are_importable(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n'
        'dependencies = ["Flask-SuperAuth>=1.2", "opencv-python ; python_version > \'3\'"]\n'
        '[project.optional-dependencies]\nml = ["scikit-learn[alldeps]==1.5"]\n',
        encoding="utf-8",
    )
    config = Config(root=str(tmp_path))
    assert run(HallucinatedImport, IMPORTS, str(tmp_path / "app.py"), config) == []
    # The project's own name counts too (a package imported by its tests before installation).
    assert run(HallucinatedImport, "import demo\n", str(tmp_path / "t.py"), config) == []


def test_requirements_files_are_read_and_reread_when_changed(tmp_path: Path) -> None:
    requirements = tmp_path / "requirements-dev.txt"
    requirements.write_text(
        "-r requirements.txt\n--index-url https://example.invalid/simple\n"
        "Flask_SuperAuth==1.0  # auth\n-e git+https://example.invalid/x.git#egg=corp-utils\n",
        encoding="utf-8",
    )
    config = Config(root=str(tmp_path))
    code = "import flask_superauth\nimport corp_utils\nimport totally_new_dep\n"
    assert lines(run(HallucinatedImport, code, str(tmp_path / "a.py"), config)) == [3]
    requirements.write_text("flask-superauth\ncorp-utils\ntotally-new-dep>=2\n", encoding="utf-8")
    refresh()  # what the pipeline does at the start of every run
    assert run(HallucinatedImport, code, str(tmp_path / "a.py"), config) == []


def test_local_modules_next_to_the_file_in_root_and_src(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "sibling_helpers.py").write_text("", encoding="utf-8")
    (tmp_path / "root_module.py").write_text("", encoding="utf-8")
    (tmp_path / "src" / "mylib").mkdir(parents=True)
    code = (
        "import sibling_helpers\nimport root_module\nfrom mylib.core import run\n"
        "import not_here_at_all\n"
    )
    script = str(tmp_path / "scripts" / "run.py")
    found = run(HallucinatedImport, code, script, Config(root=str(tmp_path)))
    assert lines(found) == [4]


def test_notebook_sees_modules_next_to_it(tmp_path: Path) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "nb_utils.py").write_text("", encoding="utf-8")
    text = notebook(("code", "import nb_utils\n"), ("markdown", "# x"), ("code", "import nb_gh\n"))
    path = str(tmp_path / "nb" / "analysis.ipynb")
    found = run(HallucinatedImport, text, path, Config(root=str(tmp_path)))
    assert [(f.location.cell, f.location.line) for f in found] == [(2, 1)]


def test_notebook_pip_install_cells_count_as_declared(tmp_path: Path) -> None:
    installs = "%pip install -q -U 'langchain-superagent>=0.2' -r extra_reqs_qz.txt\n!pip install nb-pkg\n"
    imports = "import langchain_superagent\nimport nb_pkg\nimport extra_reqs_qz\nimport never_installed\n"
    text = notebook(("code", installs), ("code", imports))
    path = tmp_path / "demo.ipynb"
    path.write_text(text, encoding="utf-8")  # the masked unit text no longer has the pip lines
    found = run(HallucinatedImport, text, str(path), Config(root=str(tmp_path)))
    assert [(f.location.cell, f.location.line) for f in found] == [(1, 3), (1, 4)]


def test_known_modules_and_optional_import_guards(tmp_path: Path) -> None:
    config = Config(root=str(tmp_path), known_modules=("corp_internal.tools",))
    code = (
        "import corp_internal.tools.x\n"
        "try:\n    import fancy_accel\n"
        "except (AttributeError, ModuleNotFoundError):\n    fancy_accel = None\n"
        "try:\n    import other_accel\nexcept ValueError:\n    pass\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from stubs_only import T\n"
    )
    assert lines(run(HallucinatedImport, code, str(tmp_path / "m.py"), config)) == [7]


def test_stdlib_and_installed_modules_are_never_flagged(tmp_path: Path) -> None:
    code = "import tomllib, __main__, _thread, zoneinfo\nimport libcst, nbformat, pytest\n"
    assert run(HallucinatedImport, code, str(tmp_path / "m.py"), Config(root=str(tmp_path))) == []


def test_requirement_name_parsing() -> None:
    assert requirement_name("Django[argon2]>=4 ; python_version>'3.8'") == "Django"
    assert requirement_name("pkg @ https://example.invalid/pkg.whl") == "pkg"
    assert requirement_name("  # just a comment") is None
    assert requirement_name("--extra-index-url https://x") is None
    assert requirement_name("./local/path") is None


def test_declared_distribution_names_map_to_import_names(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text(
        "beautifulsoup4\nPyYAML\nopencv-python-headless\ngoogle-cloud-storage\ngoogle-api-python-client\n",
        encoding="utf-8",
    )
    modules = project_of(str(tmp_path / "m.py"), str(tmp_path)).declared_modules()
    assert {"bs4", "yaml", "cv2", "google", "googleapiclient"} <= modules


# --- RV304 vacuous-test --------------------------------------------------------------------------


def test_helpers_are_followed_two_levels_deep() -> None:
    code = (
        "def _compare(a, b):\n    assert a == b\n\n"
        "def _roundtrip(value):\n    _compare(loads(dumps(value)), value)\n\n"
        "def test_roundtrip():\n    _roundtrip({'a': 1})\n"
    )
    assert run(VacuousTest, code, "tests/test_io.py") == []


def test_helpers_that_never_assert_do_not_count() -> None:
    code = (
        "def _show(value):\n    print(value)\n\n"
        "def _run(value):\n    _show(compute(value))\n\n"
        "def test_compute():\n    _run(3)\n\n"
        "def test_show():\n    _show(compute(3))\n"
    )
    # `_run(3)` runs compute(): a smoke test. `_show` only prints what the test computed.
    assert lines(run(VacuousTest, code, "tests/test_compute.py")) == [10]


def test_methods_self_helpers_and_inherited_helpers() -> None:
    code = (
        "class TestApi:\n"
        "    def _ok(self, response):\n        assert response.ok\n\n"
        "    def test_get(self, client):\n        self._ok(client.get('/'))\n\n"
        "    def test_inherited(self):\n        self.validate_node(parse('x'))\n\n"
        "    def test_smoke(self, client):\n        client.get('/')\n\n"
        "    def test_nothing(self, client):\n        response = client.get('/')\n"
    )
    assert lines(run(VacuousTest, code, "tests/test_api.py")) == [14]


def test_always_true_assert_is_reported_once_on_the_assert() -> None:
    code = "def test_model():\n    model = fit()\n    assert True, 'trained'\n"
    found = run(VacuousTest, code, "tests/test_model.py")
    assert lines(found) == [3]
    assert "never fail" in found[0].message


def test_test_files_use_pytest_naming_other_files_need_test_underscore() -> None:
    code = "def testParse():\n    tree = parse('x')\n\ndef test(a, b):\n    print(a + b)\n"
    assert lines(run(VacuousTest, code, "tests/test_parse.py")) == [1, 4]
    assert run(VacuousTest, code, "demo.py") == []


def test_fixtures_skips_and_smoke_tests_are_not_flagged() -> None:
    code = (
        "import pytest\n\n@pytest.fixture\ndef test_db():\n    yield connect()\n\n"
        "@pytest.mark.skip(reason='flaky')\ndef test_later():\n    pass\n\n"
        "def test_import_does_not_raise():\n    import mypkg\n\n"
        "def test_gpu():\n    pytest.importorskip('torch')\n"
    )
    assert run(VacuousTest, code, "tests/test_misc.py") == []


# --- RV401 notebook-use-before-definition --------------------------------------------------------


def _nb_findings(*cells: tuple[str, str]) -> list[Finding]:
    return run(NotebookUseBeforeDefinition, notebook(*cells), "analysis.ipynb")


def test_cell_indices_count_markdown_cells() -> None:
    found = _nb_findings(
        ("code", "import pandas as pd\n"),
        ("markdown", "## Train"),
        ("code", "x = 1\nmodel.fit(df)\n"),
        ("markdown", "## Setup"),
        ("code", "df = pd.read_csv('d.csv')\nmodel = make()\n"),
    )
    assert sorted((f.location.cell, f.location.line) for f in found) == [(2, 2), (2, 2)]
    messages = sorted(f.message for f in found)
    assert messages[0] == (
        "`df` is used in cell 3 but only defined in a later cell 5; "
        "the notebook fails on Restart & Run All"
    )
    assert messages[1].startswith("`model` is used in cell 3")


def test_reported_once_per_cell_at_the_first_use() -> None:
    found = _nb_findings(
        ("code", "a = cfg['a']\nb = cfg['b']\n"),
        ("code", "print(cfg)\n"),
        ("code", "cfg = {'a': 1, 'b': 2}\n"),
    )
    assert sorted((f.location.cell, f.location.line) for f in found) == [(0, 1), (1, 1)]


def test_function_bodies_are_not_module_level_but_lambdas_and_defaults_are() -> None:
    first = (
        "def f():\n    return late\n\nsq = list(map(lambda v: v * factor, [1]))\n"
        "def g(x=threshold):\n    return x\n"
    )
    found = _nb_findings(("code", first), ("code", "late = 1\nfactor = 2\nthreshold = 3\n"))
    assert sorted(f.message.split("`")[1] for f in found) == ["factor", "threshold"]


def test_assignment_reads_before_it_binds() -> None:
    found = _nb_findings(
        ("code", "count = count + 1\nlr *= 0.5\n"), ("code", "count = 0\nlr = 1.0\n")
    )
    assert sorted(f.location.line for f in found) == [1, 2]


def test_builtins_and_names_redefined_later_are_fine() -> None:
    found = _nb_findings(
        ("code", "rows = list(range(3))\nn = 1\nprint(n)\n"),
        ("code", "list = [1]\nn = 2\n"),
    )
    assert found == []


def test_plain_python_files_are_not_checked() -> None:
    assert run(NotebookUseBeforeDefinition, "print(x)\nx = 1\n") == []


# --- RV202 swallowed-exception -------------------------------------------------------------------


def test_swallowed_exception_variants() -> None:
    code = (
        "import sys\n"
        # Shown to the user on stderr, or logged on a logger attribute: not silent.
        "try:\n    a()\nexcept Exception:\n    print('failed', file=sys.stderr)\n"
        "try:\n    b()\nexcept Exception as err:\n    self._logger.error('b failed')\n"
        # Line 12 (outer, `err` unused) and line 15 (inner bare except) both swallow.
        "try:\n    c()\nexcept Exception as err:\n    try:\n        d()\n"
        "    except:\n        pass\n"
        # BaseException inside a tuple is broad, but sys.exit ends the program loudly.
        "try:\n    e()\nexcept (OSError, BaseException):\n    sys.exit(1)\n"
    )
    assert lines(run(SwallowedException, code)) == [12, 15]


def test_shadowed_bound_name_is_still_a_use() -> None:
    code = "try:\n    f()\nexcept Exception as e:\n    failures.append(e)\n"
    assert run(SwallowedException, code) == []


# --- RV301 placeholder-implementation ------------------------------------------------------------


def test_placeholder_message_names_the_function_and_marker() -> None:
    code = "@app.route('/x')\n# TODO: wire up\ndef handler():\n    pass\n"
    found = run(PlaceholderImplementation, code)
    assert lines(found) == [3]
    assert "`handler`" in found[0].message and "TODO" in found[0].message


def test_stub_files_and_real_bodies_are_not_placeholders() -> None:
    stub = "def f() -> int:  # TODO\n    ...\n"
    assert run(PlaceholderImplementation, stub, "pkg/mod.pyi") == []
    code = "def f(x):\n    # TODO: faster\n    if x:\n        return 1\n    pass\n"
    assert run(PlaceholderImplementation, code) == []


def test_informal_abstract_method_needs_a_strong_marker() -> None:
    plain = (
        "class Base:\n    def run(self):\n        raise NotImplementedError('not implemented')\n"
    )
    assert run(PlaceholderImplementation, plain) == []
    todo = "class Base:\n    def run(self):\n        raise NotImplementedError  # TODO\n"
    assert lines(run(PlaceholderImplementation, todo)) == [2]


# --- RV302 placeholder-credential ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["your-api-key-here", "YOUR_API_KEY", "<your-token>", "changeme", "replace-me", "xxxxxxxx",
     "sk-...", "insert-key-here", "TODO", "password123", "dummy"],
)
def test_placeholder_values(value: str) -> None:
    found = run(PlaceholderCredential, f'client = Client(api_key="{value}")\n')
    assert lines(found) == [1]
    assert "`api_key`" in found[0].message and "environment" in found[0].message


def test_placeholders_belong_to_rv302_not_rv101() -> None:
    code = 'OPENAI_API_KEY = "your-openai-api-key-here"\n'
    assert run(HardcodedSecret, code) == []
    assert lines(run(PlaceholderCredential, code)) == [1]


def test_placeholder_credential_ignores_tests_and_non_secrets() -> None:
    assert run(PlaceholderCredential, 'API_KEY = "changeme"\n', "tests/test_client.py") == []
    code = 'cache_key = "TODO"\npad_token = "<pad>"\ntoken = ""\nmax_tokens = "xxx"\n'
    assert run(PlaceholderCredential, code) == []
