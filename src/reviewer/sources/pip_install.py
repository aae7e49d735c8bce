"""`pip install` lines (notebook magics and shell escapes): which words are requirements."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator

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


def install_commands(magics: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str, str]]:
    """(line, that line's text, arguments) of each `pip install` among a cell's masked magic lines, with `\\`
    continuation lines joined onto the line that starts the command."""
    magics = list(magics)
    lines = dict(magics)
    continued: set[int] = set()
    for number, text in magics:
        if number in continued:
            continue
        full, next_line = text, number + 1
        while full.rstrip().endswith("\\") and next_line in lines:
            full = full.rstrip()[:-1] + " " + lines[next_line]
            continued.add(next_line)
            next_line += 1
        match = INSTALL.match(full)
        if match is not None:
            yield number, text, match.group("args")
