"""RV101 hardcoded-secret: an API key, token, private key or password written into the source."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from reviewer.credentials import find_token as _find_token
from reviewer.credentials import is_stand_in as is_placeholder
from reviewer.credentials import mixed as _mixed
from reviewer.credentials import secret_kind
from reviewer.engine import Autofix, Invalid, Valid
from reviewer.engine.fix_edits import spell
from reviewer.analysis.bindings import string_value
from reviewer.engine.named_values import NamedValueVisitor
from reviewer.analysis.tests_detection import is_test_path
from reviewer.model import Applicability, Category, Confidence, Severity

_AUTH_HEADER = re.compile(r"^(?:Bearer|Token|Basic)\s+(\S{8,})$", re.IGNORECASE)


def _looks_random(value: str, kind: str) -> bool:
    """Mixed letters and digits, no spaces, not a URL or a config-key name like `auth_token_v2`."""
    if kind == "authorization header":
        match = _AUTH_HEADER.match(value)
        return match is not None and _looks_random(match.group(1), "token")
    if len(value) < 8 or any(c.isspace() for c in value) or "://" in value or not _mixed(value):
        return False
    low = value.lower()
    word = kind.split()[-1].lower()
    return not (word in low and ("_" in value or "." in value))


#: Words that make bandit's B105 and ruff's S105 flag a name (its pattern-only check).
_SECRET_WORD = re.compile(r"(?i)pass|pwd|token|secrete?|key")


class HardcodedSecret(NamedValueVisitor):
    """Secret written into the source code.

    ## What it does
    Flags string literals that contain a real-looking credential: OpenAI/Anthropic keys (`sk-`),
    AWS access key ids (`AKIA...`), GitHub tokens (`ghp_`, `github_pat_`...), Slack tokens
    (`xoxb-`...), Hugging Face tokens (`hf_`), Google API keys (`AIza`), PEM private keys with
    their body, and passwords inside connection URLs
    (`postgres://user:password@host`). Also flags random-looking literals (8+ characters mixing
    letters and digits) assigned to a name, attribute, dict key, keyword argument or parameter
    default named like a credential (`api_key`, `secret`, `auth_token`, `password`...).
    Placeholders (`<your-key>`, `changeme`, `${TOKEN}`, `xxxx`) are left alone, and in test
    files only provider-format keys count (`password = "hunter2"`, a header or a URL with a
    password there are test fixtures).

    ## Why is this bad?
    Source code is copied, committed, pasted into chats and published; a secret in it is leaked
    to everyone who can read it, and stays in the version history after it is removed. AI
    assistants often inline the key they were shown. Read secrets from the environment
    (`os.environ["OPENAI_API_KEY"]`) or a secret manager, and rotate any key that was committed.

    ## Fix safety
    `reviewer fix --unsafe-fixes` replaces a secret assigned to a name (`API_KEY = "..."`,
    `self.token = "..."`) or passed by keyword (`OpenAI(api_key="...")`) with
    `os.environ["API_KEY"]`, the variable named after the name in capitals, importing `os` when
    needed. Unsafe: the program now needs that variable set (and the key must still be rotated).
    """

    CODE = "RV101"
    NAME = "hardcoded-secret"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.ERROR
    CONFIDENCE = Confidence.HIGH
    CWE = (798,)
    MESSAGE = "Hardcoded secret; load it from the environment or a secret manager"
    EQUIVALENT = ("B105", "B106", "B107", "S105", "S106", "S107")
    SUPERSEDES = EQUIVALENT  # bandit/ruff flag every secret-like name; we read the value
    TRIGGERS = (
        "sk-", "AKIA", "ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "xox", "hf_", "AIza",
        "PRIVATE KEY", "://", "key", "Key", "KEY", "secret", "Secret", "SECRET", "token", "Token",
        "TOKEN", "pass", "Pass", "PASS", "pwd", "Pwd", "PWD", "uthorization",
    )
    FIX = "unsafe"

    # Example secrets are assembled with `+` so this file never contains a real-looking token
    # (secret scanners, and this very rule when the project reviews itself).
    _OPENAI = "sk-" + "proj-" + "Z3kQ9vX2mL7pR4tY8wB1nC6d"
    _GITHUB = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    _AWS = "AKIA" + "Q3ZT7HXW5NPL2RB6"
    _DB_URL = "postgresql://admin:" + "Tr0ub4dor3x" + "@db.internal:5432/app"

    VALID: ClassVar[list[Valid]] = [
        Valid('import os\n\napi_key = os.environ["OPENAI_API_KEY"]\n'),
        Valid("from getpass import getpass\n\npassword = getpass()\n"),
        Valid('API_KEY = "<your-api-key-here>"\nTOKEN = "changeme"\nsecret = ""\n'),
        Valid('db_url = "postgresql://user:${DB_PASSWORD}@localhost/app"\n'),
        Valid('tokenizer.pad_token = "<pad>"\nmax_tokens = 4096\nsort_key = "a1b2c3d4e5"\n'),
        Valid('if pem.startswith("-----BEGIN RSA PRIVATE KEY-----"):\n    pass\n'),
        Valid(
            'model = "sk-learn-compatible-estimator"\n'
            'cache = "redis://:password@localhost:6379/0"\n'
        ),
        Valid('TOKEN_ENV = "GITHUB_TOKEN"\nauth_token = os.getenv("AUTH_TOKEN")\n'),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(f'import openai\n\nclient = openai.OpenAI(api_key="{_OPENAI}")\n', line=3,
                fixed='import openai\nimport os\n\nclient = openai.OpenAI(api_key=os.environ["API_KEY"])\n'),
        Invalid(f'headers = {{"Authorization": "token {_GITHUB}"}}\n', line=1),
        Invalid(f'AWS_ACCESS_KEY_ID = "{_AWS}"\n', line=1),
        Invalid(f'engine = create_engine("{_DB_URL}")\n', line=1),
        Invalid('password = "hunter2024"\n', line=1, fixed='import os\npassword = os.environ["PASSWORD"]\n'),
        Invalid(
            'import os\n\nclass Settings:\n    def __init__(self):\n        self.secret_key = "9f8e7d6c5b4a"\n',
            line=5,
            fixed='import os\n\nclass Settings:\n    def __init__(self):\n        self.secret_key = os.environ["SECRET_KEY"]\n',
        ),
        Invalid('def login(user, passwd="Sup3rS3cret"):\n    return user\n', line=1),
        Invalid('config["stripe_api_key"] = "q8Z2xL7mK4pR"\n', line=1),
        Invalid(
            'KEY = (\n'
            '    "-----BEGIN RSA PRIVATE KEY-----\\n"\n'
            '    "MIIEowIBAAKCAQEAx3f9k2Lm8pQ7\\n"\n'
            ')\n',
            line=2,
        ),
        Invalid(
            cells=("import os\n", 'os.environ["OPENAI_API_KEY"] = "a1b2c3d4e5f6g7h8"\n'),
            cell=1,
            line=1,
        ),
    ]

    def _test_file(self) -> bool:
        return is_test_path(self.context.unit.path)

    # --- literal formats, wherever the string appears ---------------------------------------
    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # Parts of an implicit concatenation are checked together by the outermost one.
        if not isinstance(self.context.parent(), cst.ConcatenatedString):
            self._check_text(node, node.raw_value)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if isinstance(self.context.parent(), cst.ConcatenatedString):
            return
        pieces: list[str] = []
        part: cst.BaseExpression = node
        while isinstance(part, cst.ConcatenatedString):
            pieces.append(self._piece(part.left))
            part = part.right
        pieces.append(self._piece(part))
        self._check_text(node, "".join(pieces))

    @staticmethod
    def _piece(node: cst.BaseExpression) -> str:
        # An f-string part breaks the text so no pattern can match across the placeholder.
        return node.raw_value if isinstance(node, cst.SimpleString) else "\x00"

    def _check_text(self, node: cst.BaseExpression, text: str) -> None:
        found = _find_token(text)
        if found is None:
            return
        kind, preview = found
        if preview is None and self._test_file():
            return  # `http://user:pass@host` in a test is a fixture; provider keys still count
        shown = f" (`{preview}`)" if preview else ""
        self.report(
            node, f"Hardcoded {kind}{shown}; load it from the environment or a secret manager",
            fix=self._environment_fix(node),
        )

    # --- random-looking values bound to credential-like names --------------------------------
    def check_binding(self, name: str, value: cst.BaseExpression) -> None:
        # Most bindings are not string literals: that test is cheaper than splitting the name.
        if not isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return
        kind = secret_kind(name)
        if kind is None:
            if _SECRET_WORD.search(name):  # `PASSWORD_FIELD = "password"`: a label, not a secret
                self.clear(value, f"`{name}` names a secret but does not hold one")
            return
        if self._test_file():  # `password = "hunter2"` in a test is a fixture, not a secret
            self.clear(value, "test data")
            return
        # Scanned as written in the source, like the literal formats above.
        text = string_value(value, raw=True)
        if text is None or is_placeholder(text) or not _looks_random(text, kind):
            self.clear(value, f"`{name}` holds a label or placeholder, not a {kind}")
            return
        if _find_token(text) is not None:
            return  # the literal-format check reports this string, with a better message
        # Name the variable, never the value: a prefix of a password is still part of it.
        self.report(
            value,
            f"Hardcoded {kind} assigned to `{name}`; "
            "load it from the environment or a secret manager",
            fix=self._environment_fix(value),
        )

    def _environment_fix(self, node: cst.BaseExpression) -> Autofix | None:
        """`NAME = "secret"` / `f(name="secret")` -> `os.environ["NAME"]`, or None when the
        string is anything else (a default value, an item of a dict, part of a bigger string)."""
        # From a string's visit the statement is its parent; from `check_binding`, the node visited.
        stack = self.context.stack
        parent = stack[-1] if stack and stack[-1] is not node else self.context.parent()
        target: cst.BaseExpression | None = None
        if isinstance(parent, cst.Assign) and parent.value is node and len(parent.targets) == 1:
            target = parent.targets[0].target
        elif isinstance(parent, cst.AnnAssign) and parent.value is node:
            target = parent.target
        elif isinstance(parent, cst.Arg) and parent.value is node and parent.keyword is not None:
            target = parent.keyword
        if isinstance(target, cst.Attribute):
            target = target.attr
        if not isinstance(target, cst.Name):
            return None
        variable = re.sub(r"[^A-Za-z0-9]+", "_", target.value).strip("_").upper()
        spelled = spell(self.context, "os.environ", "os", node) if variable else None
        if spelled is None:
            return None
        text, lines = spelled
        return Autofix(f"Read it from `{text}[\"{variable}\"]`", f'{text}["{variable}"]',
                       Applicability.UNSAFE, lines=lines)
