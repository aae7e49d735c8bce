"""RV302 placeholder-credential: `api_key = "your-api-key-here"` left in the code."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.credentials import is_placeholder, is_secret_name, name_words
from reviewer.engine import Invalid, Valid
from reviewer.analysis.bindings import string_value
from reviewer.engine.named_values import NamedValueVisitor
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

_ENV_GETTERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})


class PlaceholderCredential(NamedValueVisitor):
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

    def visit_Call(self, node: cst.Call) -> None:
        # os.getenv("API_KEY", "your-key"): the placeholder is used whenever the variable is unset.
        if len(node.args) < 2 or node.args[1].keyword is not None:
            return
        if self.context.qualified_name(node.func) in _ENV_GETTERS:
            name = string_value(node.args[0].value)
            if name is not None:
                self.check_binding(name, node.args[1].value)

    def check_binding(self, name: str, value: cst.BaseExpression) -> None:
        # The type test is the cheapest filter: most bound values are not string literals.
        if not isinstance(value, cst.SimpleString) or not self._enabled:
            return
        text = string_value(value)
        if text is None or not is_secret_name(name) or not is_placeholder(text):
            return
        if name_words(text) == name_words(name):
            return  # `PASSWORD = "password"` names a field (enum member, form key), not a secret
        shown = text if len(text) <= 40 else text[:37] + "..."
        self.report(
            value,
            f"Placeholder credential {shown!r} for `{name}`: the code will fail or ship a "
            "placeholder; read it from configuration or the environment",
        )


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
