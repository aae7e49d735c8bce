"""RV307 unknown-package: install lines, requirements files, pyproject dependencies, typosquats."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewer.config import Config
from reviewer.analysis import pypi_names
from reviewer.model import Severity
from reviewer.pipeline import review
from reviewer.rules.unknown_package import (
    check_dependency_files,
    install_names,
    pyproject_entries,
    requirements_entries,
    verdict,
)


def test_loader_finds_the_bundled_data() -> None:
    assert pypi_names.data_path(pypi_names.ALL_FILE).is_file()
    assert pypi_names.popular_ranked()[:50].count("requests") == 1
    assert len(pypi_names.popular_names()) > 10_000
    assert pypi_names.is_known("Django") and pypi_names.is_known("zope.interface")
    assert pypi_names.is_known("sklearn-utils")  # not popular: needs the full list
    assert not pypi_names.is_known("langchain-openai-toolkit")


@pytest.mark.parametrize(
    ("name", "popular"),
    [("reqeusts", "requests"), ("colourama", "colorama"), ("matplotlb", "matplotlib"),
     ("python-requests", "requests"), ("langchain-comunity", "langchain-community"),
     ("scikitlearn", "scikit-learn")],
)
def test_typosquats(name: str, popular: str) -> None:
    assert pypi_names.typosquat_of(name) == popular
    assert verdict(name) is not None
    assert f"looks like a typo of `{popular}`" in verdict(name)[1]


@pytest.mark.parametrize("name", ["requests", "numpy", "torch", "pyside2", "boto", "jwt", "openai"])
def test_popular_and_versioned_names_are_not_typos(name: str) -> None:
    assert pypi_names.typosquat_of(name) is None
    assert verdict(name) is None


def test_severity_and_allow_list() -> None:
    assert verdict("langchain-openai-toolkit")[0] is Severity.ERROR
    assert verdict("reqeusts")[0] is Severity.ERROR  # a typo that does not even exist
    assert verdict("flasks") == (Severity.WARNING,
                                 "`flasks` looks like a typo of `flask` (a typosquatting risk)")
    assert verdict("Corp_Internal.Tools", allowed=["corp-internal-tools"]) is None


def test_install_line_arguments() -> None:
    args = (" -q -U --index-url https://x/simple -r reqs.txt -e . pandas>=2 'numpy==1.26' "
            "requests[socks] 'lib @ git+https://github.com/o/lib' ./dist/x.whl $PKG {pkg} "
            "git+https://github.com/o/r.git  # a comment")
    assert install_names(args) == ["pandas", "numpy", "requests"]
    assert install_names(" 'unbalanced") == ["unbalanced"]


def test_requirements_syntax_is_parsed_without_crashing() -> None:
    lines = [
        "# comment",
        "--index-url https://pypi.example.com/simple",
        "-r base.txt",
        "-c constraints.txt",
        "-e git+https://github.com/o/r.git#egg=helpers",
        "-e ./local",
        "Django>=4.2,<5 ; python_version >= '3.10'  # web",
        "requests[socks,security]==2.31.0 \\",
        "    --hash=sha256:abc \\",
        "    --hash=sha256:def",
        "name @ https://example.com/name-1.0.tar.gz",
        "https://example.com/wheels/tool-1.0-py3-none-any.whl",
        "./vendor/pkg",
        "reqeusts",
        "pkg-with.dots_and-dashes~=1.0",
        "${PRIVATE_PKG}",
        "???",
        "",
    ]
    assert list(requirements_entries("\n".join(lines))) == [
        (7, "Django"), (8, "requests"), (14, "reqeusts"), (15, "pkg-with.dots_and-dashes"),
    ]


def test_pyproject_entries_with_lines() -> None:
    text = """\
[build-system]
requires = ["hatchling>=1.18"]

[project]
name = "demo"
dependencies = [
    "requests>=2",
    "reqeusts",  # typo
    "lib @ git+https://github.com/o/lib",
]
[project.optional-dependencies]
ai = ["langchain-openai-toolkit>=0.1"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "ai"}]

[tool.poetry.dependencies]
python = "^3.11"
colourama = "^0.4"
local = {path = "../local"}
"""
    assert sorted(pyproject_entries(text)) == sorted([
        (7, "requests"), (8, "reqeusts"), (12, "langchain-openai-toolkit"), (15, "pytest"),
        (2, "hatchling"), (19, "colourama"),
    ])
    assert list(pyproject_entries("not = [toml")) == []


def test_check_dependency_files(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\ndependencies = ["pandas", "flasks", "corp-internal"]\n'
    )
    (tmp_path / "requirements-dev.txt").write_text(
        "pytest\nreqeusts  # noqa: RV307\nnot-a-real-pkg-xyzzy-42\n"
    )
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "ci.txt").write_text("colourama\n")
    found = check_dependency_files(tmp_path, allowed=["corp_internal"])
    where = [(Path(f.location.path).relative_to(tmp_path).as_posix(), f.location.line,
              f.severity) for f in found]
    assert where == [
        ("pyproject.toml", 3, Severity.WARNING),
        ("requirements-dev.txt", 3, Severity.ERROR),
        ("requirements/ci.txt", 1, Severity.ERROR),
    ]
    assert all(f.code == "RV307" and f.fingerprint for f in found)


def test_pipeline_checks_the_root_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "requirements.txt").write_text("numpy\nnot-a-real-pkg-xyzzy-42\n")
    (tmp_path / "app.py").write_text("import os\n")
    monkeypatch.chdir(tmp_path)
    config = Config(root=str(tmp_path), cache=False)
    report = review(["."], config, use_baseline=False)
    assert [(f.location.path, f.location.line) for f in report.findings if f.code == "RV307"] == [
        ("requirements.txt", 2)
    ]
    assert report.errors == ()
    # a requirements file given explicitly is checked, not loaded as Python
    report = review(["requirements.txt"], config, use_baseline=False)
    assert [f.code for f in report.findings] == ["RV307"] and report.errors == ()
    # a subdirectory does not contain the root: dependency files are not checked
    os.mkdir("pkg")
    assert review(["pkg"], config, use_baseline=False).findings == ()
    ignored = Config(root=str(tmp_path), cache=False, ignore=("RV307",))
    assert [f for f in review(["."], ignored, use_baseline=False).findings if f.code == "RV307"] == []
