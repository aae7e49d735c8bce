"""Redaction: what must never leave the machine is replaced by `<redacted:kind>` before a prompt
is built.

Replaced: known token formats (OpenAI/Anthropic, AWS, GitHub, Slack, Hugging Face, Google, JWT),
private key bodies, passwords in connection URLs, values bound to names that look like secrets
(`api_key = "..."`, `password="..."`, `{"token": "..."}`), every string on a line where a static
analyzer reported a hardcoded secret, and long high-entropy tokens. Line by line, so line numbers
and the rest of each line stay exactly as they were (the model's citations still point at real
lines). Notebook outputs never get here: a notebook's SourceUnit holds only its code cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from reviewer.credentials import is_placeholder, secret_kind

_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("api-key", re.compile(r"(?<![\w-])sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}")),
    ("aws-key", re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])")),
    ("github-token", re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})")),
    ("slack-token", re.compile(r"(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}")),
    ("hf-token", re.compile(r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}")),
    ("google-key", re.compile(r"(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
)
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@'\"]*:)([^\s/?#@'\"]+)(@)")
_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_KEY_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{16,}")
#: `name = "v"`, `name: str = "v"`, `name="v"`, `"name": "v"`, `d["name"] = "v"`, `name == "v"`.
_BINDING = re.compile(
    r"(?P<name>[A-Za-z_]\w*)[\"']?\]?\s*(?::\s*[A-Za-z_][\w\[\], .|]*?)?\s*(?:==|[:=])\s*"
    r"(?P<prefix>[rRbBuUfF]{0,2})(?P<q>[\"'])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)"
)
_STRING = re.compile(r"(?P<prefix>[rRbBuUfF]{0,2})(?P<q>[\"'])(?P<value>(?:\\.|(?!(?P=q)).)+)(?P=q)")
_WORDLIKE = re.compile(r"(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{20,}(?![A-Za-z0-9+/_=-])")
_SNAKE = re.compile(r"^_*[a-z][a-z0-9]*(?:_+[a-z0-9]+)+_*$|^[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+$")
MIN_ENTROPY = 3.5  #: bits per character; English words and identifiers stay below it
MIN_REUSED = 6  #: a replaced value this long is also replaced wherever else it appears


@dataclass
class Redaction:
    lines: list[str]  #: the redacted lines (same count as the input)
    secrets: set[str] = field(default_factory=set)  #: the original values that were replaced
    count: int = 0

    def scrub(self, text: str) -> str:
        """Redact free text (a static finding's message) and every value replaced in the code."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if len(secret) >= 4:
                text = text.replace(secret, "<redacted>")
        return redact_lines([text]).lines[0]

    def _reused(self) -> None:
        """A secret found once (`password = "x"`) is replaced where it is used again (`login("x")`)."""
        secrets = sorted((s for s in self.secrets if len(s) >= MIN_REUSED), key=len, reverse=True)
        for index, line in enumerate(self.lines):
            for secret in secrets:
                if secret in line:
                    line = line.replace(secret, "<redacted>")
                    self.count += 1
            self.lines[index] = line


def entropy(text: str) -> float:
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _high_entropy(token: str) -> bool:
    if _SNAKE.match(token):  # long_snake_case_identifiers_v2 and CONSTANT_NAMES
        return False
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    return has_digit and has_alpha and entropy(token) >= MIN_ENTROPY


def redact_lines(lines: Iterable[str], secret_lines: Iterable[int] = ()) -> Redaction:
    """Redact `lines`; on the 1-based `secret_lines` (a static analyzer found a hardcoded secret
    there) every string literal is replaced."""
    out = Redaction(list(lines))
    flagged = set(secret_lines)
    in_key = 0  # lines left in a private key block (0: not in one)
    for index, line in enumerate(out.lines):
        original = line
        if in_key or _KEY_BEGIN.search(line):
            start = _KEY_BEGIN.search(line)
            head = start.end() if start else 0
            line = line[:head] + _sub(_BASE64_RUN, line[head:], "private-key", out)
            in_key = 0 if _KEY_END.search(original) else (in_key - 1 if in_key else 200)
        for kind, pattern in _TOKENS:
            line = _sub(pattern, line, kind, out)
        line = _URL_PASSWORD.sub(lambda m: m.group(1) + _replace(m.group(2), "password", out) + m.group(3)
                                 if not is_placeholder(m.group(2)) and "${" not in m.group(2)
                                 else m.group(0), line)
        line = _BINDING.sub(lambda m: _binding(m, out), line)
        if index + 1 in flagged:
            line = _STRING.sub(lambda m: m.group("prefix") + m.group("q")
                               + _replace(m.group("value"), "secret", out) + m.group("q"), line)
        line = _WORDLIKE.sub(lambda m: _replace(m.group(0), "high-entropy", out)
                             if _high_entropy(m.group(0)) else m.group(0), line)
        out.lines[index] = line
    out._reused()
    return out


def _sub(pattern: re.Pattern[str], line: str, kind: str, out: Redaction) -> str:
    return pattern.sub(lambda m: _replace(m.group(0), kind, out), line)


def _replace(value: str, kind: str, out: Redaction) -> str:
    if value.startswith("<redacted"):
        return value
    if "<redacted" not in value:
        out.secrets.add(value)
    out.count += 1
    return f"<redacted:{kind}>"


def _binding(match: re.Match[str], out: Redaction) -> str:
    kind = secret_kind(match.group("name"))
    value = match.group("value")
    if kind is None or not value or value.startswith("<redacted") or is_placeholder(value):
        return match.group(0)
    if "f" in match.group("prefix").lower() and "{" in value:
        return match.group(0)  # an f-string builds the value at runtime
    start, end = match.span("value")
    whole = match.group(0)
    base = match.start()
    return whole[: start - base] + _replace(value, kind.replace(" ", "-").lower(), out) + whole[end - base :]
