"""RV315 undeclared-dependency: package code imports a real PyPI project its manifest does not list."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Valid
from reviewer.model import Category, Confidence, Severity
from reviewer.project import UNDECLARED, Resolution
from reviewer.rules.hallucinated_import import ImportCheck


class UndeclaredDependency(ImportCheck):
    """Package code imports a PyPI project that its project does not declare.

    ## What it does
    Flags module-level, unconditional imports of a real PyPI project (by name or through the
    bundled import-name table: `yaml` is PyYAML) that is not installed where the review runs
    and that no manifest of the file's project declares (`pyproject.toml`, `setup.py`,
    `setup.cfg`, `requirements*.txt`, `requirements/*.txt`, `Pipfile`, `environment.yml`,
    `tox.ini`, in the file's directory or any parent up to the project's top). Like deptry's missing-dependency check, but
    only where a declaration is expected: package code of a project whose nearest manifest
    declares dependencies (for a library, modules importable through its packages; for an
    application with a `requirements.txt`, all of its files). Tests, docs, examples and
    scripts of a library, imports inside functions (optional features) and optional imports
    (`try`/`except ImportError`, `if TYPE_CHECKING:`) are not flagged.

    ## Why is this bad?
    Installed from its manifest, the project fails with `ModuleNotFoundError` at import time on
    every machine that does not happen to have the package already. AI assistants add imports
    without touching the dependency list.
    """

    CODE = "RV315"
    NAME = "undeclared-dependency"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    # Installed elsewhere, declared through a plugin or a lock file we do not read: medium.
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "Imports a PyPI project the project's manifest does not declare"
    TRIGGERS = ("import",)
    MODULE_LEVEL_ONLY = True

    _LIBRARY = (("pyproject.toml", '[project]\nname = "shop"\ndependencies = ["requests>=2"]\n'),
                ("shop/__init__.py", ""))

    VALID: ClassVar[list[Valid]] = [
        Valid("import os\nimport libcst\n"),  # no manifest around it: nothing to declare into
        Valid("import requests\nimport tomllib\n", path="shop/api.py", files=_LIBRARY),
        Valid("def render():\n    import boto3\n    return boto3\n", path="shop/views.py", files=_LIBRARY),
        Valid("try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
              path="shop/codec.py", files=_LIBRARY),
        Valid("import boto3\n", path="examples/render.py", files=_LIBRARY),
        Valid("import boto3\n", path="tests/test_views.py", files=_LIBRARY),
        Valid("import boto3\n", path="shop/views.py",
              files=(*_LIBRARY, ("requirements-aws.txt", "boto3==1.35.0\n"))),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import requests\nimport boto3\n", path="shop/views.py", files=_LIBRARY, line=2),
        Invalid("import pandas as pd\nfrom dotenv import load_dotenv\n", path="report.py",
                files=(("requirements.txt", "pandas==2.2.3\n"),), line=2),
    ]

    def decide(self, top: str, where: cst.CSTNode, resolution: Resolution) -> None:
        project = resolution.project
        if resolution.status != UNDECLARED or project is None or self._test_file:
            return
        path = self.context.unit.path
        if path.startswith("<") or not project.declares_dependencies() or not project.in_package(Path(path)):
            return
        nearest = project.nearest
        where_declared = f" ({nearest.path.name})" if nearest is not None else ""
        self.report(
            where,
            f"`{top}` comes from the PyPI project `{resolution.provider}`, which this project does "
            f"not declare{where_declared}: add it to the dependencies",
        )
