"""Prompts are data: `prompts/*.txt` templates filled with `string.Template.substitute`, so a
missing variable raises instead of sending a half-empty prompt.

Bump PROMPT_VERSION when the meaning of a prompt changes; the cache key contains it (and the
full request, so any edit to a template or the check pack already misses the cache).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from string import Template

PROMPT_VERSION = "1"
_DIR = Path(__file__).resolve().parent / "prompts"
NAMES = ("critique_system", "critique_user", "triage_system", "triage_user")


class PromptError(KeyError):
    """A template variable was not supplied."""


@cache
def template(name: str) -> Template:
    return Template((_DIR / f"{name}.txt").read_text(encoding="utf-8"))


def render(name: str, **values: object) -> str:
    """Fill template `name`; every `${var}` must be given (extra values are an error too)."""
    tmpl = template(name)
    wanted = set(tmpl.get_identifiers())
    extra = set(values) - wanted
    if extra:
        raise PromptError(f"prompt {name}: unexpected variables {sorted(extra)}")
    try:
        return tmpl.substitute({k: str(v) for k, v in values.items()})
    except KeyError as exc:
        raise PromptError(f"prompt {name}: missing variable {exc.args[0]!r}") from None


def nonce(text: str) -> str:
    """A delimiter token derived from the code itself: the code cannot contain its own hash, so it
    cannot close the code block early and smuggle instructions after it."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
