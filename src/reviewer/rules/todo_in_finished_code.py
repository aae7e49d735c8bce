"""RV312 todo-in-finished-code: a docstring claims completeness while the body has a TODO."""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.bindings import string_value
from reviewer.model import Category, Confidence, Severity

#: Docstring phrases claiming the function is finished.
_CLAIM = re.compile(
    r"\b(?:fully|completely) (?:implemented|functional|tested|working)\b"
    r"|\bcomplete(?:d)? implementation\b"
    r"|\bproduction[- ]?(?:ready|grade|quality)\b"
    r"|\benterprise[- ]grade\b"
    r"|\bbattle[- ]tested\b"
    r"|\bhandles? (?:all|every) (?:the )?(?:possible )?(?:edge )?cases?\b"
    r"|\bhandles? (?:all|every) (?:possible )?(?:errors?|inputs?|scenarios?)\b"
    r"|\brobust(?:ly)?\b",
    re.IGNORECASE,
)
#: A negation right before the claim: "not production-ready", "isn't fully implemented yet".
_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\bno longer)\s+(?:yet\s+|\w+ly\s+)?$", re.IGNORECASE)
_MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")


class TodoInFinishedCode(Rule):
    """Docstring claims the function is finished while its body has a TODO.

    ## What it does
    Flags functions whose docstring claims completeness ("fully implemented", "complete
    implementation", "production-ready", "enterprise-grade", "battle-tested", "handles all
    (edge) cases", "robust"...; not when negated: "not production-ready") while a comment
    inside the function says `TODO`, `FIXME` or `XXX`. Comments are read from the source lines
    of the function, and only for functions whose docstring makes such a claim.

    ## Why is this bad?
    The docstring is what callers and reviewers read; the TODO is what the code actually is.
    Generated code often combines a confident docstring with "# TODO: handle errors" in the
    body: the contradiction hides missing error handling or edge cases behind a promise.
    """

    CODE = "RV312"
    NAME = "todo-in-finished-code"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Docstring claims the function is complete while its body has a TODO"
    TRIGGERS = ("TODO", "Todo", "todo", "FIXME", "Fixme", "fixme", "XXX", "xxx")

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "def parse(text):\n    \"\"\"Robust parser for the config format.\"\"\"\n"
            "    return [line.split('=') for line in text.splitlines()]\n"
        ),
        Valid(
            "def export(rows):\n    \"\"\"Export rows as CSV.\"\"\"\n"
            "    # TODO: stream large exports\n    return to_csv(rows)\n"
        ),
        Valid(
            "def sync(items):\n    \"\"\"Sync items. Not production-ready yet.\"\"\"\n"
            "    # TODO: retries\n    push(items)\n"
        ),
        Valid(
            "def render(page):\n    \"\"\"Fully implemented renderer.\"\"\"\n"
            "    return template.format(marker='# TODO')\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "def process_payment(order):\n"
            "    \"\"\"Production-ready payment processing that handles all edge cases.\"\"\"\n"
            "    # TODO: handle declined cards\n    return gateway.charge(order.total)\n",
            line=1,
        ),
        Invalid(
            "class Importer:\n    def load(self, path):\n"
            "        \"\"\"Complete implementation of the CSV importer.\"\"\"\n"
            "        rows = read(path)  # FIXME: encoding detection\n        return rows\n",
            line=2,
        ),
        Invalid(
            "async def fetch(url):\n    \"\"\"Robust HTTP fetch with retries.\"\"\"\n"
            "    # XXX retries are not wired yet\n    return await client.get(url)\n",
            line=1,
        ),
        Invalid(
            "def validate(data):\n    '''\n    Fully implemented validator.\n    '''\n"
            "    if not data:\n        return False\n    # todo: schema checks\n    return True\n",
            line=1,
        ),
        Invalid(
            "def score(user):\n    \"\"\"Enterprise-grade scoring; battle-tested.\"\"\"\n"
            "    for signal in user.signals:\n        pass  # TODO weight the signals\n"
            "    return 0.5\n",
            line=1,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        docstring = _docstring(node)
        if not docstring:
            return
        claim = next(
            (m for m in _CLAIM.finditer(docstring) if not _NEGATED.search(docstring[: m.start()])),
            None,
        )
        if claim is None:
            return
        marker = self._marker(node)
        if marker is None:
            return
        line, word = marker
        self.report(
            node.name,
            f"`{node.name.value}`'s docstring says \"{claim.group()}\" but line {line} has a "
            f"`{word}` comment: finish the function or make the docstring say what is missing",
        )

    def _marker(self, node: cst.FunctionDef) -> tuple[int, str] | None:
        """(line, word) of the first TODO/FIXME/XXX comment in the function's lines."""
        start, _, end, _ = self.context.span(node)
        lines = self.context.unit.lines[start - 1 : end]
        if not any(_MARKER.search(line.upper()) for line in lines):
            return None  # cheap: no marker text at all in the span
        source = textwrap.dedent("".join(_with_newline(line) for line in lines))
        try:
            for token in tokenize.generate_tokens(io.StringIO(source).readline):
                if token.type == tokenize.COMMENT:
                    found = _MARKER.search(token.string.upper())
                    if found:
                        return start + token.start[0] - 1, found.group()
        except (tokenize.TokenError, SyntaxError):
            return None
        return None


def _with_newline(line: str) -> str:
    return line if line.endswith("\n") else line + "\n"


def _docstring(node: cst.FunctionDef) -> str | None:
    body = node.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return None
    first = body.body[0]
    if not isinstance(first, cst.SimpleStatementLine) or not isinstance(first.body[0], cst.Expr):
        return None
    return string_value(first.body[0].value)
