"""`pip install` lines (notebook magics and shell escapes): which words are requirements."""

from __future__ import annotations

import re
import shlex

INSTALL = re.compile(
    r"^\s*(?:[%!]\s*)?(?:pip3?|(?:\S*python[\d.]*|\{sys\.executable\})\s+-m\s+pip|uv\s+pip)\s+install\b(?P<args>.*)$"
)
#: Options whose value is the next argument (not a package).
TAKES_VALUE = frozenset(
    {
        "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
        "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
        "--upgrade-strategy", "--trusted-host", "--python-version", "--platform",
        "--only-binary", "--no-binary", "--cache-dir", "--src", "--progress-bar", "--log",
        "--implementation", "--abi", "--report", "--config-settings", "-C",
    }
)


def requirement_words(args: str) -> list[str]:
    """The positional arguments of `pip install ARGS`: options and the values they take skipped."""
    try:
        words = shlex.split(args, comments=True)
    except ValueError:  # unbalanced quotes
        words = args.split()
    found: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            skip = word in TAKES_VALUE
            continue
        found.append(word)
    return found
