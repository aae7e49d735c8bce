"""Which (path, line) pairs GitHub accepts for review comments: RIGHT-side lines inside the hunks.

GitHub's pull request diff is `merge-base...head` with three lines of context; a review comment
may sit on any added or context line of a hunk, and is refused (422) anywhere else. The map comes
from the PR files API (`patch`) when we talk to GitHub, or from `git diff` for a local dry run.
"""

from __future__ import annotations

import codecs
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.sources.git import GitError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class ChangedFile:
    path: str  #: path at head (repository-relative, posix)
    status: str  #: added | modified | removed | renamed | copied | changed
    previous_path: str | None = None  #: path at base for renames and copies
    lines: frozenset[int] | None = None  #: commentable head lines; None when GitHub gave no patch

    @property
    def base_path(self) -> str:
        return self.previous_path or self.path

    def accepts(self, line: int) -> bool:
        return self.lines is not None and line in self.lines


def commentable_lines(patch: str) -> frozenset[int]:
    """Head-side lines (added or context) inside the hunks of one file's unified diff."""
    lines: set[int] = set()
    right = 0
    in_hunk = False
    for text in patch.split("\n"):
        match = _HUNK.match(text)
        if match:
            right = int(match.group(1))
            in_hunk = True
            continue
        if not in_hunk or not text:
            continue
        marker = text[0]
        if marker in " +":
            lines.add(right)
            right += 1
        elif marker not in "-\\":  # anything else ends the hunk (next file header)
            in_hunk = False
    return frozenset(lines)


def from_api_files(files: Iterable[Mapping[str, Any]]) -> dict[str, ChangedFile]:
    """From `GET /repos/O/R/pulls/N/files` items."""
    out: dict[str, ChangedFile] = {}
    for item in files:
        path = str(item["filename"])
        patch = item.get("patch")
        out[path] = ChangedFile(
            path=path,
            status=str(item.get("status", "modified")),
            previous_path=item.get("previous_filename"),
            lines=commentable_lines(patch) if isinstance(patch, str) else None,
        )
    return out


def from_git(base: str, head: str, cwd: Path) -> dict[str, ChangedFile]:
    """From `git diff base head` (base being the merge base), as GitHub would show it."""
    args = [
        "git", "-c", "core.quotepath=false", "diff", "--no-color", "--no-ext-diff",
        "--no-textconv", "--no-relative", "-M", "-U3", "--src-prefix=a/", "--dst-prefix=b/",
        base, head, "--",
    ]
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git diff: {exc}") from exc
    if done.returncode != 0:
        raise GitError(f"git diff {base} {head}: {done.stderr.decode(errors='replace').strip()}")
    return parse_diff(done.stdout.decode("utf-8", errors="replace"))


def parse_diff(text: str) -> dict[str, ChangedFile]:
    """Split a multi-file `git diff` into ChangedFiles."""
    out: dict[str, ChangedFile] = {}
    blocks = re.split(r"^diff --git ", text, flags=re.MULTILINE)
    for block in blocks[1:]:
        changed = _parse_block(block)
        if changed is not None:
            out[changed.path] = changed
    return out


def _parse_block(block: str) -> ChangedFile | None:
    header, _, body = block.partition("\n")
    old = new = None
    status = "modified"
    previous = None
    hunks_at = body.find("\n@@ ")
    meta = body if hunks_at < 0 else body[:hunks_at]
    for line in meta.split("\n"):
        if line.startswith("--- "):
            old = _strip_prefix(_unquote(line[4:]), "a/")
        elif line.startswith("+++ "):
            new = _strip_prefix(_unquote(line[4:]), "b/")
        elif line.startswith("rename from "):
            previous, status = _unquote(line[12:]), "renamed"
        elif line.startswith("rename to "):
            new = _unquote(line[10:])
        elif line.startswith("copy from "):
            previous, status = _unquote(line[10:]), "copied"
        elif line.startswith("copy to "):
            new = _unquote(line[8:])
        elif line.startswith("new file mode"):
            status = "added"
        elif line.startswith("deleted file mode"):
            status = "removed"
    if new is None or new == "/dev/null":
        if status == "removed" and old not in (None, "/dev/null"):
            return ChangedFile(path=str(old), status="removed")
        new = _header_path(header)
        if new is None:
            return None
    patch = body[hunks_at + 1:] if hunks_at >= 0 else ""
    return ChangedFile(path=new, status=status, previous_path=previous,
                       lines=commentable_lines(patch))


def _header_path(header: str) -> str | None:
    """`a/p b/p` for a change without ---/+++ lines (mode change, pure rename seen above)."""
    if header.startswith("a/") and len(header) % 2 == 1:
        half = (len(header) - 1) // 2
        left, right = header[:half], header[half + 1:]
        if left[2:] == right[2:] and right.startswith("b/"):
            return right[2:]
    return None


def _strip_prefix(path: str, prefix: str) -> str:
    return path.removeprefix(prefix)


def _unquote(path: str) -> str:
    """git C-quotes paths with control characters, quotes or backslashes."""
    path = path.rstrip("\t")  # git appends a tab after names with spaces in ---/+++ lines
    if len(path) >= 2 and path[0] == '"' and path[-1] == '"':
        raw = codecs.escape_decode(path[1:-1].encode("utf-8"))[0]
        return bytes(raw).decode("utf-8", errors="replace")
    return path
