"""RV404 secret-in-notebook-output: a saved cell output shows an API key, token or password."""

from __future__ import annotations

import re
from typing import ClassVar

from reviewer.credentials import find_token, is_stand_in, mixed, secret_kind
from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

_BEARER = re.compile(r"\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)", re.IGNORECASE)
#: `password=...`, `'api_key': '...'`, `SECRET_KEY: ...` as printed configs and reprs show them.
_ASSIGNED = re.compile(
    r"""(?<![\w-])['"]?([A-Za-z_][\w-]*)['"]?\s*[:=]\s*['"]?([^\s'",;()\[\]{}]+)"""
)


def secret_in_text(text: str) -> str | None:
    """The kind of the first real-looking secret in `text` (never the secret itself)."""
    found = find_token(text)
    if found is not None:
        return found[0]
    for match in _BEARER.finditer(text):
        token = match.group(1)
        if mixed(token) and not is_stand_in(token):
            return "bearer token"
    for match in _ASSIGNED.finditer(text):
        kind = secret_kind(match.group(1))
        value = match.group(2)
        if kind is None or is_stand_in(value) or value.lower() in {"true", "false", "nan"}:
            continue
        if kind == "password" and len(value) >= 6 or len(value) >= 8 and mixed(value):
            return kind
    return None


def _article(kind: str) -> str:
    return "an" if kind[0].lower() in "aeiou" else "a"


class SecretInNotebookOutput(Rule):
    """Secret saved in a notebook cell's output.

    ## What it does
    Scans the outputs saved in the notebook (printed text, `repr`s of results, error
    tracebacks) for real-looking credentials: the same token formats as RV101 (OpenAI and
    Anthropic keys, AWS access key ids, GitHub, Slack, Hugging Face and Google tokens, private
    key blocks, passwords in connection URLs), bearer tokens, and `password=...` /
    `'api_key': '...'` pairs as printed configs show them. Reported once per cell, on its first
    line; the message names the kind of secret and never repeats it.

    ## Why is this bad?
    Outputs are committed and shared with the notebook even when the code reads the secret from
    the environment: `print(os.environ)`, `print(config)` or a traceback of a failed request
    leaks it to everyone who can read the file, and it stays in the version history. Clear the
    output, and rotate the secret.
    """

    CODE = "RV404"
    NAME = "secret-in-notebook-output"
    CATEGORY = Category.NOTEBOOK
    SEVERITY = Severity.ERROR
    CONFIDENCE = Confidence.HIGH
    CWE = (532,)
    MESSAGE = "A saved cell output contains a secret; clear the output and rotate the secret"
    NOTEBOOK_ONLY = True

    # Example secrets are assembled with `+` so this file never contains a real-looking token.
    _OPENAI = "sk-" + "proj-" + "Z3kQ9vX2mL7pR4tY8wB1nC6d"
    _AWS = "AKIA" + "Q3ZT7HXW5NPL2RB6"
    _GITHUB = "ghp" + "_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    _PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAx3f9k2Lm8pQ7\n"

    @staticmethod
    def _stream(text: str) -> dict[str, object]:
        return {"output_type": "stream", "name": "stdout", "text": text}

    @staticmethod
    def _result(text: str) -> dict[str, object]:
        return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
                "data": {"text/plain": text}}

    VALID: ClassVar[list[Valid]] = [
        Valid(cells=("import os\nprint(os.environ.get('OPENAI_API_KEY') is not None)\n",),
              outputs=((_stream("True\n"),),)),
        Valid(cells=("config\n",),
              outputs=((_result("{'api_key': '<your-api-key>', 'max_tokens': 4096}"),),)),
        Valid(cells=("print(model)\n",),
              outputs=((_stream("Using sk-learn-compatible-estimator; password=changeme\n"),),)),
        Valid(cells=("x = 1\n",)),
        Valid(cells=("headers\n",), outputs=((_result("{'Authorization': 'Bearer <token>'}"),),)),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(cells=("import os\n", "import os\nprint(os.environ)\n"),
                outputs=((), (_stream(f"environ({{'OPENAI_API_KEY': '{_OPENAI}'}})\n"),)),
                cell=1, line=1),
        Invalid(cells=("boto3.client('s3')\n",),
                outputs=(({"output_type": "error", "ename": "ClientError", "evalue": "denied",
                           "traceback": [f"ClientError: key {_AWS} is not authorized"]},),),
                cell=0, line=1),
        Invalid(cells=("settings\n",),
                outputs=((_result("{'db_host': 'db.internal', 'password': 'hunter2024'}"),),),
                cell=0, line=1),
        Invalid(cells=("print(session.headers)\n",),
                outputs=((_stream(f"{{'Authorization': 'Bearer {_GITHUB}'}}\n"),),),
                cell=0, line=1),
        Invalid(cells=("x = 1\n", "print(open('id_rsa').read())\n"),
                outputs=((), (_stream(_PEM),)), cell=1, line=1),
    ]

    def finish(self) -> None:
        cell_map = self.context.unit.cell_map
        if cell_map is None:
            return
        for span in cell_map.spans:
            if not span.line_count:
                continue
            for output in span.outputs:
                kind = secret_in_text(output.text)
                if kind is not None:
                    self.report_line(
                        span.first_line,
                        f"The saved output of cell {span.index + 1} contains {_article(kind)} "
                        f"{kind}; clear the output and rotate the secret",
                    )
                    break
