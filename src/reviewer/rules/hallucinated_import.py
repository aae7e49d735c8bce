"""RV303 hallucinated-import: an import of a module that exists nowhere the code could find it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.analysis.environment import normalize, pip_installed_modules
from reviewer.analysis.guards import guarded
from reviewer.analysis.handlers import catches
from reviewer.analysis.tests_detection import is_test_path
from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity
from reviewer.project import MISSING, OBSCURE, PYTHON2, Resolution, resolve_import

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Handlers that make an import optional: `try: import x` / `except ImportError: x = None`.
IMPORT_GUARDS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)
#: `if` tests that make an import conditional on the environment rather than always executed:
#: type checking, Python version and platform checks, feature flags (`if PYDANTIC_V2:`,
#: `if HAS_NUMPY:`, `if torch_available():`).
IF_GUARD = re.compile(
    r"TYPE_CHECKING|version_info|platform|find_spec|importorskip|VERSION|_V\d|\bPY\d|\bHAS_|\bhas_|"
    r"_AVAILABLE|available|installed|is_\w+_version|sniffio"
)
#: Tests that ask whether a module can be imported.
_AVAILABILITY = re.compile(r"find_spec|available|installed|importable|HAS_|has_")
_TOLD_TO_INSTALL = re.compile(r"pip3?\s+install\s+([^`\"'\n\\]+)")
_WRITEFILE = re.compile(r"^\s*%%(?:writefile|file)(?:\s+-a)?\s+(\S+)", re.MULTILINE)


class ImportCheck(Rule):
    """What RV303 and RV315 share: the top-level module of each absolute, unguarded import,
    resolved once against the environment and the file's project."""

    #: Only module-level imports (RV315: a lazy import inside a function is an optional feature).
    MODULE_LEVEL_ONLY: ClassVar[bool] = False

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._notebook: set[str] | None = None
        self._test_file = is_test_path(context.unit.path)
        self._known = frozenset(name.split(".")[0] for name in context.config.known_modules)

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
        if top == "__future__":
            return
        in_function = self.context.enclosing(cst.FunctionDef) is not None
        if self.MODULE_LEVEL_ONLY and in_function:
            return
        resolution = resolve_import(top, self.context.unit.path, self._known, self.context.config.root,
                                    self.context.config.python_path)
        if resolution.status == "found" or self._guarded():
            return
        if normalize(top) in self._notebook_modules():
            return
        if self._test_file and (
            (in_function and self._builds_modules())
            or (resolution.project is not None and resolution.project.is_test_fixture(top))
        ):
            return  # a test that writes modules to a temporary path, or test apps beside it
        if self._dead_fallback():
            return
        self.decide(top, where, resolution)

    def decide(self, top: str, where: cst.CSTNode, resolution: Resolution) -> None:
        raise NotImplementedError

    def _dead_fallback(self) -> bool:
        """In an `except ImportError:` handler of a `try` whose own imports all resolve: the
        fallback (`from BaseHTTPServer import ...` after `from http.server import ...`) never
        runs here."""
        stack = self.context.stack
        for index in range(len(stack) - 2, 0, -1):
            handler, block = stack[index], stack[index - 1]
            if isinstance(handler, cst.ExceptHandler) and isinstance(block, cst.Try):
                if not catches(handler, IMPORT_GUARDS):
                    return False
                tops = [name.split(".")[0] for name in _imported(block.body)]
                return bool(tops) and all(
                    resolve_import(top, self.context.unit.path, self._known, self.context.config.root,
                                    self.context.config.python_path).status == "found" for top in tops
                )
        return False

    def _builds_modules(self) -> bool:
        text = self.context.unit.text
        return "sys.path" in text or "syspath_prepend" in text or "tmp_path" in text

    def _notebook_modules(self) -> set[str]:
        """Modules a notebook installs (`!pip install x`) or writes (`%%writefile x.py`) in its
        own cells: the unit text has those lines masked, so read the notebook file once, only
        when an import is unresolved."""
        if self._notebook is None:
            self._notebook = set()
            unit = self.context.unit
            if unit.is_notebook:
                try:
                    cells = json.loads(Path(unit.path).read_text(encoding="utf-8")).get("cells", [])
                except (OSError, ValueError, AttributeError):
                    cells = []  # live content from Jupyter, or not a readable notebook file
                for cell in cells:
                    source = cell.get("source", "") if isinstance(cell, dict) else ""
                    text = "".join(source) if isinstance(source, list) else str(source)
                    self._notebook |= pip_installed_modules(text)
                    # `# !pip install x` left commented, or "run `pip install x`" in prose: the
                    # notebook tells its reader to install x, which declares it.
                    told = "\n".join(f"!pip install {args}" for args in _TOLD_TO_INSTALL.findall(text))
                    self._notebook |= pip_installed_modules(told)
                    for written in _WRITEFILE.findall(text):
                        self._notebook.add(normalize(Path(written).name.split(".")[0]))
        return self._notebook

    def _guarded(self) -> bool:
        """Inside a `try` (or its `else`, or the fallback `except ImportError` handler) that
        accepts an ImportError (optional import), under an `if` that decides whether the import
        runs (`TYPE_CHECKING`, a Python version or platform check, a feature flag such as
        `if is_psycopg3:`), inside a function under any `if` (a backend or feature switch), or
        after the function returned or raised when the module is missing
        (`if find_spec("x") is None: return False`)."""
        stack = self.context.stack
        if guarded(stack, self.context.code_for, IMPORT_GUARDS, IF_GUARD):
            return True
        function = next((i for i, node in enumerate(stack) if isinstance(node, cst.FunctionDef)), None)
        for index, node in enumerate(stack[:-1]):
            if isinstance(node, cst.If) and stack[index + 1] is not node.test:
                if function is not None and index > function or _is_flag(node.test):
                    return True
        return function is not None and self._checked_before(stack[function])

    def _checked_before(self, function: cst.CSTNode) -> bool:
        """An earlier statement of the function leaves it when the module is unavailable."""
        body = getattr(getattr(function, "body", None), "body", ())
        for statement in body:
            if statement in self.context.stack:
                return False
            if isinstance(statement, cst.If) and _AVAILABILITY.search(self.context.code_for(statement.test)) \
                    and any(isinstance(n, (cst.Return, cst.Raise)) for n in iter_nodes(statement.body)):
                return True
        return False


class HallucinatedImport(ImportCheck):
    """Import of a module that no one provides: not the standard library, not installed, not
    the project's own, and no known PyPI project.

    ## What it does
    Flags absolute imports (`import x`, `from x import y`) whose top-level module is none of: a
    standard-library module; a module installed in the environment running the review; a module
    of the file's project (`x.py` or `x/` in the file's directory or any parent up to the
    project's top, or in their `src/`; the project's own name); a module provided by a
    dependency the project declares (`pyproject.toml`, `setup.py`, `setup.cfg`,
    `requirements*.txt`, `Pipfile`, `environment.yml`, `tox.ini`, found walking up from the
    file to the project's top: the repository root, or the highest directory with a manifest); a name listed in `known-modules`; and a module
    that any known PyPI project provides, by name or through the bundled import-name table
    (`sklearn` is scikit-learn, `yaml` is PyYAML, `mpl_toolkits` is matplotlib; a real package
    the project does not declare is RV315 `undeclared-dependency`, not this; a name shaped like
    an add-on of a popular package, `pandas_cleaner` or `requests_retry`, whose only PyPI
    namesake is little used, outside the ~15,000 most downloaded projects, is flagged here, as
    names assistants invent get registered by squatters). Python 2
    standard-library modules (`urllib2`, `StringIO`) are flagged with their Python 3
    replacement. Relative imports and `__future__` are not checked, nor optional imports:
    inside a `try` (or its `else`) that catches ImportError, a fallback in the handler when the
    `try` import resolves, or under an `if` on `TYPE_CHECKING`, the Python version, the
    platform or a feature flag. In a notebook, packages it installs itself (`%pip install x`)
    and modules it writes (`%%writefile x.py`) count as its own; in tests, modules a test
    writes to a temporary path before importing them.

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
        Valid("try:\n    from http.server import HTTPServer\n"
              "except ImportError:\n    from BaseHTTPServer import HTTPServer\n"),
        Valid("import sklearn\nimport yaml\nfrom dotenv import load_dotenv\nimport mpl_toolkits.mplot3d\n"),
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
        Invalid("import urllib2\n", line=1),
    ]

    def decide(self, top: str, where: cst.CSTNode, resolution: Resolution) -> None:
        if resolution.status == PYTHON2:
            self.report(where, f"`{top}` is a Python 2 module; Python 3 has `{resolution.provider}` instead")
        elif resolution.status == OBSCURE:
            self.report(
                where,
                f"Module `{top}` is not installed, not part of this project and not declared; the "
                f"only PyPI project of that name, `{resolution.provider}`, is little used: check it "
                "is the package you mean (names assistants invent get registered by squatters)",
            )
        elif resolution.status == MISSING:
            self.report(
                where,
                f"Module `{top}` is not in the standard library, not installed, not part of this "
                "project, and no known PyPI project provides it; it may not exist",
            )


def _imported(body: cst.BaseSuite) -> list[str]:
    """Absolute module names imported directly in a block."""
    names: list[str] = []
    for statement in getattr(body, "body", ()):
        for small in getattr(statement, "body", ()) if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Import):
                names += [n for alias in small.names if (n := dotted_name(alias.name))]
            elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                name = dotted_name(small.module)
                if name:
                    names.append(name)
    return names


def _is_flag(test: cst.BaseExpression) -> bool:
    """`if is_psycopg3:`, `if not HAS_TORCH:`, `if settings.USE_REDIS:`: a switch, not a check
    of what the code computed."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    return isinstance(test, (cst.Name, cst.Attribute)) and not (isinstance(test, cst.Name) and test.value == "True")
