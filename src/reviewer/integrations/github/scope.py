"""What a pull request introduces: review its changed files at base and at head, keep the head
findings whose fingerprint the base did not have (the same comparison as `scan --diff`).

Both versions are read from git objects (`git show SHA:path`), never from the working tree: in
Actions the checkout is the merge commit, and comments must be anchored to the PR's head commit.
The `[tool.reviewer]` settings come from the base commit, so a pull request cannot switch off
its own review.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reviewer.config import LLM_ENV, Config, ConfigError, apply_table, validate
from reviewer.integrations.github.diffmap import ChangedFile
from reviewer.llm import LLMRun
from reviewer.model import Report, Source, ToolError
from reviewer.pipeline import apply_baseline, llm_stage, review_units
from reviewer.sources import LoadError, SourceUnit, load_bytes
from reviewer.sources.discovery import matches_exclude
from reviewer.sources.git import GitError

REVIEWED_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Scope:
    report: Report  #: the findings the PR introduces (errors: head files that could not be reviewed)
    units: Mapping[str, SourceUnit]  #: head versions by path (for suggestion lines)


def git_bytes(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                              timeout=300)
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {' '.join(args)} timed out") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip() or "failed"
        raise GitError(f"git {' '.join(args)}: {message}")
    return done.stdout


def show(ref: str, path: str, cwd: Path) -> bytes | None:
    """The bytes of `path` at `ref`, or None when it does not exist there."""
    try:
        return git_bytes(["show", f"{ref}:{path}"], cwd)
    except GitError:
        return None


def resolve(ref: str, cwd: Path) -> str | None:
    """The commit sha `ref` names, or None when this clone does not have it."""
    try:
        return git_bytes(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).decode().strip()
    except GitError:
        return None


def ensure_commit(sha: str, cwd: Path, refspecs: Iterable[str] = ()) -> str:
    """The full sha of `sha`, fetching it (or `refspecs`) from origin when the clone lacks it."""
    found = resolve(sha, cwd)
    for refspec in (sha, *refspecs):
        if found is not None:
            return found
        try:
            git_bytes(["fetch", "--no-tags", "--quiet", "origin", refspec], cwd)
        except GitError:
            continue
        found = resolve(sha, cwd)
    if found is not None:
        return found
    raise GitError(f"commit {sha} is not in this clone and could not be fetched "
                   "(check out with `fetch-depth: 0`)")


def merge_base(base: str, head: str, cwd: Path) -> str:
    try:
        return git_bytes(["merge-base", base, head], cwd).decode().strip()
    except GitError as exc:
        raise GitError(f"no merge base of {base[:12]} and {head[:12]} (a shallow clone? "
                       f"check out with `fetch-depth: 0`): {exc}") from exc


def base_config(base: str, root: Path, overrides: Mapping[str, Any]) -> Config:
    """Defaults < `[tool.reviewer]` in pyproject.toml at the base commit < REVIEWER_LLM_*
    environment variables < `overrides`."""
    config = Config(root=str(root))
    data = show(base, "pyproject.toml", root)
    if data is not None:
        where = f"pyproject.toml at {base[:12]}"
        try:
            table = tomllib.loads(data.decode("utf-8")).get("tool", {}).get("reviewer", {})
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{where}: cannot read TOML: {exc}") from exc
        config = apply_table(config, table, where=f"{where} [tool.reviewer]")
    env = {name: os.environ[var] for var, name in LLM_ENV.items() if os.environ.get(var)}
    if env:
        config = replace(config, llm=replace(config.llm, **env))
    changes = {k: v for k, v in overrides.items() if v is not None}
    if changes:
        config = replace(config, **changes)
        validate(config, where="command line")
    return config


def reviewable(files: Iterable[ChangedFile], config: Config,
               only: Iterable[str] = ()) -> list[ChangedFile]:
    """Changed Python files and notebooks that still exist, minus `exclude`, within `only`."""
    only = tuple(p for p in only if p)
    out = []
    for changed in files:
        if changed.status == "removed" or not changed.path.endswith(REVIEWED_SUFFIXES):
            continue
        if config.exclude and matches_exclude(changed.path, config.exclude):
            continue
        if only and not matches_exclude(changed.path, only):
            continue
        out.append(changed)
    return sorted(out, key=lambda f: f.path)


def introduced(files: list[ChangedFile], base: str, head: str, config: Config, cwd: Path,
               *, critique: bool = True) -> Scope:
    """Review `files` at `head` and at `base` (the merge base); keep what `head` added.

    With `critique`, the LLM stage (when a model is configured) runs on the head version only;
    its findings are kept on the lines of the diff hunks (the base was not critiqued, so
    elsewhere nothing tells new from old).
    """
    errors: list[ToolError] = []
    head_units: list[SourceUnit] = []
    base_units: list[SourceUnit] = []
    for changed in files:
        data = show(head, changed.path, cwd)
        if data is None:
            errors.append(ToolError("git", f"not found in commit {head[:12]}", changed.path))
            continue
        try:
            head_units.append(load_bytes(data, changed.path, max_size=config.max_file_size))
        except LoadError as exc:
            errors.append(ToolError("sources", exc.message, exc.path, exc.line))
            continue
        old = None if changed.status == "added" else show(base, changed.base_path, cwd)
        if old is None:
            continue  # a new file: everything in it is introduced
        try:
            # Under the head path, so fingerprints of a renamed file still match.
            base_units.append(load_bytes(old, changed.path, max_size=config.max_file_size))
        except LoadError:
            continue  # the old version was unreadable: every finding now counts as new
    report = review_units(head_units, config, errors=errors, files=[f.path for f in files])
    if critique:
        report = llm_stage(report, head_units, config, LLMRun())
    before = {f.fingerprint for f in review_units(base_units, config).findings}
    by_path = {f.path: f for f in files}
    kept = [f for f in report.findings if f.fingerprint not in before and (
        f.source is not Source.LLM or f.location.cell is not None
        or by_path[f.location.path].accepts(f.location.line))]
    report = replace(report, findings=tuple(kept), out_of_scope=len(report.findings) - len(kept))
    report = apply_baseline(report, config)
    return Scope(report, {unit.path: unit for unit in head_units})
