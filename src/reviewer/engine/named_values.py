"""A base for rules about the value bound to a name (secrets, placeholder credentials and URLs)."""

from __future__ import annotations

import libcst as cst

from reviewer.analysis.bindings import string_value, target_name
from reviewer.engine.rule import Rule


class NamedValueVisitor(Rule):
    """Base of rules about the value bound to a name: calls `check_binding(name, value)` for every
    assignment (also annotated, and to `obj.name` or `d["name"]`), keyword argument, parameter
    default and dict entry with a string key. Defines no CODE, so the registry skips it."""

    def check_binding(self, name: str, value: cst.BaseExpression) -> None:
        raise NotImplementedError

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            name = target_name(target.target)
            if name is not None:
                self.check_binding(name, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            name = target_name(node.target)
            if name is not None:
                self.check_binding(name, node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.check_binding(node.keyword.value, node.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self.check_binding(node.name.value, node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        name = string_value(node.key, raw=True)
        if name is not None:
            self.check_binding(name, node.value)
