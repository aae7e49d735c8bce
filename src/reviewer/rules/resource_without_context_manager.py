"""RV208 resource-without-context-manager: a file, socket or connection that is never closed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_FACTORIES = frozenset(
    {
        "builtins.open", "io.open", "codecs.open", "socket.socket", "sqlite3.connect",
        "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "zipfile.ZipFile",
        "tarfile.open", "gzip.open", "bz2.open", "lzma.open",
    }
)
#: Calls that take ownership of a resource passed to them directly.
_OWNERS = frozenset({"closing", "enter_context", "enter_async_context", "callback", "push"})
_CLOSERS = frozenset({"close", "__exit__", "detach"})


def _children(node: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, cst.CSTNode]]:
    """(node, parent) for every node below `node`."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        parent = stack.pop()
        for child in parent.children:
            yield child, parent
            stack.append(child)


def _fate(scope: cst.CSTNode, name: str, binding: cst.CSTNode) -> bool:
    """True when the resource bound to `name` in `scope` is closed, used in `with` or escapes
    (returned, yielded, stored, passed to a call, aliased)."""
    for node, parent in _children(scope):
        if not isinstance(node, cst.Name) or node.value != name or parent is binding:
            continue
        if isinstance(parent, cst.Attribute):
            if parent.value is node and parent.attr.value in _CLOSERS:
                return True
            continue  # f.read(), f.write(...)
        if isinstance(parent, (cst.AssignTarget, cst.Param)):
            continue  # (re)binding the name
        if isinstance(parent, cst.AnnAssign) and parent.target is node:
            continue
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node:
            continue  # for line in f:
        if isinstance(parent, (cst.Comparison, cst.ComparisonTarget, cst.UnaryOperation, cst.If, cst.While)):
            continue  # if f is None:, if not f:
        return True  # return f, yield f, with f, g(f), self.f = f, [f]...
    return False


class ResourceWithoutContextManager(Rule):
    """Resource opened without a context manager and never closed.

    ## What it does
    Flags `open()`, `socket.socket()`, `sqlite3.connect()`, `tempfile.NamedTemporaryFile()`,
    `zipfile.ZipFile()`, `tarfile.open()` (and `io`/`codecs`/`gzip`/`bz2`/`lzma.open`):
    - assigned to a local name in a function that never calls `.close()` on it, never uses it in
      a `with` statement and never lets it escape (returned, yielded, stored on an object,
      passed to another call: the new owner closes it);
    - used immediately, as in `open(p).read()` or `json.load(open(p))`.

    `with open(p) as f`, `f = open(p)` closed in a `finally:` and `return open(p)` are fine.

    ## Why is this bad?
    The resource stays open until the garbage collector finalizes the object: on other
    interpreters (PyPy), in long-running services and when an exception keeps a reference alive,
    that can be much later or never. Unflushed writes are lost, file descriptors and database
    connections run out (CWE-772). `with` closes it on every path.
    """

    CODE = "RV208"
    NAME = "resource-without-context-manager"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.MEDIUM
    CWE = (772,)
    MESSAGE = "Resource is never closed: open it in a `with` statement"
    TRIGGERS = ("open", "socket", "connect", "TemporaryFile", "ZipFile")
    EQUIVALENT = ("SIM115",)  # ruff flake8-simplify

    VALID: ClassVar[list[Valid]] = [
        Valid("def touch(path):\n    open(path, 'w').close()\n"),
        Valid("def read(p):\n    with open(p) as f:\n        return f.read()\n"),
        Valid(
            "def read(p):\n    f = open(p)\n    try:\n        return f.read()\n"
            "    finally:\n        f.close()\n"
        ),
        Valid("def opener(p):\n    return open(p, 'rb')\n"),
        Valid(
            "import sqlite3\n\nclass Store:\n    def __init__(self, path):\n"
            "        conn = sqlite3.connect(path)\n        self.conn = conn\n"
        ),
        Valid(
            "import contextlib\n\ndef lines(p):\n    with contextlib.closing(open(p)) as f:\n"
            "        return list(f)\n"
        ),
        Valid("LOG = open('app.log', 'a')\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def read(p):\n    return open(p).read()\n", line=2),
        Invalid("import json\n\nconfig = json.load(open('config.json'))\n", line=3),
        Invalid("import json\n\ndef load(p):\n    return json.load(open(p))\n", line=4),
        Invalid(
            "def count(p):\n    f = open(p)\n    total = 0\n    for line in f:\n"
            "        total += 1\n    return total\n",
            line=2,
        ),
        Invalid(
            "import socket\n\ndef ping(host):\n    s = socket.socket()\n"
            "    s.connect((host, 80))\n    s.sendall(b'ping')\n",
            line=4,
        ),
        Invalid(
            "import zipfile\n\ndef names(p):\n    archive = zipfile.ZipFile(p)\n"
            "    return archive.namelist()\n",
            line=4,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        #: (scope function, local name, binding statement, call)
        self._bound: list[tuple[cst.FunctionDef, str, cst.CSTNode, cst.Call]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.qualified_name(node.func) not in _FACTORIES:
            return
        parent = self.context.parent()
        if isinstance(parent, cst.Attribute) and parent.value is node:
            if parent.attr.value == "close":
                return  # `open(path, "w").close()`: created (or truncated) and closed at once
            self.report(node, f"`{self.context.code_for(node.func)}(...)` is used and never "
                        "closed: open it in a `with` statement")
            return
        if isinstance(parent, cst.Arg):
            if not self._owned(self.context.parent(2)):
                self.report(node, f"`{self.context.code_for(node.func)}(...)` is passed on and "
                            "never closed: open it in a `with` statement")
            return
        binding = self._binding(parent, node)
        if binding is not None:
            target, statement = binding
            function = self.context.enclosing(cst.FunctionDef, cst.Lambda)
            if isinstance(function, cst.FunctionDef):
                self._bound.append((function, target, statement, node))

    @staticmethod
    def _binding(parent: cst.CSTNode | None, node: cst.Call) -> tuple[str, cst.CSTNode] | None:
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target.target, cst.Name):
                return target.target.value, target
        if isinstance(parent, cst.AnnAssign) and isinstance(parent.target, cst.Name):
            return parent.target.value, parent
        return None

    def _owned(self, call: cst.CSTNode | None) -> bool:
        """The resource passed to `call` is owned by something that will close it."""
        if not isinstance(call, cst.Call):
            return True
        name = dotted_name(call.func) or ""
        if name.rsplit(".", 1)[-1] in _OWNERS:
            return True
        outer = self.context.parent(3)
        if isinstance(outer, cst.WithItem):
            return True  # with Wrapper(open(p)) as w:
        if not name.rsplit(".", 1)[-1][:1].isupper():
            return False  # json.load(open(p)): a function that reads it and lets it go
        # A class that wraps it and escapes: return Wrapper(open(p)), self.w = Wrapper(open(p))
        if isinstance(outer, cst.Return):
            return True
        if isinstance(outer, cst.Assign):
            return any(not isinstance(t.target, cst.Name) for t in outer.targets)
        return False

    def finish(self) -> None:
        for function, name, statement, call in self._bound:
            if not _fate(function.body, name, statement):
                self.report(call, f"`{name}` is opened and never closed: use a `with` statement "
                            "or close it in a `finally:` block")
