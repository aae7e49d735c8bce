"""RV133 weak-hash-for-security: MD5 or SHA-1 where collision or preimage resistance matters."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.bindings import string_value
from reviewer.engine.imports import dotted_name
from reviewer.model import Category, Confidence, Severity

_WEAK = frozenset({"md5", "sha1", "md4", "md2", "sha"})
#: Calls that hash with a named algorithm (`hashlib.md5(x)`, `Crypto.Hash.MD5.new(x)`).
_WEAK_CALLS = frozenset({
    "hashlib.md5", "hashlib.sha1", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA1.new", "Crypto.Hash.MD4.new",
    "Cryptodome.Hash.MD5.new", "Cryptodome.Hash.SHA1.new",
})
#: What is hashed includes a secret: the digest is a signature, a token or a stored password.
_SECRET_INPUT = re.compile(r"(?i)secret|passw|passwd|\bpwd|signing|api_?key|private_?key|credential|token|salt")
#: The name of the function or variable says the digest proves something.
_SECURITY_PURPOSE = re.compile(
    r"(?i)sign(?!al)|signature|verif|integrity|checksum|tamper|authent|\bauth_|csrf|hmac|\bmac\b|_mac\b"
    r"|token|password|passwd|secret"
)


class WeakHashForSecurity(Rule):
    """MD5 or SHA-1 used where collision or preimage resistance matters.

    ## What it does
    Flags `hashlib.md5()`, `hashlib.sha1()`, `hashlib.new("md5" | "sha1")` (and PyCryptodome's
    `MD5.new()`, `SHA1.new()`) when the digest guards something: what is hashed includes a
    secret (`secret`, `password`, `token`, `api_key`, `salt` in the argument), the function or
    variable names a security purpose (`sign_url()`, `verify_firmware()`, `checksum`,
    `csrf_token`, `signature`), or the digest is compared with an expected value
    (`if md5(blob).hexdigest() != checksum:`). Not flagged: `usedforsecurity=False`, ids, cache
    keys, content fingerprints and other uses where no one attacks the hash, test code.
    Password storage specifically is RV127.

    ## Why is this bad?
    MD5 and SHA-1 collisions are cheap to produce: a checksum that "verifies" a download or a
    firmware image accepts a crafted file with the same digest, and `md5(secret + message)` is
    forgeable by length extension. Use SHA-256 for integrity and `hmac.new(key, msg,
    hashlib.sha256)` for signatures and tokens.
    """

    CODE = "RV133"
    NAME = "weak-hash-for-security"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.MEDIUM
    CWE = (328, 327)
    MESSAGE = "MD5/SHA-1 guards a security decision here; use SHA-256, or HMAC-SHA-256 with a key"
    TRIGGERS = ("md5", "sha1", "MD5", "SHA1", "md4", "MD4")
    EQUIVALENT = ("B324", "S324", "B303", "S303")
    # bandit and ruff flag every md5/sha1; this rule reads what the digest is for.
    SUPERSEDES = EQUIVALENT
    NOT_IN_TESTS = True

    VALID: ClassVar[list[Valid]] = [
        Valid("import hashlib\n\ndef cache_key(url):\n    return hashlib.md5(url.encode()).hexdigest()\n"),
        Valid("import hashlib\n\ndef etag(body):\n    return hashlib.sha1(body, usedforsecurity=False).hexdigest()\n"),
        Valid("import hashlib\n\ndef verify(blob, checksum):\n    return hashlib.sha256(blob).hexdigest() == checksum\n"),
        Valid("from hashlib import md5\n\ndef chunk_id(text):\n    return md5(text.encode()).hexdigest()\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import hashlib\n\ndef sign_url(path, key):\n    return hashlib.md5((key + path).encode()).hexdigest()\n",
                line=4),
        Invalid("import hashlib\n\ndef download(blob, checksum):\n"
                "    if hashlib.new('md5', blob).hexdigest() != checksum:\n        raise ValueError('tampered')\n",
                line=4),
        Invalid("from hashlib import sha1\n\ntoken = sha1((user + SECRET).encode()).hexdigest()\n", line=3),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not self._weak(node) or any(
            arg.keyword is not None and arg.keyword.value == "usedforsecurity" for arg in node.args
        ):
            return
        if self._guards_something(node):
            self.report(node)

    def _weak(self, node: cst.Call) -> bool:
        name = self.context.qualified_name(node.func) or ""
        if name in _WEAK_CALLS:
            return True
        if name == "hashlib.new" and node.args:
            algorithm = string_value(node.args[0].value)
            return algorithm is not None and algorithm.lower().replace("-", "") in _WEAK
        return False

    def _guards_something(self, node: cst.Call) -> bool:
        if any(_SECRET_INPUT.search(self.context.code_for(arg.value)) for arg in node.args):
            return True
        for ancestor in reversed(self.context.stack[:-1]):
            if isinstance(ancestor, cst.Comparison) and any(
                isinstance(c.operator, (cst.Equal, cst.NotEqual)) for c in ancestor.comparisons
            ):
                return True  # the digest is checked against an expected value
            if isinstance(ancestor, cst.Call) and (dotted_name(ancestor.func) or "").endswith("compare_digest"):
                return True
            if isinstance(ancestor, (cst.Assign, cst.AnnAssign)):
                targets = ancestor.targets if isinstance(ancestor, cst.Assign) else [ancestor]
                names = " ".join(dotted_name(t.target) or "" for t in targets)
                if _SECURITY_PURPOSE.search(names):
                    return True
            if isinstance(ancestor, cst.FunctionDef):
                return bool(_SECURITY_PURPOSE.search(ancestor.name.value))
        return False
