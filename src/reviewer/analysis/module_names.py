"""What a standard-library or installed module defines, read statically from its source or stub.

Used by the hallucinated-attribute rule. Nothing here imports or executes the modules it asks
about: top-level modules are located with `PathFinder.find_spec` (a file-system search; it never
runs the module), submodules by listing the parent package's directories, and the names a module
defines come from parsing its `.py` source (or `.pyi` stub) with `ast`.

"Unknown" is never "missing": a module we cannot read (C extension without a stub, namespace
package, unreadable or unparsable file) or whose names can change at run time (`from x import *`
of an unknown module, a module-level `__getattr__`, `globals()` updates, `exec` at module level,
`sys.modules` replacement, `__path__` manipulation) answers "unknown", and nothing is reported.
Results are cached per process, keyed by file path, modification time and size.
"""

from __future__ import annotations

import ast
import importlib.machinery
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache

#: Attributes every module has (set by the import system), beyond dunders in general.
_EXTENSION_SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
#: Source text that makes a module's namespace dynamic: its names cannot be listed statically.
_DYNAMIC = re.compile(
    rb"\bdef __getattr__\(\s*\w+\s*[:)]|\bglobals\(\)|\bvars\(\)|sys\.modules\[__name__\]|\b__path__\b|\blazy_loader\b|\bLazyModule\b"
    rb"|\b_convert_\(|modules\[[^\]]+\]\.__dict__|\bglobal_enum\b"
)
_WORD = re.compile(rb"\w+")
#: `from x import *`: names bound without being spelled out in the text (x as written).
_STAR = re.compile(rb"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t(]*\*", re.MULTILINE)
_IMPORT_STATEMENT = re.compile(
    rb"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+)?import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE
)
_BUSY: set[ModuleInfo] = set()  #: modules whose star imports are being followed


class ModuleInfo:
    """One module: where it lives, and (parsed only when needed) what it defines.

    Most lookups never parse: a name that appears as a word anywhere in the module's text, or
    is a submodule in its package directory, exists. The module is parsed only to prove a name
    missing, or to follow an import alias (`os.path` is os's `import posixpath as path`).
    """

    def __init__(self, name: str, files: tuple[str, ...], search: tuple[str, ...]) -> None:
        self.name = name
        self.files = files  #: the source and/or stub read; () for namespace packages
        self.search = search  #: package directories (submodules live there)
        self.is_package = bool(search)
        self._text: bytes | None = None
        self._parsed: _Namespace | None = None
        self._words: frozenset[bytes] | None = None
        self._scan: tuple[bool, bool] | None = None  #: (dynamic namespace, star import or exec)
        self.readable = True
        self._imported_words: frozenset[str] | None = None

    @property
    def path(self) -> str:
        return self.files[0] if self.files else ""

    def text(self) -> bytes:
        """The module's source (and stub) text; empty, and `readable` False, if it cannot be read."""
        if self._text is None:
            chunks = []
            for path in self.files:
                try:
                    with open(path, "rb") as handle:
                        chunks.append(handle.read())
                except OSError:
                    self.readable = False
            self._text = b"\n".join(chunks)
        return self._text

    def mentions(self, word: str) -> bool:
        """`word` appears as a whole word somewhere in the module's text (code, comment or string)."""
        if self._words is None:
            self._words = frozenset(_WORD.findall(self.text()))
        return word.encode("utf-8", "surrogatepass") in self._words

    def imported_words(self) -> frozenset[str]:
        """Words of the module's import statements (parenthesized lists included)."""
        if self._imported_words is None:
            words = _WORD.findall(b" ".join(_IMPORT_STATEMENT.findall(self.text())))
            self._imported_words = frozenset(w.decode("ascii", "replace") for w in words)
        return self._imported_words

    def namespace(self) -> _Namespace:
        if self._parsed is None:
            self._parsed = _namespace(self)
        return self._parsed

    def submodules(self) -> frozenset[str]:
        return _listing(self.search) if self.search else frozenset()

    def has(self, attr: str) -> bool | None:
        """True/False when known, None when the module's namespace is not statically known."""
        if attr.startswith("__") and attr.endswith("__"):
            return True
        if attr in self.submodules() or self.mentions(attr):
            return True
        if not self.readable:
            return None
        # Every binding spells the name out, so a name the text never mentions can only come
        # from a star import or a run-time namespace change: parse only in those cases.
        if self._scan is None:
            text = self.text()
            stars = tuple(
                _absolute(target.decode("ascii", "replace"), self.name, self.is_package)
                for target in _STAR.findall(text)
            )
            self._scan = (bool(_DYNAMIC.search(text)), b"exec(" in text, stars)
        dynamic, executes, stars = self._scan
        if dynamic or not self.files:
            return None
        if executes:  # `exec` can bind anything: only the parsed namespace can tell
            namespace = self.namespace()
            if attr in namespace.names:
                return True
            return False if namespace.complete else None
        return self._through_stars(attr, stars) if stars else False

    def _through_stars(self, attr: str, stars: tuple[str, ...]) -> bool | None:
        """Whether a star-imported module has `attr` (generously: even if its `__all__` or a
        leading underscore would keep the name from being exported)."""
        if self in _BUSY:
            return None  # a star-import cycle
        _BUSY.add(self)
        try:
            result: bool | None = False
            for target in stars:
                module = _module_file(target) if target != self.name else None
                found = module.has(attr) if module is not None else None
                if found:
                    return True
                if found is None:
                    result = None
            return result
        finally:
            _BUSY.discard(self)

    def public_names(self) -> set[str]:
        return {n for n in self.namespace().names | self.submodules() if not n.startswith("_")}


@dataclass
class _Namespace:
    """What parsing a module's files says about its top-level names."""

    names: set[str] = field(default_factory=set)  #: bound at module level (incl. star imports)
    #: name -> absolute dotted targets of the imports binding it: the name may be a module.
    imported: dict[str, set[str]] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)  #: bound by something other than an import
    complete: bool = True  #: False: absence of a name proves nothing
    all_names: frozenset[str] | None = None  #: a literal `__all__`, if any


_EMPTY = _Namespace(complete=False)


# --- locating modules (file-system search only) -------------------------------------------------


@lru_cache(maxsize=4096)
def resolve(qualname: str) -> ModuleInfo | None:
    """The module `qualname` names (`os.path` follows os's `import posixpath as path`), or None
    when it is not a module we can read statically."""
    return _resolve(qualname, frozenset())


def _resolve(qualname: str, busy: frozenset[str]) -> ModuleInfo | None:
    if qualname in busy:
        return None  # an import cycle
    busy = busy | {qualname}
    parts = qualname.split(".")
    info = _top_level(parts[0])
    for part in parts[1:]:
        if info is None:
            return None
        info = _child(info, part, busy)
    return info


def _module_file(qualname: str) -> ModuleInfo | None:
    """The module a `from qualname import *` loads: found by file, whatever attributes its parent
    package binds to the same name (falls back to `resolve` for aliases such as `os.path`)."""
    parts = qualname.split(".")
    info = _top_level(parts[0])
    for part in parts[1:]:
        info = _submodule(info, part) if info is not None else None
    return info if info is not None else resolve(qualname)


@lru_cache(maxsize=1024)
def _top_level(name: str) -> ModuleInfo | None:
    if name in sys.builtin_module_names or not name.isidentifier():
        return None
    try:
        # PathFinder only searches sys.path entries on disk: it never imports `name`.
        spec = importlib.machinery.PathFinder.find_spec(name)
    except (ImportError, ValueError, OSError):
        return None
    if spec is None:
        return None
    search = tuple(spec.submodule_search_locations or ())
    origin = spec.origin if spec.has_location else None
    return _module(name, origin, search)


def _child(info: ModuleInfo, part: str, busy: frozenset[str]) -> ModuleInfo | None:
    """Attribute `part` of module `info`, if that attribute is a module."""
    is_submodule = part in info.submodules()
    if not info.mentions(part):  # not bound by the module's code: a submodule or nothing known
        return _submodule(info, part) if is_submodule else None
    if not is_submodule and part not in info.imported_words():
        return None  # bound by a def, class or assignment: not a module (no parse needed)
    namespace = info.namespace()
    targets = namespace.imported.get(part)
    if targets and part not in namespace.defined:
        found = []
        for target in targets:
            if target == f"{info.name}.{part}":
                module = _submodule(info, part)  # `from . import part` inside the package
            else:
                module = _resolve(target, busy)
            if module is None:
                return None
            found.append(module)
        return found[0] if len(found) == 1 else _Union(found)
    if part in namespace.defined or not is_submodule:
        return None
    return _submodule(info, part)


@lru_cache(maxsize=4096)
def _submodule(info: ModuleInfo, part: str) -> ModuleInfo | None:
    name = f"{info.name}.{part}"
    for directory in info.search:
        package = os.path.join(directory, part)
        for init in ("__init__.py", "__init__.pyi"):
            candidate = os.path.join(package, init)
            if os.path.isfile(candidate):
                return _module(name, candidate, (package,))
        for suffix in (".py", ".pyi"):
            candidate = package + suffix
            if os.path.isfile(candidate):
                return _module(name, candidate, ())
        if os.path.isdir(package):
            return _module(name, None, (package,))  # namespace package
        for suffix in _EXTENSION_SUFFIXES:
            if os.path.isfile(package + suffix):
                return _module(name, package + suffix, ())
    return None


class _Union(ModuleInfo):
    """`os.path` is posixpath or ntpath: a name exists if it exists in either."""

    def __init__(self, modules: list[ModuleInfo]) -> None:
        super().__init__(modules[0].name, modules[0].files, ())
        self.modules = modules

    def mentions(self, word: str) -> bool:
        return any(module.mentions(word) for module in self.modules)

    def namespace(self) -> _Namespace:
        if self._parsed is None:
            merged = _Namespace()
            for module in self.modules:
                namespace = module.namespace()
                merged.names |= namespace.names | module.submodules()
                merged.complete = merged.complete and namespace.complete
            self._parsed = merged
        return self._parsed


@lru_cache(maxsize=1024)
def _listing(directories: tuple[str, ...]) -> frozenset[str]:
    """Module names found in package directories: `x.py`, `x.pyi`, `x.<abi>.so`, `x/`."""
    found: set[str] = set()
    for directory in directories:
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        for entry in entries:
            stem = entry.split(".", 1)[0]
            if stem.isidentifier() and stem != "__pycache__" and (
                "." not in entry or entry.endswith((".py", ".pyi", ".pyc", ".so", ".pyd"))
            ):
                found.add(stem)
    return frozenset(found)


def _module(name: str, origin: str | None, search: tuple[str, ...]) -> ModuleInfo | None:
    """A module read from its source (and a stub next to it); a C extension only through a
    stub; None when neither exists. Namespace packages have no file (and are never complete)."""
    if origin is None:
        return ModuleInfo(name, (), search)
    base = origin
    for suffix in (*_EXTENSION_SUFFIXES, ".py", ".pyi", ".pyc"):
        if origin.endswith(suffix):
            base = origin[: -len(suffix)]
            break
    else:
        return None
    files = tuple(path for path in (base + ".py", base + ".pyi") if os.path.isfile(path))
    return ModuleInfo(name, files, search) if files else None


def _namespace(info: ModuleInfo) -> _Namespace:
    """Parse the module's files (cached by path, mtime and size) and follow its star imports."""
    if not info.files:
        return _EMPTY
    result = _Namespace()
    info._parsed = result  # a star-import cycle sees the names collected so far
    stars: list[str] = []
    for path in info.files:
        parsed = _parse_file(path)
        if parsed is None:
            info._parsed = _EMPTY
            return _EMPTY
        names, imported, defined, complete, star, all_names = parsed
        result.names |= names
        result.defined |= defined
        for key, targets in imported.items():
            result.imported.setdefault(key, set()).update(
                _absolute(t, info.name, info.is_package) for t in targets
            )
        result.complete = result.complete and complete
        if all_names is not None:
            result.all_names = (result.all_names or frozenset()) | all_names
        stars.extend(_absolute(target, info.name, info.is_package) for target in star)
    # Star imports: an unknown source makes the namespace incomplete, and then the names the
    # others bring in no longer matter (absence proves nothing), so they are not parsed.
    modules = [_module_file(target) if target != info.name else None for target in stars]
    if None in modules:
        result.complete = False
    for module in modules:
        if module is None or not result.complete:
            break
        namespace = module.namespace()
        if namespace.all_names is not None:
            result.names |= namespace.all_names
        else:
            result.names |= {n for n in namespace.names if not n.startswith("_")}
        result.complete = namespace.complete
    return result


def _absolute(target: str, module: str, is_package: bool) -> str:
    """`.decoder` inside package `json` -> `json.decoder`; absolute names unchanged."""
    if not target.startswith("."):
        return target
    level = len(target) - len(target.lstrip("."))
    rest = target[level:]
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
    return ".".join([*base, rest] if rest else base)


# --- reading one file ---------------------------------------------------------------------------

Parsed = tuple[set[str], dict[str, set[str]], set[str], bool, list[str], "frozenset[str] | None"]


def _parse_file(path: str) -> Parsed | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _parse_cached(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2048)
def _parse_cached(path: str, mtime: int, size: int) -> Parsed | None:
    try:
        with open(path, "rb") as handle:
            source = handle.read()
        tree = ast.parse(source, filename=path)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    collector = _Collector(walrus=b":=" in source, global_=b"global " in source)
    collector.body(tree.body)
    if collector.dynamic or _DYNAMIC.search(source):
        collector.complete = False
    return (collector.names, collector.imported, collector.defined, collector.complete,
            collector.star, collector.all_names)


class _Collector:
    """Names bound at module level: defs, classes, assignments (tuple targets too), imports,
    `for`/`with`/`except` targets, and everything inside `if`/`try`/`with`/loops; plus names
    functions declare `global`."""

    def __init__(self, *, walrus: bool, global_: bool) -> None:
        self._walrus = walrus  # the source has `:=` / `global`: only then look for them
        self._global = global_
        self.names: set[str] = set()
        self.imported: dict[str, set[str]] = {}
        self.defined: set[str] = set()
        self.complete = True
        self.dynamic = False
        self.star: list[str] = []
        self.all_names: frozenset[str] | None = None

    def define(self, name: str) -> None:
        self.names.add(name)
        self.defined.add(name)

    def body(self, statements: list[ast.stmt]) -> None:
        for stmt in statements:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        handler = getattr(self, f"_{type(stmt).__name__}", None)
        if handler is not None:
            handler(stmt)
        # A walrus at module level binds too (rare: only looked for when the source has one).
        if self._walrus and isinstance(stmt, (ast.Expr, ast.Assign, ast.If, ast.While)):
            for node in _shallow(stmt):
                if isinstance(node, ast.NamedExpr):
                    self.target(node.target)

    # One method per statement kind that binds names (dispatched on the node's class name).
    def _FunctionDef(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.define(stmt.name)
        if stmt.name == "__getattr__":
            self.complete = False  # PEP 562: any attribute may exist
        if self._global:
            self._globals_in(stmt)

    _AsyncFunctionDef = _FunctionDef

    def _ClassDef(self, stmt: ast.ClassDef) -> None:
        self.define(stmt.name)

    def _Assign(self, stmt: ast.Assign) -> None:
        for target in stmt.targets:
            self.target(target)
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets):
            self._all(stmt.value, replace=True)

    def _AnnAssign(self, stmt: ast.AnnAssign | ast.AugAssign) -> None:
        self.target(stmt.target)
        if isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__" and stmt.value:
            self._all(stmt.value, replace=isinstance(stmt, ast.AnnAssign))

    _AugAssign = _AnnAssign

    def _Import(self, stmt: ast.Import) -> None:
        for alias in stmt.names:
            local = alias.asname or alias.name.split(".")[0]
            self.names.add(local)
            self.imported.setdefault(local, set()).add(alias.name if alias.asname else local)

    def _ImportFrom(self, stmt: ast.ImportFrom) -> None:
        module = "." * stmt.level + (stmt.module or "")
        for alias in stmt.names:
            if alias.name == "*":
                self.star.append(module)
                continue
            local = alias.asname or alias.name
            self.names.add(local)
            joined = f"{module}.{alias.name}" if module.rstrip(".") else f"{module}{alias.name}"
            self.imported.setdefault(local, set()).add(joined)

    def _If(self, stmt: ast.If | ast.While) -> None:
        self.body(stmt.body)
        self.body(stmt.orelse)

    _While = _If

    def _For(self, stmt: ast.For | ast.AsyncFor) -> None:
        self.target(stmt.target)
        self.body(stmt.body)
        self.body(stmt.orelse)

    _AsyncFor = _For

    def _With(self, stmt: ast.With | ast.AsyncWith) -> None:
        for item in stmt.items:
            if item.optional_vars is not None:
                self.target(item.optional_vars)
        self.body(stmt.body)

    _AsyncWith = _With

    def _Try(self, stmt: ast.Try) -> None:
        self.body(stmt.body)
        for handler in stmt.handlers:
            if handler.name:
                self.define(handler.name)
            self.body(handler.body)
        self.body(stmt.orelse)
        self.body(stmt.finalbody)

    _TryStar = _Try

    def _Match(self, stmt: ast.Match) -> None:
        for case in stmt.cases:
            self.body(case.body)
            for node in ast.walk(case.pattern):
                name = getattr(node, "name", None)
                if isinstance(name, str):
                    self.define(name)

    def _TypeAlias(self, stmt: ast.stmt) -> None:
        name = getattr(stmt, "name", None)
        if isinstance(name, ast.Name):
            self.define(name.id)

    def _Expr(self, stmt: ast.Expr) -> None:
        if not isinstance(stmt.value, ast.Call):
            return
        func = stmt.value.func
        if isinstance(func, ast.Name) and func.id == "exec":
            self.dynamic = True
        elif (isinstance(func, ast.Attribute) and func.attr in {"extend", "append"}
              and isinstance(func.value, ast.Name) and func.value.id == "__all__"):
            for arg in stmt.value.args:
                self._all(arg, replace=False)

    def target(self, node: ast.expr) -> None:
        if isinstance(node, ast.Name):
            self.define(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)

    def _all(self, value: ast.expr, *, replace: bool) -> None:
        if isinstance(value, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
        ):
            found = frozenset(e.value for e in value.elts)  # type: ignore[attr-defined]
            self.all_names = found if replace or self.all_names is None else self.all_names | found
            self.names |= found  # listed names exist, possibly created lazily
        else:
            self.dynamic = True  # a computed __all__: star importers cannot be listed

    def _globals_in(self, function: ast.AST) -> None:
        for node in ast.walk(function):
            if isinstance(node, ast.Global):
                for name in node.names:
                    self.define(name)


def _shallow(stmt: ast.stmt) -> list[ast.AST]:
    """The nodes of a statement's own expressions (not of nested statement bodies)."""
    found: list[ast.AST] = []
    todo: list[ast.AST] = [stmt]
    while todo:
        node = todo.pop()
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.stmt):
                found.append(child)
                todo.append(child)
    return found
