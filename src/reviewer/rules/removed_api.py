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

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.engine.fix_edits import drop_argument, operand, spell
from reviewer.engine.imports import BUILTIN_NAMES, dotted_name
from reviewer.engine.walker import iter_nodes
from reviewer.model import Applicability, Category, Confidence, Severity

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
        "method", "receivers", "class_bases", "sync_only", "fix", "fix_import", "fix_safety", "keyword",
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
    #: The exact modern equivalent, for `reviewer fix`: a qualified name (`collections.abc.Mapping`,
    #: or a builtin such as `float`), a new method name (method entries), a new module (module
    #: entries), or a call template (`html.escape({0}, quote=False)`, `list({receiver})`).
    fix: str = ""
    fix_import: str | None = None  #: the module the fix needs imported (default: the fix's module)
    fix_safe: bool = True  #: False: the fix may change behaviour (`fix_safety = "unsafe"`)
    keyword: str = ""  #: the entry is this keyword argument of `name`, removed (the fix drops it)

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
    names = [(a.name, a.method, a.keyword) for a in apis]
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
    for key in ("name", "package", "replacement", "note", "fix", "fix_import", "keyword"):
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
    if item.get("fix_safety", "safe") not in ("safe", "unsafe"):
        raise RemovedApiPackError(f"{where}: fix_safety must be \"safe\" or \"unsafe\"")
    if ("fix_import" in item or "fix_safety" in item) and "fix" not in item:
        raise RemovedApiPackError(f"{where}: fix_import and fix_safety need a fix")
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
        fix=item.get("fix", ""),
        fix_import=item.get("fix_import"),
        fix_safe=item.get("fix_safety", "safe") == "safe",
        keyword=item.get("keyword", ""),
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

    ## Fix safety
    Where the pack gives an exact modern equivalent (`fix`), `reviewer fix` rewrites the use:
    `collections.Mapping` -> `collections.abc.Mapping` (adding `import collections.abc`),
    `from collections import Mapping` -> `from collections.abc import Mapping`, `np.float` ->
    `float`, `self.assertEquals` -> `self.assertEqual`, `cgi.escape(s)` -> `html.escape(s,
    quote=False)`, a removed `loop=`/`encoding=` argument dropped. Names are matched by qualified
    name, so a local function called `getargspec` is never touched, nor are strings and comments.
    These fixes are safe; entries whose equivalent differs in a corner (`inspect.getfullargspec`
    returns more fields, `math.gcd` is never negative) are unsafe. A fix that needs a name the
    module binds to something else is not offered.
    """

    CODE = "RV305"
    NAME = "removed-api"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Use of a removed or deprecated API"
    TRIGGERS = tuple(sorted({api.method_name for api in load_pack()}))
    FIX = "safe, unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("from collections.abc import Mapping\nimport numpy as np\n\nx = np.float64(1)\n"),
        Valid("import datetime\n\nnow = datetime.datetime.now(datetime.UTC)\n"),
        Valid("import asyncio\n\nasync def main():\n    loop = asyncio.get_event_loop()\n"),
        Valid("class Checks:\n    def test_x(self):\n        self.assertEquals(1, 1)\n"),
        Valid("data = []\ndata.append(1)\nitems = {}.items()\n"),
        Valid("import importlib\nimport typing\n\nx: typing.IO[str]\n"),
        Valid("def getargspec(f):\n    return f\n\nclock = getargspec(len)\n"),  # a local name, not inspect's
        Valid("import time\n\nprint('use time.clock() before 3.8')  # time.clock in a comment\n"),
        Valid("import platform\n\nif hasattr(platform, 'linux_distribution'):\n    name = platform.linux_distribution()[0]\n"),
        Valid("import time\n\ntry:\n    now = time.clock()\nexcept AttributeError:\n    now = time.perf_counter()\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import numpy as np\n\nx = np.float(3)\n", line=3, fixed="import numpy as np\n\nx = float(3)\n"),
        Invalid("import imp\n", line=1),
        Invalid("from distutils.core import setup\n", line=1),
        Invalid("from collections import Mapping\n", line=1, fixed="from collections.abc import Mapping\n"),
        Invalid("from collections import OrderedDict, Mapping as M\n", line=1,
                fixed="from collections import OrderedDict\nfrom collections.abc import Mapping as M\n"),
        Invalid("import collections\n\nisinstance(x, collections.Mapping)\n", line=3,
                fixed="import collections\nimport collections.abc\n\nisinstance(x, collections.abc.Mapping)\n"),
        Invalid('"""Doc."""\nimport collections as c\nimport collections.abc\n\nclass D(c.MutableMapping):\n    pass\n',
                line=5, fixed='"""Doc."""\nimport collections as c\nimport collections.abc\n\nclass D(c.abc.MutableMapping):\n    pass\n'),
        Invalid("from datetime import datetime\n\nstamp = datetime.utcnow()\n", line=3),
        Invalid("import asyncio\n\nloop = asyncio.get_event_loop()\n", line=3),
        Invalid(
            "import unittest\n\nclass T(unittest.TestCase):\n    def test_x(self):\n"
            "        self.assertEquals(1, 1)\n",
            line=5,
            fixed="import unittest\n\nclass T(unittest.TestCase):\n    def test_x(self):\n"
            "        self.assertEqual(1, 1)\n",
        ),
        Invalid("import pandas as pd\n\ndef add(df, row):\n    return df.append(row)\n", line=4),
        Invalid("import logging\n\nlogging.warn('careful')\n", line=3, fixed="import logging\n\nlogging.warning('careful')\n"),
        Invalid("import cgi\n\nsafe = cgi.escape(a or b)\n", line=3,
                fixed="import cgi\nimport html\n\nsafe = html.escape((a or b), quote=False)\n"),
        Invalid("import os\n\ncode = os.errno.ENOENT\n", line=3, fixed="import os\nimport errno\n\ncode = errno.ENOENT\n"),
        Invalid("import json\n\ndata = json.loads(text, encoding='utf-8')\n", line=3,
                fixed="import json\n\ndata = json.loads(text)\n"),
        Invalid("import asyncio\n\nasync def main():\n    await asyncio.sleep(1, loop=loop)\n", line=4,
                fixed="import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n"),
        Invalid("from itertools import izip\n", line=1),
        Invalid("import xml.etree.cElementTree as ET\n", line=1, fixed="import xml.etree.ElementTree as ET\n"),
        Invalid("def kids(root):\n    return root.getchildren()\n", line=2, fixed="def kids(root):\n    return list(root)\n"),
        Invalid("import base64\n\nprint(base64.encodestring(b'x'))\n", line=3,
                fixed="import base64\n\nprint(base64.encodebytes(b'x'))\n"),
        Invalid(cells=("import collections\n", "isinstance(x, collections.Mapping)\n"), cell=1, line=1,
                fixed="import collections.abc\nisinstance(x, collections.abc.Mapping)\n"),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        apis = load_pack()
        self._exact = {api.name: api for api in apis if not api.module and not api.keyword}
        self._modules = {api.name: api for api in apis if api.module}
        self._keywords: dict[str, list[Api]] = {}
        self._methods: dict[str, list[Api]] = {}
        for api in apis:
            if api.keyword:
                self._keywords.setdefault(api.name, []).append(api)
            elif api.method:
                self._methods.setdefault(api.method_name, []).append(api)
        self._gate: dict[str, tuple[bool, str]] = {}
        #: Calls whose function is a removed API with a call-template fix, by id of the function.
        self._calls: dict[int, cst.Call] = {}
        # Last names first: most attributes and calls are not about any entry, and a set lookup
        # tells so before the qualified name is worked out.
        self._attributes = frozenset(name.rsplit(".", 1)[-1] for name in (*self._exact, *self._modules))
        self._templates = frozenset(api.method_name for api in self._exact.values() if "(" in api.fix)
        self._keyword_functions = frozenset(name.rsplit(".", 1)[-1] for name in self._keywords)
        self._removed_keywords = frozenset(api.keyword for api in apis if api.keyword)

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

    def _report(self, node: cst.CSTNode, api: Api, fix: Autofix | None = None) -> None:
        affected, suffix = self._affected(api)
        if not affected or self._guarded(api):
            return
        if api.sync_only:
            function = self.context.enclosing(cst.FunctionDef)
            if isinstance(function, cst.FunctionDef) and function.asynchronous is not None:
                return
        package = "Python" if api.package == "python" else api.package
        verb = "was removed in" if api.removed else "is deprecated since"
        note = f"; {api.note}" if api.note else ""
        what = f"the `{api.keyword}=` argument of `{api.name}`" if api.keyword else f"`{api.name}`"
        self.report(node, f"{what} {verb} {package} {api.version} (use {api.replacement}){note}{suffix}", fix=fix)

    def _guarded(self, api: Api) -> bool:
        """The code already copes with the API being gone: it runs under `if hasattr(m, "name")`
        (or `getattr(m, "name", None)`), or inside a `try` whose handler catches AttributeError,
        ImportError or TypeError (a removed argument)."""
        attribute = api.method_name
        stack = self.context.stack
        for depth, ancestor in enumerate(stack):
            child = stack[depth + 1] if depth + 1 < len(stack) else None
            if isinstance(ancestor, (cst.If, cst.IfExp)) and child is not ancestor.test:
                if any(_probes(n, attribute) for n in iter_nodes(ancestor.test)):
                    return True
            if isinstance(ancestor, cst.Try) and child is ancestor.body and any(
                _catches_missing(handler) for handler in ancestor.handlers
            ):
                return True
        return False

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
                fix = None
                if api.fix and name == api.name and alias.asname is not None:
                    fix = Autofix(f"Import `{api.fix}`", applicability=_safety(api), also=((alias.name, api.fix),))
                self._report(alias, api, fix)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = dotted_name(node.module)
        if module is None:
            return
        api = self._module_entry(module)
        if api is not None:
            fix = None
            if api.fix and module == api.name:
                fix = Autofix(f"Import from `{api.fix}`", applicability=_safety(api), also=((node.module, api.fix),))
            self._report(node, api, fix)
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            full = f"{module}.{dotted_name(alias.name)}"
            api = self._exact.get(full) or self._modules.get(full)
            if api is not None:
                self._report(alias, api, self._import_from_fix(node, module))

    def _import_from_fix(self, node: cst.ImportFrom, module: str) -> Autofix | None:
        """`from collections import OrderedDict, Mapping` -> the names that moved imported from
        their new module, one statement per module, the others left where they were."""
        statement = self.context.enclosing(cst.SimpleStatementLine)
        if (not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1
                or isinstance(node.names, cst.ImportStar) or "#" in self.context.code_for(node)):
            return None
        kept: list[str] = []
        moved: dict[str, list[str]] = {}
        safe = True
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            api = self._exact.get(f"{module}.{name}")
            if api is not None and api.fix and "." in api.fix and "(" not in api.fix and not api.method \
                    and api.fix_import in (None, api.fix.rsplit(".", 1)[0]) and self._affected(api)[0]:
                new_module, new_name = api.fix.rsplit(".", 1)
                moved.setdefault(new_module, []).append(new_name if new_name == local else f"{new_name} as {local}")
                safe = safe and api.fix_safe
            else:
                kept.append(self.context.code_for(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)))
        if not moved:
            return None
        line, column = self.context.span(node)[:2]
        indent = self.context.unit.line_text(line)[:column]
        if indent.strip():
            return None
        statements = [f"from {module} import {', '.join(kept)}"] if kept else []
        statements += [f"from {new} import {', '.join(names)}" for new, names in moved.items()]
        where = ", ".join(f"`{new}`" for new in moved)
        return Autofix(f"Import from {where}", applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
                       also=((node, ("\n" + indent).join(statements)),))

    # --- uses --------------------------------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value not in self._attributes:
            return
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
            self._report(node, api, self._use_fix(node, dotted, api))

    def _use_fix(self, node: cst.Attribute, dotted: str, api: Api) -> Autofix | None:
        if not api.fix or api.module:
            return None
        if "(" in api.fix:
            call = self._calls.get(id(node))
            return self._template_fix(api, call, None) if call is not None else None
        module = api.fix_import if api.fix_import is not None else _fix_module(api.fix)
        spelled = spell(self.context, api.fix, module or None, node, written=dotted)
        if spelled is None:
            return None
        text, lines = spelled
        return Autofix(f"Use `{api.fix}`", text, _safety(api), lines=lines)

    def _template_fix(self, api: Api, call: cst.Call, receiver: cst.BaseExpression | None) -> Autofix | None:
        text = _fill(api.fix, call, receiver, self.context.code_for)
        if text is None:
            return None
        lines: tuple[tuple[int, str], ...] = ()
        if api.fix_import:
            spelled = spell(self.context, api.fix_import, api.fix_import, call)
            if spelled is None:
                return None
            lines = spelled[1]
        return Autofix(f"Use `{api.fix.replace('{receiver}.', '').split('(')[0]}()`", applicability=_safety(api),
                       also=((call, text),), lines=lines)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if last in self._keyword_functions and any(
            arg.keyword is not None and arg.keyword.value in self._removed_keywords for arg in node.args
        ):
            for api in self._keywords.get(self.context.qualified_name(func) or "", ()):
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == api.keyword:
                        edit = drop_argument(node, arg, self.context.code_for)
                        fix = Autofix(f"Remove the `{api.keyword}=` argument", applicability=Applicability.SAFE,
                                      also=(edit,)) if edit is not None else None
                        self._report(arg, api, fix)
        if last in self._templates and isinstance(func, cst.Attribute) \
                and "(" in (self._exact.get(self.context.qualified_name(func) or "", None) or _NO_API).fix:
            self._calls[id(func)] = node
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
            fix = None
            if api.fix and "(" in api.fix:
                fix = self._template_fix(api, node, func.value)
            elif api.fix:
                fix = Autofix(f"Use `{api.fix}`", applicability=_safety(api), also=((func.attr, api.fix),))
            self._report(node, api, fix)
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


_NO_API = Api("", "", "0", False, "")
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def _probes(node: cst.CSTNode, attribute: str) -> bool:
    """`hasattr(x, "attribute")` or `getattr(x, "attribute", default)`."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in ("hasattr", "getattr")):
        return False
    return len(node.args) >= 2 and isinstance(node.args[1].value, cst.SimpleString) \
        and node.args[1].value.raw_value == attribute


#: What a compatibility fallback catches. A broad `except Exception:` is not one: it would hide
#: the crash, and the code would silently take its fallback path on every current version.
_MISSING = frozenset({"AttributeError", "ImportError", "ModuleNotFoundError", "TypeError"})


def _catches_missing(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return False
    names = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    return any(
        (dotted_name(n.value if isinstance(n, cst.Element) else n) or "").rsplit(".", 1)[-1] in _MISSING
        for n in names
    )


def _fix_module(fix: str) -> str | None:
    """The module a qualified-name fix lives in: `collections.abc` for `collections.abc.Mapping`,
    `errno` for the module `errno` itself, None for a builtin (`float`, `str.maketrans`)."""
    root = fix.split(".")[0]
    if root in BUILTIN_NAMES:
        return None
    return fix.rsplit(".", 1)[0] if "." in fix else fix


def _safety(api: Api) -> Applicability:
    return Applicability.SAFE if api.fix_safe else Applicability.UNSAFE


def _fill(template: str, call: cst.Call, receiver: cst.BaseExpression | None, code: Any) -> str | None:
    """The template with `{receiver}` and `{0}`, `{1}`... filled from the call; None when the call
    does not have exactly the positional arguments the template uses (and no others)."""
    needed = {int(n) for n in _PLACEHOLDER.findall(template)}
    if any(arg.keyword is not None or arg.star for arg in call.args):
        return None
    if len(call.args) != (max(needed) + 1 if needed else 0):
        return None

    values = [operand(arg.value, code) for arg in call.args]
    return _PLACEHOLDER.sub(lambda m: values[int(m.group(1))], template).replace(
        "{receiver}", operand(receiver, code) if receiver is not None else "")
