"""Credential vocabulary as pure text functions: which names hold a secret (`api_key`,
`clientSecret`) and which values only stand in for one (`your-api-key-here`, `<token>`, `xxxx`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# --- secret-like names ---------------------------------------------------------------------------
#: Last word of a name -> the word used in messages. The values are words, not credentials
#: (bandit's B105 matches on the keys).
_SECRET_LAST = {
    "password": "password", "passwd": "password", "pwd": "password", "pass": "password",  # noqa: B105
    "passphrase": "password", "passcode": "password", "secret": "secret", "token": "token",  # noqa: B105
    "apikey": "API key", "authorization": "authorization header",
}
#: `<word>_key` names a credential only after these words (`sort_key`, `cache_key` do not).
_KEY_QUALIFIERS = frozenset(
    {
        "api", "access", "secret", "private", "signing", "encryption", "master", "auth", "client",
        "app", "license", "subscription", "openai", "anthropic", "stripe", "aws", "service",
        "account", "admin", "hmac", "jwt",
    }
)
#: Tokenizer special tokens and pagination cursors: `pad_token = "<pad>"` is not a credential.
_NOT_SECRET_TOKENS = frozenset(
    {"eos", "bos", "pad", "unk", "sep", "cls", "mask", "start", "end", "stop", "special", "page",
     "next", "continuation"}
)
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def name_words(text: str) -> tuple[str, ...]:
    """Lowercased words of a name: `clientSecret` -> `("client", "secret")`, `OPENAI_API_KEY` ->
    `("openai", "api", "key")`."""
    return tuple(p for p in _NON_ALNUM.split(_CAMEL.sub(r"\1_\2", text).lower()) if p)


@lru_cache(maxsize=4096)  # the same few names are bound over and over
def secret_kind(name: str) -> str | None:
    """What `name` holds, in words for a message ("password", "secret", "token", "API key",
    "key", "authorization header"), or None when it does not name a credential."""
    parts = name_words(name)
    if not parts:
        return None
    last = parts[-1]
    before = parts[-2] if len(parts) > 1 else ""
    if last == "token" and before in _NOT_SECRET_TOKENS:
        return None
    if last in _SECRET_LAST:
        return _SECRET_LAST[last]
    if last == "key" and before in _KEY_QUALIFIERS:
        return "API key" if before == "api" else "key"
    return None


def is_secret_name(name: str) -> bool:
    """`api_key`, `OPENAI_API_KEY`, `clientSecret`, `db_password`, `Authorization`..."""
    return secret_kind(name) is not None


# --- placeholder values --------------------------------------------------------------------------
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


def is_placeholder(value: str) -> bool:
    """Values that stand in for a credential: `your-api-key-here`, `<token>`, `sk-...`, `xxxx`.

    The empty string is not one: it means "not configured", which fails loudly enough.
    """
    text = _AUTH_SCHEME.sub("", value.strip())
    low = text.lower()
    if not low:
        return False
    if low in _EXACT or "..." in low or "\u2026" in low:  # "sk-...": an elided example key
        return True
    angle = _ANGLE.fullmatch(low)
    if angle is not None:  # `<your-token>`, `<API_KEY>`; tokenizer tokens like `<pad>` are not
        inner = angle.group(1)
        return "your" in inner or _CREDENTIAL_WORD.search(inner) is not None
    if _MASKED.fullmatch(low):
        return True
    words = _NON_ALNUM.sub("_", low).strip("_")
    return _INSTRUCTION.search(words) is not None


# --- known token formats (RV101 in source code, RV404 in notebook outputs) -----------------------
def mixed(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def mixed_case(text: str) -> bool:
    return any(c.isupper() for c in text) and any(c.islower() for c in text)


# Known token formats, each with a test on the part after the 4-character prefix: requiring a mix
# keeps prose such as "sk-learn-compatible-estimators" and "xoxb-your-token" from matching.
_TOKENS: tuple[tuple[str, re.Pattern[str], Callable[[str], bool]], ...] = (
    ("Anthropic API key", re.compile(r"(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}"), mixed),
    (
        "OpenAI API key",
        re.compile(r"(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
        mixed,
    ),
    ("AWS access key id", re.compile(r"(?<![A-Z0-9])AKIA[0-9A-Z]{16}(?![0-9A-Z])"), mixed),
    (
        "GitHub token",
        re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        mixed,
    ),
    ("Slack token", re.compile(r"(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}"), mixed),
    # Hugging Face tokens are letters only: ask for both cases instead of digits.
    (
        "Hugging Face token",
        re.compile(r"(?<![A-Za-z0-9_])hf_[A-Za-z]{30,}(?![A-Za-z0-9])"),
        mixed_case,
    ),
    (
        "Google API key",
        re.compile(r"(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
        mixed,
    ),
)
# A PEM header alone is what key-parsing code compares against; a real key has its body after it.
_PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
    r"(?:\s|\\[nr])*(?:[A-Za-z0-9+/=]{16,}|Proc-Type:)"
)
_URL_CREDENTIALS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^\s:/?#@'\"]*):([^\s/?#@'\"]+)@[\w\[]")
# One cheap search per string literal before any of the specific patterns runs.
_QUICK = re.compile(r"sk-|AKIA|gh[pousr]_|github_pat_|xox[baprs]-|hf_|AIza|PRIVATE KEY|://")

# --- values that are not real secrets ----------------------------------------------------------
# RV302 reports placeholders (`credentials.is_placeholder`); RV101 must stay quiet on those and also
# on other values that are plainly not a real secret, so the two rules never report the same value.
_STAND_IN_WORDS = frozenset(
    {"password", "passwd", "pass", "pwd", "token", "none", "null", "hidden", "user", "admin"}
)
_STAND_IN_MARKERS = (
    "your", "changeme", "change-me", "change_me", "changeit", "placeholder", "example", "redacted",
    "replace", "insert", "xxxx", "****", "todo", "fixme", "dummy", "fake",
)
_STAND_IN_PREFIXES = ("test", "mock", "sample")
# Templates filled in at runtime: ${VAR}, {password}, {{ secret }}, %(pw)s, %s, <your-key>, $VAR.
_TEMPLATE = re.compile(r"\$\{[^}]*\}|\{[^{}]*\}|%\(\w+\)s|%s|<[^<>]+>|^\$[A-Za-z_]\w*$")


def is_stand_in(value: str) -> bool:
    """True for values that stand in for a secret rather than being one (`<your-key>`, `xxxx`).

    Wider than `credentials.is_placeholder` (what RV302 reports): also empty values, values of
    one repeated character, bare credential words (`password`, `admin`), templates (`${TOKEN}`, `{pw}`, `<pad>`),
    `test`/`mock`/`sample` values and any value containing a marker such as `example` or `fake`.
    """
    if is_placeholder(value):
        return True
    low = value.strip().lower()
    if not low or low in _STAND_IN_WORDS or len(set(low)) == 1:
        return True
    if _TEMPLATE.search(value) or low.startswith(_STAND_IN_PREFIXES):
        return True
    return any(marker in low for marker in _STAND_IN_MARKERS)


def find_token(text: str) -> tuple[str, str | None] | None:
    """(kind of secret, preview or None) for the first real-looking secret in `text`."""
    if not _QUICK.search(text):
        return None
    for kind, pattern, looks_real in _TOKENS:
        for match in pattern.finditer(text):
            token = match.group()
            if looks_real(token[4:]) and not is_stand_in(token):
                # The first 4 characters are the public prefix (sk-p, AKIA, ghp_): safe to show.
                return kind, token[:4] + "..."
    if "PRIVATE KEY" in text and _PRIVATE_KEY.search(text):
        return "private key", None
    if "://" in text and "@" in text:
        for match in _URL_CREDENTIALS.finditer(text):
            password = match.group(2)
            if len(password) >= 4 and not is_stand_in(password):
                return "password in a connection URL", None
    return None
