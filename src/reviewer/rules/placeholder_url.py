"""RV314 placeholder-url: `requests.get("https://api.example.com/users")`, `BASE_URL = "https://
your-domain.com"`: an endpoint that was never filled in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.credentials import name_words
from reviewer.engine import Invalid, Valid
from reviewer.analysis.bindings import string_value, target_name
from reviewer.engine.named_values import NamedValueVisitor
from reviewer.analysis.tests_detection import is_test_path
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?(\[[^\]]*\]|[^/:?#\s]+)", re.IGNORECASE)
#: A host without a scheme, accepted only for names that say "host"/"endpoint"/"server".
_BARE_HOST = re.compile(r"^([^/:?#\s]+\.[a-z]{2,}|<[^>\s]+>)(?::\d+)?(?:[/?#]\S*)?$", re.IGNORECASE)
#: RFC 2606 / 6761 names reserved for documentation and examples.
_RESERVED_DOMAINS = frozenset({"example.com", "example.org", "example.net", "example.edu"})
_RESERVED_TLDS = frozenset({"example", "invalid"})
#: Second-level names assistants use as stand-ins.
_STAND_IN_LABELS = frozenset(
    {"mydomain", "mycompany", "mysite", "mywebsite", "myserver", "myapp", "domain", "yoursite"}
)
_PLACEHOLDER_LABEL = re.compile(
    r"<|>|^\{?your(?:[-_]|domain|company|site|server|app|api|host|org|name|project|instance"
    r"|resource|endpoint|service|bucket|account|tenant|workspace|store|shop|website|url)"
    r"|^(?:insert|replace)[-_]|^changeme$|^x{3,}$",
    re.IGNORECASE,
)
#: Last words of names that hold an endpoint: API_URL, base_url, WEBHOOK_URL, endpoint, api_base.
_ENDPOINT_WORDS = frozenset({"url", "urls", "uri", "endpoint", "endpoints", "webhook", "baseurl"})
_HOST_WORDS = frozenset({"host", "hostname", "server"})
#: Names and keys that mark a value as an example on purpose (docs, schemas, fixtures).
_EXAMPLE_WORDS = frozenset({"example", "examples", "sample", "dummy", "fake", "mock", "test", "stub"})
#: Keys of a dict that documents a URL (OpenAPI servers, contact and license objects).
_DESCRIPTIVE_KEYS = frozenset({"description", "name", "email", "title", "summary"})
#: Call targets whose arguments are endpoints (prefixes of qualified names).
_HTTP_MODULES = (
    "requests.", "httpx.", "aiohttp.", "urllib.request.", "urllib3.", "http.client.",
    "websocket.", "websockets.",
)
#: Method names that send a request on a client or session object.
_HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "urlopen",
     "ws_connect", "send_request"}
)
#: Expressions whose literal start can be a URL.
_TEXT = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.BinaryOperation, cst.Call)
_ENV_GETTERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})


def placeholder_host(url: str, *, bare: bool = False) -> str | None:
    """The placeholder host of `url` (`api.example.com`, `your-domain.com`, `<resource>...`), or
    None. With `bare`, a host without a scheme (`api.example.com/v1`) counts too."""
    match = _URL.match(url) or (_BARE_HOST.match(url) if bare else None)
    if match is None:
        return None
    host = match.group(1).lower().rstrip(".")
    labels = host.split(".")
    if ".".join(labels[-2:]) in _RESERVED_DOMAINS or labels[-1] in _RESERVED_TLDS:
        return host
    if len(labels) >= 2 and labels[-2] in _STAND_IN_LABELS:
        return host
    if any(_PLACEHOLDER_LABEL.search(label) for label in labels):
        return host
    return None


def _literal_prefix(expr: cst.BaseExpression) -> str | None:
    """The literal text an expression starts with: a string, the text of an f-string before its
    first `{}`, the left end of `"..." + x`, the template of `"...".format(x)`."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = string_value(expr)
        if value is not None or not isinstance(expr, cst.ConcatenatedString):
            return value
        return _literal_prefix(expr.left)
    if isinstance(expr, cst.FormattedString):
        text = ""
        for part in expr.parts:
            if not isinstance(part, cst.FormattedStringText):
                break
            text += part.value
        return text
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        return _literal_prefix(expr.left)
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "format"
    ):
        return _literal_prefix(expr.func.value)
    return None


def _endpoint_name(name: str) -> tuple[bool, bool]:
    """(holds an endpoint, may hold a bare host) for a variable, key or keyword name."""
    words = name_words(name)
    if not words or _EXAMPLE_WORDS.intersection(words):
        return False, False
    if words[-1] in _HOST_WORDS:
        return True, True
    endpoint = words[-1] in _ENDPOINT_WORDS or words[-2:] == ("api", "base") or "endpoint" in words
    return endpoint, "endpoint" in words


class PlaceholderUrl(NamedValueVisitor):
    """Placeholder URL used as an endpoint.

    ## What it does
    Flags string literals (also f-strings, `"..." + path` and `"...".format()` templates, by
    their literal start) that are URLs to a placeholder host: the reserved example domains
    (`example.com`, `api.example.com`, `example.org`, `example.net`, the `.example` and
    `.invalid` top-level domains), stand-ins such as `your-domain.com`, `api.yourcompany.com`,
    `your-api-endpoint`, `mydomain.com`, and `<your-resource>` / `<host>` templates. Only where
    the URL is used as an endpoint:

    - an argument of an HTTP call: `requests.*`, `httpx.*`, `aiohttp.*`, `urllib.request.*`,
      `urllib3.*`, `http.client.*`, or a `.get/.post/.put/.patch/.delete/.request/.stream(...)`
      method call on any client or session;
    - a keyword argument, parameter default, dict entry, assignment or `os.getenv` default whose
      name says it holds an endpoint: `url=`, `base_url=`, `endpoint=`, `api_base=`, `API_URL`,
      `BASE_URL`, `WEBHOOK_URL`, `ENDPOINT`, `SERVER_HOST` (names ending in host/server also
      accept a bare `api.example.com`).

    Not flagged: test files (`test_*.py`, `*_test.py`, `conftest.py`, files under `tests/`),
    docstrings and comments, help texts, e-mail addresses, `localhost`, names or keys that say
    the value is an example on purpose (`EXAMPLE_URL`, `{"example": ...}`, `sample_url`), and
    dicts that describe a URL rather than call it (`{"url": ..., "description": ...}`).

    ## Why is this bad?
    AI assistants fill in endpoints with placeholders. The reserved example domains never answer
    an API call, so the code fails at the first request, far from where the URL was written,
    with a connection or 404 error; a stand-in like `api.yourcompany.com` may even resolve to
    someone else's server and receive your data and credentials. Read the endpoint from
    configuration or the environment and fail clearly when it is missing.
    """

    CODE = "RV314"
    NAME = "placeholder-url"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = (
        "Placeholder URL used as an endpoint: the code will fail at the first request; read "
        "the endpoint from configuration or the environment"
    )
    TRIGGERS = (
        "example", "your", "Your", "YOUR", "mydomain", "mycompany", "mysite", "mywebsite",
        "myserver", "myapp", "domain.com", "://<", ".invalid", "xxx", "insert-", "INSERT_",
        "replace-", "REPLACE_", "changeme",
    )

    VALID: ClassVar[list[Valid]] = [
        Valid("app = FastAPI(servers=[{'url': 'https://stag.example.com', 'description': 'Staging'}])\n"),
        Valid('import os\n\nAPI_URL = os.environ["API_URL"]\n'),
        Valid('import requests\n\nrequests.get("https://api.github.com/repos", timeout=5)\n'),
        Valid('CONTACT = "support@example.com"\nEXAMPLE_URL = "https://example.com"\n'),
        Valid(
            'import argparse\n\nparser = argparse.ArgumentParser()\nparser.add_argument(\n'
            '    "--url", help="endpoint, e.g. https://api.example.com/v1")\n'
        ),
        Valid('def fetch(session):\n    """Call https://api.example.com/items."""\n'
              '    return session.get(BASE)\n'),
        Valid('OLLAMA_URL = "http://localhost:11434/v1"\nlink = "https://example.com"\n'),
        Valid('schema = {"url": {"type": "string", "example": "https://example.com/x"}}\n'),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid('import requests\n\nr = requests.get("https://api.example.com/users", timeout=5)\n',
                line=3),
        Invalid('BASE_URL = "https://your-domain.com/api/v1"\n', line=1),
        Invalid('from openai import OpenAI\n\nclient = OpenAI(base_url="https://api.yourcompany.com/v1")\n',
                line=3),
        Invalid('WEBHOOK_URL = "https://hooks.example.org/services/T000/B000"\n', line=1),
        Invalid(
            'import httpx\n\nasync def get_user(client: httpx.AsyncClient, uid: int):\n'
            '    return await client.get(f"https://api.example.com/users/{uid}")\n',
            line=4,
        ),
        Invalid('import os\n\nENDPOINT = os.getenv("ENDPOINT", "https://<your-resource>.openai.azure.com")\n',
                line=3),
        Invalid('config = {"endpoint": "https://your-api-endpoint/v1", "timeout": 10}\n', line=1),
        Invalid('def connect(host="db.example.com", port=5432):\n    return host, port\n', line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._enabled = not is_test_path(context.unit.path)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._enabled or not any(isinstance(arg.value, _TEXT) for arg in node.args):
            return
        name = self.context.qualified_name(node.func) or ""
        func = node.func
        if name in _ENV_GETTERS:
            # os.getenv("API_URL", "https://api.example.com"): the default is the endpoint.
            key = string_value(node.args[0].value)
            if key is not None and len(node.args) > 1 and node.args[1].keyword is None:
                self.check_binding(key, node.args[1].value)
            return
        if name.startswith(_HTTP_MODULES) or (
            isinstance(func, cst.Attribute) and func.attr.value in _HTTP_METHODS
        ):
            for arg in node.args:
                if arg.keyword is None and arg.star == "":
                    self._check(arg.value, bare=False)

    def check_binding(self, name: str, value: cst.BaseExpression) -> None:
        if not self._enabled:
            return
        endpoint, bare = _endpoint_name(name)
        if endpoint:
            self._check(value, bare=bare)

    def _check(self, value: cst.BaseExpression, *, bare: bool) -> None:
        text = _literal_prefix(value)
        if not text or placeholder_host(text.strip(), bare=bare) is None:
            return
        if self._marked_as_example():
            return
        shown = text if len(text) <= 50 else text[:47] + "..."
        self.report(
            value,
            f"Placeholder URL {shown!r} used as an endpoint: requests fail or reach someone "
            "else's server; read the endpoint from configuration or the environment",
        )

    def _marked_as_example(self) -> bool:
        """Inside a dict entry, keyword or assignment named like an example (`"example": ...`),
        or in a dict that describes rather than calls (`{"url": ..., "description": ...}`, the
        server and contact entries of an OpenAPI document)."""
        for node in self.context.stack:
            if isinstance(node, cst.Dict) and _DESCRIPTIVE_KEYS.intersection(
                string_value(e.key, raw=True) or "" for e in node.elements if isinstance(e, cst.DictElement)
            ):
                return True
            if isinstance(node, cst.DictElement):
                key = string_value(node.key, raw=True)
            elif isinstance(node, cst.Arg) and node.keyword is not None:
                key = node.keyword.value
            elif isinstance(node, cst.AssignTarget):
                key = target_name(node.target)
            elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                key = node.name.value
            else:
                continue
            if key and _EXAMPLE_WORDS.intersection(name_words(key)):
                return True
        return False

