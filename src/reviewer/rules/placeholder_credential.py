"""RV302 placeholder-credential: `api_key = "your-api-key-here"` left in the code."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_SECRET_LAST = frozenset(
    {"password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "apikey",
     "authorization"}
)
#: `<word>_key` names a credential only after these words (`sort_key`, `cache_key` do not).
_KEY_QUALIFIERS = frozenset(
    {"api", "access", "secret", "private", "signing", "encryption", "master", "auth", "client",
     "app", "license", "subscription", "openai", "anthropic", "stripe", "aws", "service", "admin",
     "hmac", "jwt"}
)
#: Tokenizer special tokens and pagination cursors: `pad_token = "<pad>"` is not a credential.
_NOT_SECRET_TOKENS = frozenset(
    {"eos", "bos", "pad", "unk", "sep", "cls", "mask", "start", "end", "stop", "special", "page",
     "next", "continuation"}
)

#: Whole values (lowercased) that are placeholders.
_EXACT = frozenset(
    {
        "changeme", "change-me", "change_me", "change me", "changeit", "change-it", "replaceme",
        "replace-me", "replace_me", "todo", "tbd", "fixme", "secret", "password123", "passw0rd",
        "dummy", "placeholder", "mysecret", "my-secret", "my_secret", "mypassword",
        "my-password", "my_password", "mytoken", "my-token", "my_token", "myapikey", "my-api-key",
        "my_api_key", "secret123", "secretkey", "secret-key", "secret_key", "supersecret",
        "super-secret", "super_secret", "api_key", "apikey", "api-key",
    }
)
#: Words that, after normalization (`YOUR-API-KEY` -> `your_api_key`), mark an instruction to
#: the reader rather than a value.
_INSTRUCTION = re.compile(
    r"(?:^|_)(?:your|insert|enter|paste|replace|put|fill|add)_"
    r"|(?:^|_)(?:your|here|goes_here|example|placeholder|dummy|todo|changeme)(?:_|$)"
    r"|^(?:your|change_?me|replace_?me)"  # `yourpassword`, `changeme123`
)
_CREDENTIAL_WORD = re.compile(r"key|token|secret|pass|pwd|cred|auth")
#: `xxxx`, `sk-xxxxxxxx`, `****`, `sk-proj-XXXX-XXXX`: masked or "fill me in" values.
_MASKED = re.compile(r"(?:[a-z]{1,10}[_-]{1,2})*[x*]{3,}(?:[_-]*[x*]+)*")
_ANGLE = re.compile(r"<([^<>]+)>")
_AUTH_SCHEME = re.compile(r"^(?:bearer|token|basic)\s+", re.IGNORECASE)
_ENV_GETTERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})


@lru_cache(maxsize=4096)  # the same few names are bound over and over
def is_secret_name(name: str) -> bool:
    """`api_key`, `OPENAI_API_KEY`, `clientSecret`, `db_password`, `Authorization`..."""
    parts = [p for p in _SPLIT.split(_CAMEL.sub(r"\1_\2", name).lower()) if p]
    if not parts:
        return False
    last = parts[-1]
    before = parts[-2] if len(parts) > 1 else ""
    if last == "token" and before in _NOT_SECRET_TOKENS:
        return False
    return last in _SECRET_LAST or (last == "key" and before in _KEY_QUALIFIERS)


def is_placeholder(value: str) -> bool:
    """Values that stand in for a credential: `your-api-key-here`, `<token>`, `sk-...`, `xxxx`."""
    text = _AUTH_SCHEME.sub("", value.strip())
    low = text.lower()
    if not low:
        return False  # empty means "not configured", which fails loudly enough
    if low in _EXACT or "..." in low or "\u2026" in low:  # "sk-...": an elided example key
        return True
    angle = _ANGLE.fullmatch(low)
    if angle is not None:  # `<your-token>`, `<API_KEY>`; tokenizer tokens like `<pad>` are not
        inner = angle.group(1)
        return "your" in inner or _CREDENTIAL_WORD.search(inner) is not None
    if _MASKED.fullmatch(low):
        return True
    words = _SPLIT.sub("_", low).strip("_")
    return _INSTRUCTION.search(words) is not None


class PlaceholderCredential(Rule):
    """Placeholder value for an API key, token or password.

    ## What it does
    Flags string literals that are placeholders (`"your-api-key-here"`, `"YOUR_API_KEY"`,
    `"<your-token>"`, `"changeme"`, `"replace-me"`, `"xxxx"`, `"sk-..."`, `"insert-key-here"`,
    `"TODO"`, `"password123"`, `"secret"`, `"dummy"`) assigned to a credential-like name
    (`api_key`, `apikey`, `secret`, `token`, `password`, `passwd`, `access_key`,
    `client_secret`, `Authorization`...): by assignment (also to attributes and `d["key"]`),
    keyword argument, parameter default, dict entry, or as the default of
    `os.getenv("API_KEY", ...)`. Empty strings and test files (`test_*.py`, `*_test.py`,
    `conftest.py`, files under `tests/`) are not flagged.

    ## Why is this bad?
    AI assistants fill in credentials with placeholders. The code then either fails at the first
    request with a confusing authentication error, or ships with a guessable value such as
    `changeme`. Read the credential from configuration or the environment and fail clearly when
    it is missing.
    """

    CODE = "RV302"
    NAME = "placeholder-credential"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    CWE = (798,)
    EQUIVALENT = ("B105", "B106", "B107", "S105", "S106", "S107")  # hardcoded-password checks
    MESSAGE = (
        "Placeholder credential: the code will fail or ship a placeholder; read it from "
        "configuration or the environment"
    )
    TRIGGERS = (
        "key", "Key", "KEY", "token", "Token", "TOKEN", "secret", "Secret", "SECRET", "pass",
        "Pass", "PASS", "pwd", "Pwd", "PWD", "uthorization",
    )

    VALID: ClassVar[list[Valid]] = [
        Valid('import os\n\nOPENAI_API_KEY = os.environ["OPENAI_API_KEY"]\n'),
        Valid('api_key = ""\nclient = Client(api_key=api_key or None)\n'),
        Valid(
            'tokenizer.pad_token = "<pad>"\nmax_tokens = 512\nsort_key = "your-key-here"\n'
            'password_hint = "changeme"\n'
        ),
        Valid('TOKEN_ENV_VAR = "GITHUB_TOKEN"\ntoken = os.getenv(TOKEN_ENV_VAR)\n'),
        Valid(
            'from enum import Enum\n\nclass Field(Enum):\n    PASSWORD = "password"\n'
            '    API_KEY = "api_key"\n'
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid('import openai\n\nopenai.api_key = "your-api-key-here"\n', line=3),
        Invalid(
            'from openai import OpenAI\n\nclient = OpenAI(\n    api_key="sk-...",\n)\n', line=4
        ),
        Invalid('SECRET_KEY = "change-me"\nDEBUG = True\n', line=1),
        Invalid('headers = {"Authorization": "Bearer <your-token>"}\n', line=1),
        Invalid(
            'import os\n\nGITHUB_TOKEN = os.getenv("GITHUB_TOKEN", "YOUR_GITHUB_TOKEN")\n', line=3
        ),
        Invalid('def connect(host, password="password123"):\n    return host\n', line=1),
        Invalid('config["aws_secret_access_key"] = "xxxxxxxxxxxxxxxx"\n', line=1),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # Test suites use fake credentials on purpose.
        self._enabled = not _is_test_path(context.unit.path)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check(_target_name(target.target), node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(_target_name(node.target), node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._check(node.keyword.value, node.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._check(node.name.value, node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.key, cst.SimpleString):
            self._check(_string(node.key), node.value)

    def visit_Call(self, node: cst.Call) -> None:
        # os.getenv("API_KEY", "your-key"): the placeholder is used whenever the variable is unset.
        if len(node.args) < 2 or node.args[1].keyword is not None:
            return
        if self.context.qualified_name(node.func) in _ENV_GETTERS:
            self._check(_string(node.args[0].value), node.args[1].value)

    def _check(self, name: str | None, value: cst.BaseExpression) -> None:
        # The type test is the cheapest filter: most bound values are not string literals.
        if not isinstance(value, cst.SimpleString) or name is None or not self._enabled:
            return
        text = _string(value)
        if text is None or not is_secret_name(name) or not is_placeholder(text):
            return
        if _words(text) == _words(name):
            return  # `PASSWORD = "password"` names a field (enum member, form key), not a secret
        shown = text if len(text) <= 40 else text[:37] + "..."
        self.report(
            value,
            f"Placeholder credential {shown!r} for `{name}`: the code will fail or ship a "
            "placeholder; read it from configuration or the environment",
        )


def _words(text: str) -> str:
    return _SPLIT.sub("_", _CAMEL.sub(r"\1_\2", text).lower()).strip("_")


def _string(node: cst.BaseExpression) -> str | None:
    if not isinstance(node, cst.SimpleString) or "b" in node.prefix.lower():
        return None
    value = node.evaluated_value
    return value if isinstance(value, str) else None


def _target_name(target: cst.BaseExpression) -> str | None:
    """`x` for `x = ...`, `attr` for `obj.attr = ...`, `"k"` for `d["k"] = ...`."""
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index):
            return _string(index.value)
    return None


def _is_test_path(path: str) -> bool:
    pure = PurePosixPath(path.replace("\\", "/"))
    name = pure.name
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
        or "tests" in pure.parts[:-1]
        or "test" in pure.parts[:-1]
    )
