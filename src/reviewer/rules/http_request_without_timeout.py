"""RV105 http-request-without-timeout: a network call that can block forever."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.engine.fix_edits import add_argument
from reviewer.engine.imports import dotted_name
from reviewer.model import Applicability, Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_REQUEST_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request"}
)
_REQUESTS_CALLS = frozenset(f"requests.{m}" for m in _REQUEST_METHODS)
_SESSION_FACTORIES = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session"}
)
#: Standard-library calls whose timeout defaults to "block forever", with the 0-based position
#: at which `timeout` may also be passed positionally (None: keyword-only in current Pythons).
_STDLIB_TIMEOUT_POSITION: dict[str, int | None] = {
    "urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": None,
    "smtplib.SMTP": 3,
    "smtplib.SMTP_SSL": 5,  # keyfile/certfile came before timeout until Python 3.12
    "ftplib.FTP": 4,
    "ftplib.FTP_TLS": 7,  # same: keyfile, certfile, context before timeout until 3.12
    "socket.create_connection": 1,
}

_Scope = cst.CSTNode | None  #: innermost enclosing function (None: module level)


class HttpRequestWithoutTimeout(Rule):
    """Network call without a timeout.

    ## What it does
    Flags `requests.get/post/put/patch/delete/head/options/request` and the same methods on a
    `requests.Session()` created in the module (`s = requests.Session()`,
    `with requests.Session() as s:`, `self.session = requests.Session()`), plus
    `urllib.request.urlopen`, `http.client.HTTPConnection/HTTPSConnection`,
    `smtplib.SMTP/SMTP_SSL`, `ftplib.FTP/FTP_TLS` and `socket.create_connection`, when no timeout
    is passed (by keyword, or positionally where the signature allows), or when it is
    `timeout=None`. Calls that pass `**kwargs` are skipped (the timeout may be in there), and so
    is httpx, which has a default timeout.

    ## Why is this bad?
    These calls wait indefinitely by default. One unresponsive server then hangs the script,
    worker or notebook kernel forever and holds its connections (resource exhaustion).
    Pass an explicit `timeout=` sized for the service.

    ## Fix safety
    `reviewer fix --unsafe-fixes` passes `timeout=` with the project's `default-timeout`
    (`[tool.reviewer]`, 30 seconds unless set), or replaces `timeout=None` with it: unsafe,
    because a service slower than that now raises instead of answering late.
    """

    CODE = "RV105"
    NAME = "http-request-without-timeout"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    CWE = (400,)
    MESSAGE = "Network call without a timeout can hang forever; pass timeout="
    EQUIVALENT = ("B113", "S113")
    SUPERSEDES = EQUIVALENT  # we also see timeouts set through sessions, wrappers and kwargs
    # Every call this rule checks spells one of these, whatever the import style.
    TRIGGERS = (
        "requests", "urlopen", "HTTPConnection", "HTTPSConnection", "SMTP", "FTP",
        "create_connection",
    )
    FIX = "unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("import requests\n\nr = requests.get(url, timeout=10)\n"),
        Valid("import requests\n\nr = requests.post(url, json=body, **options)\n"),
        Valid("import httpx\n\nr = httpx.get(url)\n"),
        Valid(
            "import requests\n\nwith requests.Session() as s:\n    s.get(url, timeout=(3, 30))\n"
        ),
        Valid("from urllib.request import urlopen\n\nurlopen(url, None, 5)\n"),
        Valid("import socket\n\nsock = socket.create_connection((host, 443), 5)\n"),
        Valid("cache = {}\nvalue = cache.get('key')\ns = 'x'\ns.get = None\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import requests\n\nresponse = requests.get(url)\n", line=3,
                fixed="import requests\n\nresponse = requests.get(url, timeout=30)\n"),
        Invalid("import requests as rq\n\nrq.request('POST', url, data=payload)\n", line=3),
        Invalid("from requests import post\n\npost(url, json=body, timeout=None)\n", line=3,
                fixed="from requests import post\n\npost(url, json=body, timeout=30)\n"),
        Invalid("import requests\n\nr = requests.post(\n    url,\n    data=form,\n)\n", line=3,
                fixed="import requests\n\nr = requests.post(\n    url,\n    data=form, timeout=30,\n)\n"),
        Invalid(
            "import requests\n\nsession = requests.Session()\n\ndef fetch(path):\n"
            "    return session.get(BASE + path)\n",
            line=6,
        ),
        Invalid(
            "import requests\n\nwith requests.session() as http:\n    http.post(url, data=form)\n",
            line=4,
        ),
        Invalid("import urllib.request\n\nbody = urllib.request.urlopen(url).read()\n", line=3),
        Invalid("import smtplib\n\nserver = smtplib.SMTP('smtp.example.com', 587)\n", line=3),
        Invalid(
            "from http.client import HTTPSConnection\n\nconn = HTTPSConnection(host)\n", line=3
        ),
        Invalid("import ftplib\n\nftp = ftplib.FTP('ftp.example.com', 'anonymous')\n", line=3),
        Invalid(
            "import requests\n\nclass Client:\n"
            "    def fetch(self):\n        return self.http.get(self.url)\n\n"
            "    def __init__(self):\n        self.http = requests.Session()\n",
            line=5,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        #: (scope, name) of local names bound to a Session; attribute targets use scope None.
        self._sessions: set[tuple[_Scope, str]] = set()
        #: Method calls on a name, decided in finish() since the Session may be bound later.
        self._pending: list[tuple[cst.Call, _Scope, str, str]] = []

    # --- sessions ----------------------------------------------------------------------------
    def _is_session_factory(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Call)
            and self.context.qualified_name(node.func) in _SESSION_FACTORIES
        )

    def _scope(self) -> _Scope:
        return self.context.enclosing(cst.FunctionDef, cst.Lambda)

    def _bind(self, target: cst.BaseExpression) -> None:
        name = dotted_name(target)
        if name is None:
            return
        # `self.http` is bound in __init__ and used in other methods: attributes are module-wide.
        self._sessions.add((None if "." in name else self._scope(), name))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._is_session_factory(node.value):
            for target in node.targets:
                self._bind(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and self._is_session_factory(node.value):
            self._bind(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and self._is_session_factory(node.item):
            self._bind(node.asname.name)

    # --- calls -------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _REQUEST_METHODS:
            receiver = func.value
            if self._is_session_factory(receiver):  # requests.Session().get(url)
                self._check(node, f"Session.{func.attr.value}", None)
                return
            receiver_name = dotted_name(receiver)
            is_requests_api = self.context.qualified_name(func) in _REQUESTS_CALLS
            if receiver_name is not None and not is_requests_api:
                self._pending.append((node, self._scope(), receiver_name, func.attr.value))
                return
        name = self.context.qualified_name(func)
        if name in _REQUESTS_CALLS:
            self._check(node, name, None)
        elif name in _STDLIB_TIMEOUT_POSITION:
            self._check(node, name, _STDLIB_TIMEOUT_POSITION[name])

    def finish(self) -> None:
        for node, scope, receiver, method in self._pending:
            key_scope = None if "." in receiver else scope
            if (key_scope, receiver) in self._sessions or (None, receiver) in self._sessions:
                self._check(node, f"Session.{method}", None)

    def _check(self, node: cst.Call, name: str, position: int | None) -> None:
        positional = 0
        for arg in node.args:
            if arg.star == "**":
                return  # the timeout may be in the mapping
            if arg.star == "*":
                if position is not None:
                    return  # may reach the timeout's position
                continue
            if arg.keyword is None:
                if position is not None and positional == position:
                    self._check_value(node, name, arg.value)
                    return
                positional += 1
            elif arg.keyword.value == "timeout":
                self._check_value(node, name, arg.value)
                return
        edit = add_argument(node, f"timeout={self._seconds()}", self.context.code_for)
        fix = Autofix(f"Pass `timeout={self._seconds()}`", applicability=Applicability.UNSAFE,
                      also=(edit,)) if edit is not None else None
        self.report(node, f"`{name}()` without a timeout can hang forever; pass timeout=", fix=fix)

    def _seconds(self) -> str:
        value = self.context.config.default_timeout
        return str(int(value)) if value == int(value) else str(value)

    def _check_value(self, node: cst.Call, name: str, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Name) and value.value == "None":
            self.report(
                node,
                f"`{name}()` with timeout=None: None disables the timeout, so it can hang forever",
                fix=Autofix(f"Pass `timeout={self._seconds()}`", applicability=Applicability.UNSAFE,
                            also=((value, self._seconds()),)),
            )
