"""Whether the node being visited only runs when the environment allows it: inside a `try` body
whose handlers catch a given error (`try: import x` / `except ImportError:`), or under an `if`
(or conditional expression) whose test checks the environment (`TYPE_CHECKING`, the Python
version, the platform, `hasattr`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import libcst as cst

from reviewer.analysis.handlers import catches


def guarded(
    stack: Sequence[cst.CSTNode],
    code_for: Callable[[cst.CSTNode], str],
    handlers: frozenset[str],
    test: re.Pattern[str],
) -> bool:
    """`stack` is the ancestors of the node, root first, the node itself last."""
    for index, node in enumerate(stack[:-1]):
        child = stack[index + 1]
        if isinstance(node, cst.Try) and (child is node.body or child is node.orelse):
            # the `else:` of such a `try` runs only when its imports worked
            if any(catches(handler, handlers) for handler in node.handlers):
                return True
        elif isinstance(node, cst.If) and child is not node.test:
            if test.search(code_for(node.test)):
                return True
        elif isinstance(node, cst.IfExp) and child is not node.test:
            if test.search(code_for(node.test)):
                return True
        elif isinstance(node, cst.BooleanOperation) and child is node.right:
            # `hasattr(os, "x") and os.x()`
            if test.search(code_for(node.left)):
                return True
    return False
