"""RV303 hallucinated-import: an import of a module that exists nowhere the code could find it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.environment import (
    declared_modules,
    is_installed,
    is_local_module,
    normalize,
    pip_installed_modules,
    stdlib_modules,
)
from reviewer.engine.guards import guarded
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Handlers that make an import optional: `try: import x` / `except ImportError: x = None`.
_IMPORT_GUARDS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)


#: `if` tests that make an import conditional on the environment rather than always executed.
_IF_GUARD = re.compile(r"TYPE_CHECKING|version_info|platform|find_spec|importorskip")


class HallucinatedImport(Rule):
    """Import of a module that is not in the standard library, not installed and not declared.

    ## What it does
    Flags absolute imports (`import x`, `from x import y`) whose top-level module is none of: a
    standard-library module, a module installed in the environment running the review, a module
    provided by a dependency declared in the project (`[project] dependencies` and
    `optional-dependencies`, dependency groups, Poetry dependencies, `requirements*.txt`), a local
    module (`x.py` or `x/` next to the reviewed file, in the project root or in its `src/`), or a
    name listed in `known-modules`. Relative imports, `__future__`, imports inside a `try` block
    with an `except ImportError` (optional dependencies) and imports under an `if` on
    `TYPE_CHECKING`, `sys.version_info`, the platform or `find_spec` (backports, extras) are not
    checked. In a notebook, packages it installs itself (`!pip install x`, `%pip install x`)
    count as declared.

    ## Why is this bad?
    AI assistants invent plausible package names (`flask_superauth`, `sklearn_utils`). The code
    fails with `ModuleNotFoundError` at import time, or worse: someone installs a package of that
    name from PyPI, which attackers register on purpose ("slopsquatting").
    """

    CODE = "RV303"
    NAME = "hallucinated-import"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.ERROR
    # The review may run in another environment than the project's, so absence is strong but
    # not certain evidence.
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = (
        "Module is not in the standard library, not installed and not declared; it may not exist"
    )
    TRIGGERS = ("import",)

    VALID: ClassVar[list[Valid]] = [
        Valid("import os\nimport tomllib\nfrom collections.abc import Mapping\n"),
        Valid("import libcst as cst\nfrom nbformat import v4\n"),
        Valid("from __future__ import annotations\nfrom . import utils\nfrom .db import User\n"),
        Valid(
            "try:\n    import ujson_turbo_native as json\n"
            "except ImportError:\n    import json\n"
        ),
        Valid("import __main__\nimport _thread\nimport sys, reviewer.engine\n"),
        Valid("import sys\n\nif sys.version_info < (3, 11):\n    import tomli as tomllib\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import os\nimport reqeusts_magic_helper\n", line=2),
        Invalid("from flask_superauth import login\n", line=1),
        Invalid(
            "import json\n\ndef load():\n    import pandas_ai_cleaner as pac\n"
            "    return pac.clean()\n",
            line=4,
        ),
        Invalid(
            "try:\n    import ujson\n"
            "except ImportError:\n    import fastjson_compat_layer as ujson\n",
            line=4,
        ),
        Invalid("import sklearn_autotune.search as search\n", line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._installs: set[str] | None = None

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is not None:
                self._check(name.split(".")[0], alias.name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        name = dotted_name(node.module)
        if name is not None:
            self._check(name.split(".")[0], node.module)

    def _check(self, top: str, where: cst.CSTNode) -> None:
        # Cheapest answers first: a set lookup, then a cached file-system search, then the
        # project's declared dependencies, then a few stat calls for local modules.
        if top in stdlib_modules() or top in self._known():
            return
        if is_installed(top) or normalize(top) in declared_modules(self.context.config.root):
            return
        if is_local_module(top, self._directories()) or self._guarded():
            return
        if normalize(top) in self._notebook_installs():
            return
        self.report(
            where,
            f"Module '{top}' is not in the standard library, not installed, not declared as a "
            "dependency and not a local module; it may not exist",
        )

    def _notebook_installs(self) -> set[str]:
        """Modules the notebook installs in its own cells (`!pip install x`): the unit text has
        those lines masked, so read the notebook file once, only when an import is unresolved."""
        if self._installs is None:
            self._installs = set()
            unit = self.context.unit
            if unit.is_notebook:
                try:
                    cells = json.loads(Path(unit.path).read_text(encoding="utf-8")).get("cells", [])
                except (OSError, ValueError, AttributeError):
                    cells = []  # live content from Jupyter, or not a readable notebook file
                for cell in cells:
                    source = cell.get("source", "") if isinstance(cell, dict) else ""
                    text = "".join(source) if isinstance(source, list) else str(source)
                    self._installs |= pip_installed_modules(text)
        return self._installs

    def _known(self) -> set[str]:
        return {name.split(".")[0] for name in self.context.config.known_modules}

    def _directories(self) -> list[Path]:
        root = Path(self.context.config.root)
        directories = [root, root / "src"]
        path = self.context.unit.path
        if not path.startswith("<"):  # "<stdin>" has no directory
            directories.insert(0, Path(path).parent)
        return directories

    def _guarded(self) -> bool:
        """Inside the body of a `try` whose handlers accept an ImportError (optional import), or
        under an `if` that decides whether the import runs (`TYPE_CHECKING`, a Python version or
        platform check, `importlib.util.find_spec`): backports and optional extras."""
        return guarded(self.context.stack, self.context.code_for, _IMPORT_GUARDS, _IF_GUARD)
