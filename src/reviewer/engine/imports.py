"""Qualified names from the module's import table: cheap alias resolution without ScopeProvider.

`import subprocess as sp; sp.run(...)` and `from subprocess import run as r; r(...)` both resolve
to `subprocess.run`. Builtins resolve to `builtins.NAME` unless the module rebinds the name.
"""

from __future__ import annotations

import builtins

import libcst as cst

BUILTIN_NAMES = frozenset(dir(builtins))


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for Name/Attribute chains, None for anything else (calls, subscripts...)."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _module_name(node: cst.BaseExpression | None) -> str:
    return dotted_name(node) or "" if node is not None else ""


class ImportTable:
    """Local name -> qualified name, for every import statement seen so far in the module."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}
        self.rebound: set[str] = set()  #: module-level names bound by def/class/assignment
        self.modules: list[tuple[str, cst.CSTNode]] = []  #: (imported module, statement) in order

    def add(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = _module_name(alias.name)
                self.modules.append((full, node))
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.aliases[alias.asname.name.value] = full
                else:
                    head = full.split(".")[0]
                    self.aliases[head] = head
            return
        dots = "." * len(node.relative)
        module = dots + _module_name(node.module)
        self.modules.append((module, node))
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = _module_name(alias.name)
            local = (
                alias.asname.name.value
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                else name
            )
            self.aliases[local] = f"{module}.{name}" if module and module != dots else f"{module}{name}"

    def scan_module(self, module: cst.Module) -> None:
        """Collect imports and rebindings from top-level statements (incl. if/try blocks)."""
        self._scan_body(module.body)

    def _scan_body(self, body: object) -> None:
        for stmt in body:  # type: ignore[attr-defined]
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self.add(small)
                    elif isinstance(small, (cst.Assign, cst.AnnAssign)):
                        targets = (
                            [t.target for t in small.targets]
                            if isinstance(small, cst.Assign)
                            else [small.target]
                        )
                        for target in targets:
                            if isinstance(target, cst.Name):
                                self.rebound.add(target.value)
            elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                self.rebound.add(stmt.name.value)
            elif isinstance(stmt, (cst.If, cst.Try, cst.With)):
                self._scan_compound(stmt)

    def _scan_compound(self, stmt: cst.CSTNode) -> None:
        blocks: list[cst.BaseSuite] = []
        if isinstance(stmt, cst.If):
            blocks.append(stmt.body)
            orelse = stmt.orelse
            while orelse is not None:
                blocks.append(orelse.body)
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        elif isinstance(stmt, cst.Try):
            blocks.append(stmt.body)
            blocks.extend(h.body for h in stmt.handlers)
            if stmt.orelse is not None:
                blocks.append(stmt.orelse.body)
        elif isinstance(stmt, cst.With):
            blocks.append(stmt.body)
        for block in blocks:
            if isinstance(block, cst.IndentedBlock):
                self._scan_body(block.body)

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """`subprocess.run` for `sp.run` after `import subprocess as sp`; None if unknown.

        Unimported names resolve to `builtins.X` for real builtins (unless rebound in the module)
        and to themselves otherwise, so locally defined names still compare predictably.
        """
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            base = self.aliases[head]
        elif head in BUILTIN_NAMES and head not in self.rebound:
            base = f"builtins.{head}"
        else:
            base = head
        return f"{base}.{rest}" if rest else base
