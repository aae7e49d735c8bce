"""The project's own modules as the taint analysis sees them: which file an imported name comes
from (`from helpers.db import run`, `from .utils import escape`), parsed once per process and
keyed by the file's size and modification time. Nothing is imported or executed."""

from __future__ import annotations

import ast
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import libcst as cst

from reviewer.analysis.environment import stdlib_modules
from reviewer.engine.imports import ImportTable
from reviewer.engine.parsing import TooComplex, parse_module
from reviewer.engine.patterns import Matcher

#: Helpers bigger than this are not read for summaries (a generated module, a vendored library).
MAX_BYTES = 512 * 1024
#: How many directories above the importing file an absolute import is looked for.
_MAX_ANCESTORS = 6
#: Parsed helper modules kept per process.
_MAX_MODULES = 256
_REPOSITORY_MARKERS = (".git", ".hg", ".svn")


@dataclass(frozen=True)
class HelperModule:
    """A parsed module of the project, with what a taint analysis of it needs."""

    path: str
    stamp: tuple[int, int]  #: size and modification time when it was read
    module: cst.Module
    syntax_tree: ast.Module
    matcher: Matcher
    functions: dict[str, cst.FunctionDef]  #: module-level functions by name (the last definition)


def locate(importer: str, qualified: str) -> tuple[str, str] | None:
    """(file, function name) of a module-level function the qualified name refers to, when it is
    a module of the project beside the importing file (`helpers.db.run`, `.utils.escape`);
    None for the standard library, installed packages and anything not found."""
    return _locate(importer, qualified)


def forget_locations() -> None:
    """Find imported modules afresh (a module may have been added since the last review)."""
    _locate.cache_clear()
    _module_file.cache_clear()


@lru_cache(maxsize=16384)
def _locate(importer: str, qualified: str) -> tuple[str, str] | None:
    level = len(qualified) - len(qualified.lstrip("."))
    dotted = qualified[level:]
    module, _, function = dotted.rpartition(".")
    if not function.isidentifier():
        return None
    if level == 0 and (not module or module.split(".")[0] in stdlib_modules()):
        return None
    found = _module_file(str(Path(importer).resolve().parent), module, level)
    return (found, function) if found is not None else None


@lru_cache(maxsize=4096)
def _module_file(directory: str, module: str, level: int) -> str | None:
    parts = module.split(".") if module else []
    if level:
        base = Path(directory)
        for _ in range(level - 1):
            base = base.parent
        return _file_in(base, parts)
    base = Path(directory)
    for _ in range(_MAX_ANCESTORS):
        for root in (base, base / "src"):
            found = _file_in(root, parts)
            if found is not None:
                return found
        if any((base / marker).exists() for marker in _REPOSITORY_MARKERS) or base.parent == base:
            break
        base = base.parent
    return None


def _file_in(root: Path, parts: list[str]) -> str | None:
    target = root.joinpath(*parts)
    for candidate in (target.with_suffix(".py") if parts else None, target / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return str(candidate)
    return None


_lock = threading.Lock()
_modules: dict[tuple[str, int, int], HelperModule | None] = {}


def load(path: str) -> HelperModule | None:
    """The parsed module at `path`, or None when it cannot be read, is too big or does not parse."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (path, stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _modules:
            return _modules[key]
    helper = _parse(path, (stat.st_size, stat.st_mtime_ns)) if stat.st_size <= MAX_BYTES else None
    with _lock:
        if len(_modules) >= _MAX_MODULES:
            _modules.clear()
        _modules[key] = helper
    return helper


def _parse(path: str, stamp: tuple[int, int]) -> HelperModule | None:
    try:
        text = Path(path).read_text(encoding="utf-8")
        tree = ast.parse(text)
        module = parse_module(text)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, TooComplex, RecursionError, MemoryError,
            cst.ParserSyntaxError):
        return None
    table = ImportTable()
    table.scan_module(module)
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    return HelperModule(path, stamp, module, tree, Matcher(table.qualified_name, module.code_for_node), functions)
