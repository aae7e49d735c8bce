"""RV209 retry-without-backoff: a retry loop that tries again immediately."""

from __future__ import annotations

import re

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


#: Modules whose calls reach another process or machine.
_REMOTE_MODULES = ("requests.", "httpx.", "urllib.", "aiohttp.", "socket.", "subprocess.", "smtplib.",
                   "ftplib.", "paramiko.", "boto3.", "botocore.", "redis.", "psycopg", "sqlite3.",
                   "pymongo.", "sqlalchemy.", "openai.", "anthropic.", "grpc.", "websocket")
#: Calls that do I/O by their name, and receivers that name a connection.
_REMOTE_NAMES = frozenset({"urlopen", "connect", "fetch", "download", "upload", "request", "send",
                           "recv", "sendall", "execute", "publish", "invoke"})
_CONNECTION = re.compile(r"client|session|conn|http|sock|api|db|cursor|redis|s3|bucket|channel|"
                         r"producer|consumer|service|server|remote|requests|httpx|urllib", re.IGNORECASE)
_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "create", "query", "read", "write"})
#: Exceptions that say the other side failed for now.
_TRANSIENT = re.compile(r"OSError|IOError|ConnectionError|Connect|Timeout|socket|URLError|HTTPError|"
                        r"RequestException|TransportError|RateLimit|ServiceUnavailable|Throttl|"
                        r"OperationalError|BrokenPipe|EOFError|APIError|Retry")


def _remote_call(func: cst.BaseExpression, code_for: object) -> bool:
    if isinstance(func, cst.Name):
        return func.value in _REMOTE_NAMES
    if isinstance(func, cst.Attribute):
        name = func.attr.value
        if name in _REMOTE_NAMES:
            return True
        receiver = code_for(func.value) if callable(code_for) else ""
        return name in _HTTP_METHODS and bool(_CONNECTION.search(receiver))
    return False


def _catches_transient(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return False
    types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
    return any(_TRANSIENT.search(dotted_name(t) or "") for t in types)


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
    (a call whose name contains `sleep`, `backoff` or `wait`), and when the attempt reaches
    something that can fail for a while and recover: a network, subprocess, database or file
    call (`requests`, `socket`, `client.get()`, `connect()`, `fetch()`...), or a handler of
    the errors such calls raise (`OSError`, `ConnectionError`, timeouts, HTTP errors). A loop
    that asks the user again (`input()`) validates input; one that steps through decode errors
    or halves a batch size after an out-of-memory error is not waiting for anyone. The finding
    is on the loop.

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
        Valid(
            "while True:\n    try:\n        age = int(input('Age: '))\n        break\n"
            "    except ValueError:\n        print('Please type a number')\n"
        ),
        Valid(
            "def fit(batch):\n    while True:\n        try:\n            return train(batch)\n"
            "        except RuntimeError:\n            batch //= 2\n"
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

    def _remote(self, block: cst.Try) -> bool:
        """The attempt talks to something that can fail for a while and recover: it calls the
        network, a subprocess, a database or a file system, or its handler catches the errors
        such calls raise. Asking the user again (`input()`) is validation, not a retry."""
        io = False
        for n in _walk(block.body):
            if not isinstance(n, cst.Call):
                continue
            qualified = self.context.qualified_name(n.func) or ""
            if qualified in ("builtins.input", "getpass.getpass"):
                return False
            if qualified.startswith(_REMOTE_MODULES) or _remote_call(n.func, self.context.code_for):
                io = True
        return io or any(_catches_transient(handler) for handler in block.handlers)

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
            and self._remote(n)
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
