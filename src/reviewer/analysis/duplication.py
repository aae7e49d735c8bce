"""Copy-paste detection: runs of statements that are identical once names and literals are
normalised, within one file (rule RV210) and across the scanned files (the pipeline's pass).

Text-based on purpose, so it is fast and needs no parse: each file becomes a list of logical
lines (continuation lines joined) with comments removed, strings replaced by `$`, numbers by `0`
and identifiers by `v` (keywords kept), plus each line's indentation relative to the previous
one. Windows of `min_statements` consecutive logical lines are hashed; a window seen before starts
a duplicate, extended as far as the lines keep matching and stay inside the block they started
in. A duplicate is kept when it is long enough (statements and tokens), not merely repetitive
(enough distinct lines), and its copies share at least half of their actual identifiers, so two
unrelated functions that happen to have the same shape are not reported.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Unrolled loops (`[^"\\]*(?:\\.[^"\\]*)*`) and a leading quote let the regex engine skip ahead
# quickly; string prefixes (`rb"..."`) stay behind as a name, alike in every copy.
_TRIPLE = re.compile(
    r'''"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|\'\'\'[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*\'\'\'''',
    re.DOTALL,
)
_SINGLE = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"' r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'")
_COMMENT = re.compile(r"#[^\n]*")
_KEYWORDS = sorted({*keyword.kwlist, "match", "case"})


def _alternation(words: list[str]) -> str:
    """`a(?:nd|s|ssert)|b(?:reak)...`: grouped by first letter, so a name is rejected quickly."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


_NAME = re.compile(rf"\b(?!(?:{_alternation(_KEYWORDS)})\b)[^\W\d]\w*")
_NUMBER = re.compile(r"\d[\w.]*")  # after names are gone, digits only start numbers
#: Tokens of a normalised line, whose spaces are gone: `forvinv(0):` is for, v, in, v, (, 0, ), :.
_TOKEN = re.compile("|".join(sorted(_KEYWORDS, key=len, reverse=True)) + r"|v|0|\$|\w+|[^\w\s]")
#: Identifiers of the original code of a copy (words in its strings and comments count too; both
#: copies are read alike).
_IDENTIFIER = re.compile(r"[^\W\d]\w*")

_CONTINUES = frozenset("([{,\\")
#: After normalisation every name is `v`, so a line starting with these is an import statement.
_IMPORTS = ("import", "from")
#: Logical lines (decorator, header, docstring and body) of a function short enough that a run of
#: them is a table of entry points differing in what they name, not logic pasted and edited.
_SHORT_FUNCTION = 7
#: A line that never matches anything: separates notebook cells.
BARRIER = "\0"


@dataclass(frozen=True)
class Settings:
    min_statements: int = 8
    min_tokens: int = 50
    min_shared_names: float = 0.5  #: Jaccard similarity of the copies' identifier sets


@dataclass
class Lines:
    """One file as normalised logical lines."""

    keys: list[str]  #: relative indentation + normalised text; BARRIER between cells
    texts: list[str]  #: normalised text
    indents: list[int]
    first: list[int]  #: first physical line (1-based) of each logical line
    last: list[int]  #: last physical line
    source: list[str]  #: the original physical lines


@dataclass(frozen=True)
class Copy:
    """Logical lines [start, start + length) of file `index` repeat those of file `other` at
    `other_start`."""

    index: int
    start: int
    other: int
    other_start: int
    length: int


def logical_lines(text: str, barriers: Iterable[int] = ()) -> Lines:
    """Normalise `text`; a barrier is placed before each physical line number in `barriers`
    (notebook cell starts), so no duplicate spans two cells."""
    source = text.split("\n")
    text = _TRIPLE.sub(lambda m: "$" + "\n" * m.group().count("\n"), text)
    text = _SINGLE.sub("$", text)
    text = _COMMENT.sub("", text)
    text = _NAME.sub("v", text)
    text = _NUMBER.sub("0", text)
    starts = set(barriers)
    out = Lines([], [], [], [], [], source)
    keys, texts, indents, firsts, lasts = out.keys, out.texts, out.indents, out.first, out.last
    parts: list[str] = []
    depth = first = indent = previous = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if starts and number in starts and not parts:
            keys.append(BARRIER), texts.append(BARRIER), indents.append(0)
            firsts.append(number), lasts.append(number)
            previous = 0
        body = line.strip()
        if not body:
            continue
        if not parts:
            # A statement continues on the next line only after an opening bracket, a comma or
            # a backslash at the end (rare styles such as `if (a and` + newline are read as two
            # lines, identically in every copy).
            indent = len(line) - len(line.lstrip())
            if body[-1] not in _CONTINUES:
                body = body.replace(" ", "")
                if body.startswith(_IMPORTS):
                    body = BARRIER  # shared import lists are not pasted code: runs break there
                keys.append(BARRIER if body is BARRIER else f"{indent - previous}|{body}")
                texts.append(body), indents.append(indent), firsts.append(number), lasts.append(number)
                previous = indent
                continue
            first, depth = number, 0
        parts.append(body)
        depth += body.count("(") + body.count("[") + body.count("{")
        depth -= body.count(")") + body.count("]") + body.count("}")
        if (depth > 0 or body[-1] == "\\") and number - first < 50:
            continue
        joined = "".join(parts).replace(" ", "")
        if joined.startswith(_IMPORTS):
            joined = BARRIER
        keys.append(BARRIER if joined is BARRIER else f"{indent - previous}|{joined}")
        texts.append(joined)
        indents.append(indent), firsts.append(first), lasts.append(number)
        previous = indent
        parts = []
    return out


def _hashes(lines: Lines, width: int) -> list[int | None]:
    """Hash of each window of `width` logical lines (None when it crosses a barrier). The first
    line's relative indentation is left out: a block matches wherever it is nested."""
    keys, texts = lines.keys, lines.texts
    out: list[int | None] = []
    for i in range(len(keys) - width + 1):
        if texts[i] == BARRIER:
            out.append(None)
            continue
        window = keys[i + 1 : i + width]
        out.append(None if BARRIER in window else hash((texts[i], *window)))
    return out


def _extend(a: Lines, i: int, b: Lines, j: int, limit: int | None) -> int:
    """How many logical lines match from a[i] and b[j] on, staying inside the block each started
    in; `limit` keeps a copy in the same file from overlapping the first."""
    if a.texts[i] != b.texts[j]:
        return 0
    base_a, base_b = a.indents[i], b.indents[j]
    k = 1
    while i + k < len(a.keys) and j + k < len(b.keys):
        if limit is not None and j + k >= limit:
            break
        if a.keys[i + k] != b.keys[j + k]:
            break
        if a.keys[i + k] == BARRIER or a.indents[i + k] < base_a or b.indents[j + k] < base_b:
            break
        k += 1
    return k


def find_copies(files: Sequence[Lines], settings: Settings) -> list[Copy]:
    """Duplicates in `files`, each reported once, at its later copy, naming the first copy. A run
    whose start also appears earlier in its own file is a copy within that file."""
    scanner = _Scanner(files, settings)
    for index in range(len(files)):
        scanner.scan(index)
    return scanner.copies


class _Scanner:
    def __init__(self, files: Sequence[Lines], settings: Settings) -> None:
        self.files = files
        self.settings = settings
        self.width = max(2, settings.min_statements)
        self.seen: dict[int, tuple[int, int]] = {}  #: window hash -> first (file, line) seen
        self.copies: list[Copy] = []

    def scan(self, index: int) -> None:
        hashes = _hashes(self.files[index], self.width)
        local: dict[int, int] = {}  #: window hash -> first line in this file
        i = 0
        while i < len(hashes):
            h = hashes[i]
            found = self._match(index, i, h, local) if h is not None else None
            if found is None:
                if h is not None:
                    local.setdefault(h, i)
                i += 1
                continue
            copy, length = found
            for k in range(i, min(i + length, len(hashes))):
                if hashes[k] is not None:
                    local.setdefault(hashes[k], k)  # later copies in this file are local ones
            if _worth_reporting(copy, self.files, self.settings):
                self.copies.append(copy)
            i += length
        for k, h in enumerate(hashes):
            if h is not None:
                self.seen.setdefault(h, (index, k))

    def _match(self, index: int, i: int, h: int, local: dict[int, int]) -> tuple[Copy, int] | None:
        """The copy starting at logical line i and its length, if any."""
        lines, width = self.files[index], self.width
        j = local.get(h)
        if j is not None and j + width <= i:
            length = _extend(lines, i, lines, j, limit=i)
            if length >= width:
                return Copy(index, i, index, j, length), length
        earlier = self.seen.get(h)
        if earlier is not None:
            other, j = earlier
            length = _extend(lines, i, self.files[other], j, limit=None)
            if length >= width:
                return Copy(index, i, other, j, length), length
        return None


def _worth_reporting(copy: Copy, files: Sequence[Lines], settings: Settings) -> bool:
    a, b = files[copy.index], files[copy.other]
    texts = a.texts[copy.start : copy.start + copy.length]
    if len(set(texts)) < max(3, copy.length // 3):
        return False  # repetitive code (a run of similar assignments), not a pasted block
    if sum(len(_TOKEN.findall(t)) for t in texts) < settings.min_tokens:
        return False
    headers = sum(1 for t in texts if t.startswith(("def", "asyncdef", "@", "class")))
    if 3 * headers >= copy.length:
        return False  # `@overload` stubs, runs of one-line methods: a shape an API repeats
    functions = sum(1 for t in texts if t.startswith(("def", "asyncdef")))
    if functions >= 2 and copy.length <= _SHORT_FUNCTION * functions:
        return False  # a table of short entry points (`@register_model def vit_small(): ...`)
    return shared_names(_raw(a, copy.start, copy.length), _raw(b, copy.other_start, copy.length)) \
        >= settings.min_shared_names


def shared_names(raw_a: str, raw_b: str) -> float:
    """Jaccard similarity of the identifier sets of two pieces of source."""
    names_a, names_b = set(_IDENTIFIER.findall(raw_a)), set(_IDENTIFIER.findall(raw_b))
    union = names_a | names_b
    return len(names_a & names_b) / len(union) if union else 1.0


def span(lines: Lines, start: int, length: int) -> tuple[int, int]:
    """First and last physical line of logical lines [start, start + length)."""
    return lines.first[start], lines.last[start + length - 1]


def _raw(lines: Lines, start: int, length: int) -> str:
    first, last = span(lines, start, length)
    return "\n".join(lines.source[first - 1 : last])
