"""The LLM check pack (`rules/llm/checks.toml`): what the model is asked, as data.

Installed wheels carry the pack as `reviewer/_packs/llm/checks.toml`; an editable install reads
the repository's `rules/llm/checks.toml`.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reviewer.model import Category, Severity

_PACKAGE = Path(__file__).resolve().parents[1]  # src/reviewer (or site-packages/reviewer)
_CANDIDATES = (_PACKAGE / "_packs" / "llm" / "checks.toml", _PACKAGE.parents[1] / "rules" / "llm" / "checks.toml")
_CODE_PREFIX = "AI"


class PackError(ValueError):
    """The pack file is missing or malformed (a packaging bug, not a user error)."""


@dataclass(frozen=True)
class Fixture:
    code: str  #: a small Python example
    flagged: bool  #: True: a correct answer reports the check on `line`
    line: int | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class Check:
    code: str  #: AI###
    name: str  #: kebab-case
    category: Category
    severity: Severity  #: cap: findings of this check are never more severe
    question: str  #: what the model is asked
    cwe: tuple[int, ...] = ()
    fixtures: tuple[Fixture, ...] = ()


@dataclass(frozen=True)
class Pack:
    version: int
    checks: tuple[Check, ...]
    digest: str  #: hash of the pack file: part of every cache key

    def get(self, code: str) -> Check | None:
        return next((c for c in self.checks if c.code == code), None)

    @property
    def codes(self) -> list[str]:
        return [c.code for c in self.checks]


def pack_path() -> Path:
    for candidate in _CANDIDATES:
        if candidate.is_file():
            return candidate
    raise PackError(f"LLM check pack not found (looked in {', '.join(map(str, _CANDIDATES))})")


@cache
def load_pack(path: Path | None = None) -> Pack:
    path = path or pack_path()
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"{path}: {exc}") from exc
    checks = tuple(_check(item, path) for item in data.get("check", []))
    codes = [c.code for c in checks]
    if not checks or len(set(codes)) != len(codes):
        raise PackError(f"{path}: expected at least one check and unique codes, got {codes}")
    return Pack(int(data.get("version", 1)), checks, hashlib.sha256(raw).hexdigest()[:16])


def _check(item: dict[str, Any], path: Path) -> Check:
    where = f"{path}: check {item.get('code', '?')}"
    allowed = {"code", "name", "category", "severity", "question", "cwe", "fixture"}
    unknown = set(item) - allowed
    missing = {"code", "name", "category", "severity", "question"} - set(item)
    if unknown or missing:
        raise PackError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    code = str(item["code"])
    if not (code.startswith(_CODE_PREFIX) and code[2:].isdigit() and len(code) == 5):
        raise PackError(f"{where}: codes look like AI123")
    try:
        category, severity = Category(item["category"]), Severity(item["severity"])
    except ValueError as exc:
        raise PackError(f"{where}: {exc}") from exc
    fixtures = tuple(
        Fixture(str(f["code"]), bool(f["flagged"]), f.get("line"), f.get("evidence"))
        for f in item.get("fixture", [])
    )
    question = " ".join(str(item["question"]).split())
    return Check(code, str(item["name"]), category, severity, question,
                 tuple(int(c) for c in item.get("cwe", [])), fixtures)
