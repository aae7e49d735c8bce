"""RV209 retry-without-backoff: a retry loop that tries again immediately."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity

_DELAY_WORDS = ("sleep", "backoff", "wait")
_EXITS = (cst.Raise, cst.Return, cst.Break)


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _walk(node: cst.CSTNode, *, into_loops: bool = True) -> Iterator[cst.CSTNode]:
    """Nodes in `node`, not entering nested functions/classes (nor loops, if asked)."""
    return iter_nodes(node, _SCOPES if into_loops else (*_SCOPES, cst.For, cst.While))


def _is_retry_header(node: cst.For | cst.While, range_name: str | None) -> bool:
    if isinstance(node, cst.For):
        return range_name == "builtins.range"
    test = node.test
    if isinstance(test, cst.Name):
        return test.value == "True"
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        operator = test.comparisons[0].operator
        return isinstance(operator, (cst.LessThan, cst.LessThanEqual)) and isinstance(test.left, cst.Name)
    return False


def _last_statement(body: cst.BaseSuite) -> cst.CSTNode | None:
    if isinstance(body, cst.IndentedBlock):
        if not body.body:
            return None
        last = body.body[-1]
    else:
        last = body
    if isinstance(last, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) and last.body:
        return last.body[-1]
    return last


def _retries(handler: cst.ExceptHandler) -> bool:
    """The handler lets the loop go round again (does not end by raising, returning, breaking)."""
    return not isinstance(_last_statement(handler.body), _EXITS)


def _has_call(node: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Call) for n in _walk(node))


def _exits_on_success(node: cst.Try) -> bool:
    blocks: list[cst.CSTNode] = [node.body] + ([node.orelse] if node.orelse else [])
    return any(isinstance(n, (cst.Return, cst.Break)) for b in blocks for n in _walk(b, into_loops=False))


class RetryWithoutBackoff(Rule):
    """Retry loop without a delay between attempts.

    ## What it does
    Flags `for ... in range(N)`, `while True` and `while attempt < N` loops whose body has a
    `try` that calls something and leaves the loop on success (`return`/`break`), and an
    `except` that lets the loop go round again, when nothing in the loop sleeps or backs off
    (a call whose name contains `sleep`, `backoff` or `wait`). The finding is on the loop.

    ## Why is this bad?
    Retrying immediately turns one failure into a burst of identical requests: it hammers a
    service that is already struggling (or rate-limiting you), burns the retry budget in
    milliseconds before a transient problem can clear, and `while True` becomes a busy loop.
    Sleep between attempts with exponential backoff and jitter (or use a library such as
    `tenacity`).
    """

    CODE = "RV209"
    NAME = "retry-without-backoff"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "Retry loop without a delay between attempts: sleep with exponential backoff"
    TRIGGERS = ("try",)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            "import time\n\nfor attempt in range(3):\n    try:\n        return fetch()\n"
            "    except OSError:\n        time.sleep(2 ** attempt)\n"
        ),
        Valid(
            "for item in items:\n    try:\n        process(item)\n    except ValueError:\n"
            "        continue\n"
        ),
        Valid(
            "for attempt in range(3):\n    try:\n        return fetch()\n    except OSError:\n"
            "        raise\n"
        ),
        Valid(
            "import asyncio\n\nasync def get():\n    while True:\n        try:\n"
            "            return await fetch()\n        except OSError:\n"
            "            await asyncio.sleep(1)\n"
        ),
        Valid(
            "for i in range(10):\n    try:\n        total += parse(rows[i])\n    except KeyError:\n"
            "        pass\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "def get():\n    for attempt in range(5):\n        try:\n            return fetch()\n"
            "        except OSError:\n            continue\n",
            line=2,
        ),
        Invalid(
            "while True:\n    try:\n        conn = connect()\n        break\n"
            "    except ConnectionError as exc:\n        log(exc)\n",
            line=1,
        ),
        Invalid(
            "def get():\n    attempts = 0\n    while attempts < 3:\n        try:\n"
            "            return fetch()\n        except TimeoutError:\n            attempts += 1\n",
            line=3,
        ),
        Invalid(
            "async def get(client):\n    for _ in range(3):\n        try:\n"
            "            response = await client.get('/health')\n        except OSError:\n"
            "            pass\n        else:\n            return response\n",
            line=2,
        ),
    ]

    def visit_For(self, node: cst.For) -> None:
        iterator = node.iter
        name = self.context.qualified_name(iterator.func) if isinstance(iterator, cst.Call) else None
        self._check(node, name)

    def visit_While(self, node: cst.While) -> None:
        self._check(node, None)

    def _check(self, node: cst.For | cst.While, range_name: str | None) -> None:
        if not _is_retry_header(node, range_name):
            return
        retry = any(
            isinstance(n, cst.Try)
            and _has_call(n.body)
            and _exits_on_success(n)
            and any(_retries(h) for h in n.handlers)
            for n in _walk(node.body, into_loops=False)
        )
        if not retry:
            return
        for n in _walk(node.body):
            if isinstance(n, cst.Call):
                called = (dotted_name(n.func) or "").lower()
                if any(word in called for word in _DELAY_WORDS):
                    return
        self.report(node)
