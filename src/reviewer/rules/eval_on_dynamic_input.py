"""RV104 eval-on-dynamic-input: eval/exec/compile of code that is only known at runtime."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.engine.walker import iter_nodes
from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

_BUILTINS = {"builtins.eval": "eval", "builtins.exec": "exec", "builtins.compile": "compile"}
#: Keyword names of the code argument (`compile(source=...)`; eval/exec accept them on 3.13+).
_SOURCE_KEYWORDS = frozenset({"source", "expression"})


def _is_literal(node: cst.BaseExpression) -> bool:
    """A string written in the source: plain, implicitly concatenated, or an f-string without
    placeholders."""
    if isinstance(node, cst.SimpleString):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _is_literal(node.left) and _is_literal(node.right)
    if isinstance(node, cst.FormattedString):
        return not any(isinstance(p, cst.FormattedStringExpression) for p in node.parts)
    return False


class EvalOnDynamicInput(Rule):
    """`eval()`, `exec()` or `compile()` on a value computed at runtime.

    ## What it does
    Flags calls to the builtins `eval`, `exec` and `compile` whose code argument is anything
    but a string literal: a variable, an f-string with placeholders, a concatenation, a call such
    as `input()` or `f.read()`. Methods and local functions that happen to be called `eval`
    (`model.eval()`, a module-level `def eval`) are not the builtin and are not flagged.

    ## Why is this bad?
    Whoever controls the string controls the process: `eval(input())` or `eval(request.args[x])`
    runs arbitrary code. To parse Python literals use `ast.literal_eval()`; for JSON use
    `json.loads()`; for dispatch use a dict of functions.
    """

    CODE = "RV104"
    NAME = "eval-on-dynamic-input"
    CATEGORY = Category.SECURITY
    # A warning: the value's origin is unknown here (often the operator's own code, as in a
    # shell command's `-c`); eval of request, network or LLM data is RV112, an error.
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    CWE = (95,)
    MESSAGE = "`eval()` on a runtime value runs arbitrary code; use `ast.literal_eval()` for data"
    EQUIVALENT = ("B307", "S307", "B102", "S102")
    SUPERSEDES = EQUIVALENT  # eval/exec of a constant is not an injection
    TRIGGERS = ("eval", "exec", "compile")

    VALID: ClassVar[list[Valid]] = [
        Valid("import ast\n\nvalue = ast.literal_eval(text)\n"),
        Valid(
            "result = eval('1 + 2')\nexec('import this')\n"
            "code = compile('x = 1', '<s>', 'exec')\n"
        ),
        Valid("def eval(expr):\n    return expr\n\neval(user_input)\n"),
        Valid("model.eval()\npattern = re.compile(raw)\nfast = torch.compile(model)\n"),
        Valid("import ast\n\ntree = compile(text, path, 'exec', flags=ast.PyCF_ONLY_AST | ast.PyCF_TYPE_COMMENTS)\n"),
        Valid("self.exec(query)\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def load(path, ns):\n    exec(compile(open(path).read(), path, 'exec'), ns)\n", line=2),
        Invalid("answer = eval(input('> '))\n", line=1),
        Invalid("def run(code):\n    exec(code, {})\n", line=2),
        Invalid("with open(path) as f:\n    exec(compile(f.read(), path, 'exec'))\n", line=2),
        Invalid("expr = f'{a} + {b}'\nprint(eval(expr))\n", line=2),
        Invalid("import builtins\n\nbuiltins.eval(request.args['q'])\n", line=3),
        Invalid("from builtins import exec as run_code\n\nrun_code('x = ' + value)\n", line=3),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        # Cheap shape check before resolving names: the builtins are called by bare name, or
        # as `builtins.eval`.
        if isinstance(func, cst.Attribute):
            if func.attr.value not in ("eval", "exec", "compile"):
                return
        elif not isinstance(func, cst.Name):
            return
        name = self.context.qualified_name(func)
        short = _BUILTINS.get(name or "")
        if short is None:
            return
        source = _source_arg(node)
        if source is None or _is_literal(source):
            return
        if short == "compile":
            # `exec(compile(src, ...))`: one problem, reported once, on the exec.
            outer = self.context.parent(2)
            if isinstance(outer, cst.Call) and _BUILTINS.get(self.context.qualified_name(outer.func) or "") in ("exec", "eval"):
                return
            if self._only_ast(node):
                return  # `flags=ast.PyCF_ONLY_AST` parses into a tree, as ast.parse does: nothing runs
            message = "`compile()` of a runtime value prepares arbitrary code for execution"
        elif short == "exec":
            message = "`exec()` on a runtime value runs arbitrary code"
        else:
            message = self.MESSAGE
        self.report(node, message)


    def _only_ast(self, node: cst.Call) -> bool:
        """`compile(..., flags=ast.PyCF_ONLY_AST)` (the 4th positional argument, or `flags=`,
        alone or or-ed with other flags)."""
        flags = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "flags"), None)
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if flags is None and len(positional) >= 4:
            flags = positional[3].value
        return flags is not None and any(
            self.context.qualified_name(n) == "ast.PyCF_ONLY_AST"
            for n in iter_nodes(flags) if isinstance(n, (cst.Attribute, cst.Name))
        )


def _source_arg(node: cst.Call) -> cst.BaseExpression | None:
    """The code argument: first positional or `source=`; None for `eval(*args)` and no args."""
    for arg in node.args:
        if arg.star:
            return None
        if arg.keyword is None or arg.keyword.value in _SOURCE_KEYWORDS:
            return arg.value
    return None
