"""Ask git what changed since a ref, and what a file looked like there (for `--diff REF`)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class GitError(RuntimeError):
    """git is missing, the directory is not a repository, or the ref does not exist."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {' '.join(args)} timed out") from exc
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def repo_root(cwd: Path) -> Path:
    return Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())


def merge_base(ref: str, cwd: Path, head: str = "HEAD") -> str:
    return _git(["merge-base", ref, head], cwd).strip()


def changed_files(ref: str, cwd: Path) -> list[Path]:
    """Absolute paths of files changed between `ref` and the working tree, plus untracked ones."""
    root = repo_root(cwd)
    _git(["rev-parse", "--verify", f"{ref}^{{commit}}"], cwd)  # a clear error for a bad ref
    names = _git(["diff", "--name-only", "--no-renames", "-z", ref, "--"], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], cwd).split("\0")
    return sorted({root / name for name in names if name})


def show(ref: str, path: Path, cwd: Path) -> str | None:
    """The text of `path` at `ref`, or None when it did not exist there."""
    root = repo_root(cwd)
    rel = os.path.relpath(path.resolve(), root).replace(os.sep, "/")
    try:
        return _git(["show", f"{ref}:{rel}"], cwd)
    except GitError:
        return None
