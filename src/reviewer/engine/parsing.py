"""Building syntax trees cheaply: `parse_module` (libcst's parser without re-checking each node
it builds from valid source) and `fewer_collections` (the garbage collector paused less often
while many trees are built and dropped).

libcst validates every node on construction, including the ones its own parser builds from code
it has just accepted; its source notes the waste ("avoid validating the tree when parsing a
file"). Skipping that check while parsing saves about a sixth of the parse on the standard
library. Nodes built elsewhere (autofix replacements) are still validated.
"""

from __future__ import annotations

import ast
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import libcst as cst

_VALIDATE = cst.CSTNode.__post_init__
_lock = threading.Lock()
_parsing = 0  #: parses in progress in this process (threads may overlap)


def _trusted(self: cst.CSTNode) -> None:
    """Stands in for the validation while a parse is building nodes."""


#: What CPython's parser refuses as too big rather than as wrong: deep nesting, long chains.
_LIMITS = ("too many nested", "too many statically nested", "too many indentation levels",
           "too many levels of indentation", "too complex", "too deeply nested")
_last_tree: tuple[str, ast.Module | None] | None = None


class TooComplex(Exception):
    """Code CPython itself refuses to parse for its size or depth; libcst's native parser may
    crash the process on it, so it never gets the text."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def cpython_tree(text: str) -> ast.Module | None:
    """CPython's own parse (nothing is executed), kept for the last text so the engine's rules
    reuse the parse that vetted the file: None when CPython rejects the syntax (newer syntax
    than the running Python, or an error that libcst will describe). Raises TooComplex for code
    too deep or too long to parse safely."""
    global _last_tree
    cached = _last_tree  # one read: another thread (a Jupyter server's) may replace it meanwhile
    if cached is not None and cached[0] is text:
        return cached[1]
    tree: ast.Module | None
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        if any(limit in (exc.msg or "") for limit in _LIMITS):
            raise TooComplex(f"{exc.msg} (CPython refuses it too)", exc.lineno or 1) from None
        tree = None
    except (RecursionError, MemoryError):
        raise TooComplex("too deeply nested or too long an expression to parse (CPython refuses it too)") from None
    except ValueError:  # NUL bytes and the like: libcst reports them
        tree = None
    if tree is not None:
        deep = _deeper_than(tree, MAX_DEPTH)
        if deep is not None:
            raise TooComplex(f"code nested more than {MAX_DEPTH} levels deep (a chain of thousands of "
                             "operations?); the engine's parser would take minutes", deep)
    _last_tree = (text, tree)
    return tree


#: Syntax-tree depth beyond which libcst's parse slows down sharply (a 1,000-term `a + a + ...`
#: takes 0.1 s, 3,000 terms 1.8 s, 20,000 minutes). Real code stays far below: 569 at most
#: across the standard library and 22,000 files of popular packages (sympy's generated tables).
MAX_DEPTH = 1000


def _deeper_than(tree: ast.AST, limit: int) -> int | None:
    """The line of a node deeper than `limit` in the tree, else None (an iterative walk)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    node_type = ast.AST
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return getattr(node, "lineno", 1)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend((child, depth + 1) for child in value if isinstance(child, node_type))
            elif isinstance(value, node_type):
                stack.append((value, depth + 1))
    return None


def parse_module(text: str) -> cst.Module:
    """`libcst.parse_module(text)`: same tree, same errors; TooComplex first for what CPython
    refuses as too deep or too long (libcst's native parser can crash on such input)."""
    cpython_tree(text)
    global _parsing
    with _lock:
        _parsing += 1
        cst.CSTNode.__post_init__ = _trusted  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        with _lock:
            _parsing -= 1
            if _parsing == 0:
                cst.CSTNode.__post_init__ = _VALIDATE  # type: ignore[method-assign]


_DEFAULT_THRESHOLDS = gc.get_threshold()
_engines = 0  #: fewer_collections() blocks in progress in this process


@contextmanager
def fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while syntax trees are built and dropped.

    A parse allocates hundreds of thousands of nodes, which at Python's default threshold (700)
    sets off a collection every few hundred; on the standard library the engine spent about a
    sixth of its time in them. The cost is memory: a full cold scan of the standard library
    peaks at about 590 MiB instead of 480. The process's thresholds come back when the last
    block ends (the Jupyter server shares this process, and its threads may overlap).
    """
    global _engines
    with _lock:
        _engines += 1
        gc.set_threshold(threshold, *_DEFAULT_THRESHOLDS[1:])
    try:
        yield
    finally:
        with _lock:
            _engines -= 1
            if _engines == 0:
                gc.set_threshold(*_DEFAULT_THRESHOLDS)
