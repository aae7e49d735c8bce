"""Conditions that prove a value safe on one branch: allow-list membership (`x in ALLOWED`),
equality with a literal, a validator call (`re.fullmatch(p, x)`, `is_relative_to`), or a
validating call compared (`commonpath([root, x]) == root`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst

from reviewer.engine.imports import dotted_name
from reviewer.engine.patterns import is_literal

#: A rule's own guards: the names an atomic condition proves safe when it evaluates to a truth.
RuleGuards = Callable[[cst.CSTNode, bool], set[str]]


def guarded(test: cst.CSTNode, truth: bool, validators: re.Pattern[str], rule_guards: RuleGuards | None = None) -> set[str]:
    """Names proven safe when `test` evaluates to `truth`: membership in a collection
    (`x in ALLOWED`), equality with a literal, a validator call (`re.fullmatch(p, x)`), or one
    of the rule's own guards (`".." in p` being false, for paths)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return guarded(test.expression, not truth, validators, rule_guards)
    if isinstance(test, cst.BooleanOperation):
        left = guarded(test.left, truth, validators, rule_guards)
        right = guarded(test.right, truth, validators, rule_guards)
        both = isinstance(test.operator, cst.And) == truth
        return left | right if both else left & right
    names = _atom(test, truth, validators)
    if rule_guards is not None:
        names |= rule_guards(test, truth)
    return names


def subject(node: cst.CSTNode) -> str | None:
    """The variable a check is about: `x`, `x.lower()`, `urlparse(x).netloc`, `Path(x).name`."""
    return _subject(node)


def _atom(test: cst.CSTNode, truth: bool, validators: re.Pattern[str]) -> set[str]:
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        op = test.comparisons[0].operator
        comparator = test.comparisons[0].comparator
        if isinstance(test.left, cst.Call) and isinstance(op, (cst.Equal, cst.NotEqual)):
            # `os.path.commonpath([root, target]) != root`: a validating call compared
            name = (dotted_name(test.left.func) or "").rsplit(".", 1)[-1]
            if validators.match(name) and isinstance(op, cst.Equal) == truth:
                return {n for arg in test.left.args for n in _names_in(arg.value)}
        subject = _subject(test.left)
        if subject is None:
            return set()
        if isinstance(op, cst.In) and truth or isinstance(op, cst.NotIn) and not truth:
            # `base in path.parents`: the path is inside the base directory
            if isinstance(comparator, cst.Attribute) and comparator.attr.value == "parents":
                contained = _subject(comparator.value)
                return {subject, contained} if contained else {subject}
            return {subject}
        if is_literal(comparator) and (isinstance(op, cst.Equal) and truth or isinstance(op, cst.NotEqual) and not truth):
            return {subject}
        return set()
    if isinstance(test, cst.Call) and truth:
        name = (dotted_name(test.func) or "").rsplit(".", 1)[-1]
        if not validators.match(name):
            return set()
        subjects = {name for arg in test.args for name in _all_names(arg.value)}
        if isinstance(test.func, cst.Attribute):
            receiver = _subject(test.func.value)
            if receiver is not None:
                subjects.add(receiver)
        return subjects
    return set()


def _subject(node: cst.CSTNode) -> str | None:
    """The variable a check is about: `x`, `x.lower()`, `urlparse(x).netloc`, `Path(x).name`."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute):
                node = node.func.value
            elif len(node.args) >= 1:
                node = node.args[0].value
            else:
                return None
        else:
            return None


def _all_names(node: cst.CSTNode) -> set[str]:
    """Every variable read in an expression (not called function names)."""
    if isinstance(node, cst.Name):
        return {node.value}
    if isinstance(node, cst.Call):
        out = {n for arg in node.args for n in _all_names(arg.value)}
        if isinstance(node.func, cst.Attribute):
            out |= _all_names(node.func.value)
        return out
    if isinstance(node, cst.Attribute):
        return _all_names(node.value)
    out: set[str] = set()
    for child in node.children:
        if isinstance(child, cst.BaseExpression) or isinstance(child, (cst.Element, cst.DictElement, cst.SubscriptElement, cst.Index, cst.FormattedStringExpression)):
            out |= _all_names(child)
        elif hasattr(child, "value") and isinstance(getattr(child, "value"), cst.CSTNode):
            out |= _all_names(child.value)  # type: ignore[attr-defined]
    return out


def _names_in(node: cst.CSTNode) -> set[str]:
    if isinstance(node, cst.Name):
        return {node.value}
    if isinstance(node, (cst.List, cst.Tuple)):
        return {n for e in node.elements for n in _names_in(e.value)}
    subject = _subject(node)
    return {subject} if subject else set()
