"""Expand command-line paths into reviewable files, skipping VCS, virtualenvs and build output."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
        "build", "dist", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache",
        ".reviewer_cache", ".ipynb_checkpoints", "site-packages", "__pypackages__",
    }
)


def is_skipped_dir(path: Path) -> bool:
    name = path.name
    return (
        name in SKIP_DIRS
        or name.endswith(".egg-info")
        or (path / "pyvenv.cfg").is_file()  # any virtualenv, whatever its name
    )


def matches_exclude(rel: str, patterns: Iterable[str]) -> bool:
    """A glob matches the relative path, or any of its leading directories."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if any(fnmatch.fnmatch(p, pattern) for p in prefixes):
            return True
        if "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in parts):
            return True
    return False


def display_path(path: Path) -> str:
    """Relative to the cwd when below it, else as given; always posix separators."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # other drive on Windows
        rel = str(path)
    return Path(rel if not rel.startswith("..") else path).as_posix()


def is_dependency_file(path: Path) -> bool:
    """A file that declares dependencies rather than holding code (`requirements-dev.txt`,
    `pyproject.toml`): never loaded as a unit; whole-project rules read it."""
    name = path.name
    return name == "pyproject.toml" or (name.startswith("requirements") and name.endswith(".txt"))


def project_path(path: str, root: str) -> str:
    """The path relative to the project root (cwd-independent, for fingerprints and globs)."""
    if path.startswith("<"):
        return path
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def discover(paths: Iterable[str], root: str, exclude: Iterable[str]) -> Iterator[tuple[Path, str]]:
    """(path, display) for each file to review, in a stable order; missing paths come through
    as-is so loading reports them."""
    exclude = tuple(exclude)
    root_path = Path(root).resolve()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in _walk(path, root_path, exclude):
                resolved = found.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    yield found, display_path(found)
        else:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path, display_path(path) if path.exists() else given


def _walk(top: Path, root: Path, exclude: tuple[str, ...]) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(top):
        current = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames
            if not is_skipped_dir(current / d) and not _excluded(current / d, root, exclude)
        )
        for name in sorted(filenames):
            if name.endswith(SUFFIXES):
                file = current / name
                if not _excluded(file, root, exclude):
                    yield file


def _excluded(path: Path, root: Path, exclude: tuple[str, ...]) -> bool:
    if not exclude:
        return False
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return matches_exclude(rel, exclude)
