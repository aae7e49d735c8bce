"""RV305 removed-api: an API that was removed or deprecated, listed in the data pack
`rules/removed_apis.toml` (shipped in the wheel as `reviewer/_packs/removed_apis.toml`)."""

from __future__ import annotations

import fnmatch
import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_PACKAGE = Path(__file__).resolve().parents[1]  # src/reviewer (or site-packages/reviewer)
_CANDIDATES = (
    _PACKAGE / "_packs" / "removed_apis.toml",
    _PACKAGE.parents[1] / "rules" / "removed_apis.toml",
)
_KEYS = frozenset(
    {
        "name", "package", "removed_in", "deprecated_in", "replacement", "note", "module",
        "method", "receivers", "class_bases", "sync_only",
    }
)
_REQUIRED = frozenset({"name", "package", "replacement"})
_VERSION = re.compile(r"^\d+(\.\d+)*")
_CLAUSE = re.compile(r"^\s*(<=|<|===|==|~=|>=|>|!=)\s*([0-9][0-9.]*)(\.\*)?\s*$")

Version = tuple[int, ...]


class RemovedApiPackError(ValueError):
    """The removed-API pack is missing or malformed; the message names the file and entry."""


@dataclass(frozen=True)
class Api:
    name: str  #: qualified name ("numpy.float", "imp")
    package: str  #: "python" for the standard library, else the distribution name
    version: str  #: removed_in or deprecated_in
    removed: bool  #: True: removed_in, False: deprecated_in
    replacement: str
    note: str = ""
    module: bool = False
    method: bool = False
    receivers: tuple[str, ...] = ()
    class_bases: tuple[str, ...] = ()
    sync_only: bool = False

    @property
    def method_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def pack_path() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise RemovedApiPackError(
        f"removed-API pack not found (looked in {', '.join(map(str, _CANDIDATES))})"
    )


@cache
def load_pack(path: Path | None = None) -> tuple[Api, ...]:
    path = path or pack_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RemovedApiPackError(f"{path}: {exc}") from exc
    unknown_top = set(data) - {"version", "api"}
    if unknown_top:
        raise RemovedApiPackError(f"{path}: unknown top-level keys {sorted(unknown_top)}")
    entries = data.get("api", [])
    if not isinstance(entries, list) or not entries:
        raise RemovedApiPackError(f"{path}: expected at least one [[api]] entry")
    apis = tuple(_api(item, index, path) for index, item in enumerate(entries, start=1))
    names = [(a.name, a.method) for a in apis]
    if len(set(names)) != len(names):
        raise RemovedApiPackError(f"{path}: duplicate entries")
    return apis


def _api(item: dict[str, Any], index: int, path: Path) -> Api:
    where = f"{path}: [[api]] entry {index} ({item.get('name', '?')})"
    unknown = set(item) - _KEYS
    missing = _REQUIRED - set(item)
    if unknown or missing:
        raise RemovedApiPackError(
            f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}"
        )
    if ("removed_in" in item) == ("deprecated_in" in item):
        raise RemovedApiPackError(f"{where}: give exactly one of removed_in / deprecated_in")
    version = str(item.get("removed_in", item.get("deprecated_in")))
    if not _VERSION.fullmatch(version):
        raise RemovedApiPackError(f"{where}: version {version!r} is not like 1.24 or 3.12")
    for key in ("name", "package", "replacement", "note"):
        if key in item and not isinstance(item[key], str):
            raise RemovedApiPackError(f"{where}: {key} must be a string")
    for key in ("module", "method", "sync_only"):
        if key in item and not isinstance(item[key], bool):
            raise RemovedApiPackError(f"{where}: {key} must be true or false")
    for key in ("receivers", "class_bases"):
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RemovedApiPackError(f"{where}: {key} must be a list of strings")
    if item.get("method") and not item.get("receivers"):
        raise RemovedApiPackError(f"{where}: method = true needs a receivers list")
    return Api(
        name=item["name"],
        package=item["package"],
        version=version,
        removed="removed_in" in item,
        replacement=item["replacement"],
        note=item.get("note", ""),
        module=item.get("module", False),
        method=item.get("method", False),
        receivers=tuple(item.get("receivers", ())),
        class_bases=tuple(item.get("class_bases", ())),
        sync_only=item.get("sync_only", False),
    )


# --- versions ------------------------------------------------------------------------------------


def parse_version(text: str) -> Version | None:
    match = _VERSION.match(text.strip())
    return tuple(int(p) for p in match.group(0).split(".")) if match else None


@cache
def installed_version(distribution: str) -> Version | None:
    """The installed version from the distribution metadata (the package is never imported)."""
    try:
        return parse_version(importlib.metadata.version(distribution))
    except (importlib.metadata.PackageNotFoundError, ValueError, OSError):
        return None


def requires_python(root: str) -> str | None:
    path = Path(root) / "pyproject.toml"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _requires_python(str(path), mtime)


@lru_cache(maxsize=64)
def _requires_python(path: str, mtime: int) -> str | None:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    project = data.get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    return value if isinstance(value, str) else None


def python_range_reaches(spec: str | None, version: Version) -> bool:
    """Whether a Python allowed by `requires-python` (or, without one, the running interpreter)
    is at least `version`. Only upper bounds matter: an open-ended range reaches every future
    Python, so code declared `>=3.8` is still affected by a removal in 3.12."""
    if spec is None:
        return sys.version_info[: len(version)] >= version
    for clause in spec.split(","):
        match = _CLAUSE.match(clause)
        if not match:
            continue
        operator, bound = match.group(1), parse_version(match.group(2)) or ()
        if operator == "<" and not version < bound:
            return False
        if operator in ("<=", "==", "===") and version[: len(bound)] > bound:
            return False
        if operator == "~=" and len(bound) > 1 and version[: len(bound) - 1] > bound[:-1]:
            return False
    return True


def _pad(version: Version) -> Version:
    return version + (0,) * (3 - len(version))


class RemovedApi(Rule):
    """Use of a removed or deprecated API.

    ## What it does
    Flags uses of APIs listed in the data pack `rules/removed_apis.toml`: standard-library modules
    removed by PEP 594/632 (`imp`, `distutils`, `cgi`, `telnetlib`...), the `collections` ABC
    aliases, `datetime.datetime.utcnow`, `numpy.float` and friends, `pandas.DataFrame.append`,
    the `unittest` aliases such as `self.assertEquals`, `pkg_resources` and more. Names are
    resolved through the module's imports (`import numpy as np; np.float` is `numpy.float`);
    modules are flagged where they are imported. Methods whose receiver type is unknown
    statically are matched only on receivers named as the pack says (`df.append(...)`,
    `self.assertEquals(...)` inside a `TestCase` subclass). `asyncio.get_event_loop` is flagged
    only outside `async def`.

    Version gating, kept simple: a standard-library entry is reported when some Python the
    project allows is affected. With `[project] requires-python` in the project's
    pyproject.toml only its upper bound matters (`>=3.8` still reaches 3.12, `<3.12` does not);
    without it, the running interpreter decides. A third-party entry is reported when the
    installed version (read from the distribution metadata, never imported) is affected; when the
    package is not installed where the review runs, it is reported with "if you use P >= V".

    ## Why is this bad?
    Assistants learned from years of code written against older releases and keep suggesting
    APIs that no longer exist: the code fails with an `ImportError` or `AttributeError` on
    current versions, or emits deprecation warnings until it does. Each message names the
    replacement.
    """

    CODE = "RV305"
    NAME = "removed-api"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Use of a removed or deprecated API"
    TRIGGERS = tuple(sorted({api.method_name for api in load_pack()}))

    VALID: ClassVar[list[Valid]] = [
        Valid("from collections.abc import Mapping\nimport numpy as np\n\nx = np.float64(1)\n"),
        Valid("import datetime\n\nnow = datetime.datetime.now(datetime.UTC)\n"),
        Valid("import asyncio\n\nasync def main():\n    loop = asyncio.get_event_loop()\n"),
        Valid("class Checks:\n    def test_x(self):\n        self.assertEquals(1, 1)\n"),
        Valid("data = []\ndata.append(1)\nitems = {}.items()\n"),
        Valid("import importlib\nimport typing\n\nx: typing.IO[str]\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import numpy as np\n\nx = np.float(3)\n", line=3),
        Invalid("import imp\n", line=1),
        Invalid("from distutils.core import setup\n", line=1),
        Invalid("from collections import Mapping\n", line=1),
        Invalid("import collections\n\nisinstance(x, collections.Mapping)\n", line=3),
        Invalid("from datetime import datetime\n\nstamp = datetime.utcnow()\n", line=3),
        Invalid("import asyncio\n\nloop = asyncio.get_event_loop()\n", line=3),
        Invalid(
            "import unittest\n\nclass T(unittest.TestCase):\n    def test_x(self):\n"
            "        self.assertEquals(1, 1)\n",
            line=5,
        ),
        Invalid("import pandas as pd\n\ndef add(df, row):\n    return df.append(row)\n", line=4),
        Invalid("import logging\n\nlogging.warn('careful')\n", line=3),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        apis = load_pack()
        self._exact = {api.name: api for api in apis if not api.module}
        self._modules = {api.name: api for api in apis if api.module}
        self._methods: dict[str, list[Api]] = {}
        for api in apis:
            if api.method:
                self._methods.setdefault(api.method_name, []).append(api)
        self._gate: dict[str, tuple[bool, str]] = {}

    # --- gating ------------------------------------------------------------------------------
    def _affected(self, api: Api) -> tuple[bool, str]:
        """(report it?, suffix for the message)."""
        key = f"{api.package}:{api.version}"
        if key not in self._gate:
            version = parse_version(api.version) or ()
            if api.package == "python":
                spec = requires_python(self.context.config.root)
                self._gate[key] = (python_range_reaches(spec, version), "")
            else:
                installed = installed_version(api.package)
                if installed is None:
                    self._gate[key] = (True, f"; this applies if you use {api.package} >= {api.version}")
                else:
                    self._gate[key] = (_pad(installed) >= _pad(version), "")
        return self._gate[key]

    def _report(self, node: cst.CSTNode, api: Api) -> None:
        affected, suffix = self._affected(api)
        if not affected:
            return
        if api.sync_only:
            function = self.context.enclosing(cst.FunctionDef)
            if isinstance(function, cst.FunctionDef) and function.asynchronous is not None:
                return
        package = "Python" if api.package == "python" else api.package
        verb = "was removed in" if api.removed else "is deprecated since"
        note = f"; {api.note}" if api.note else ""
        self.report(node, f"`{api.name}` {verb} {package} {api.version} (use {api.replacement}){note}{suffix}")

    def _module_entry(self, name: str) -> Api | None:
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            api = self._modules.get(".".join(parts[:end]))
            if api is not None:
                return api
        return None

    # --- imports -----------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            api = self._module_entry(name) if name else None
            if api is not None:
                self._report(alias, api)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        if module is None:
            return
        api = self._module_entry(module)
        if api is not None:
            self._report(node, api)
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            full = f"{module}.{dotted_name(alias.name)}"
            api = self._exact.get(full) or self._modules.get(full)
            if api is not None:
                self._report(alias, api)

    # --- uses --------------------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        dotted = dotted_name(node)
        if dotted is None or dotted.split(".", 1)[0] not in self.context.imports.aliases:
            return  # only names that come from an import
        if self.context.enclosing(cst.Import, cst.ImportFrom) is not None:
            return
        name = self.context.qualified_name(node)
        if name is None:
            return
        api = self._exact.get(name) or self._modules.get(name)
        if api is not None:
            self._report(node, api)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in self._methods:
            return
        receiver = dotted_name(func.value)
        if receiver is None:
            return
        for api in self._methods[func.attr.value]:
            if not any(fnmatch.fnmatchcase(receiver, pattern) for pattern in api.receivers):
                continue
            if api.class_bases and not self._in_class_with_base(api.class_bases):
                continue
            self._report(node, api)
            return

    def _in_class_with_base(self, bases: tuple[str, ...]) -> bool:
        cls = self.context.enclosing(cst.ClassDef)
        if not isinstance(cls, cst.ClassDef):
            return False
        for arg in cls.bases:
            name = dotted_name(arg.value)
            if name is not None and name.rsplit(".", 1)[-1] in bases:
                return True
        return False
