"""Settings: defaults < `[tool.reviewer]` in the nearest pyproject.toml < command-line flags.

Unknown keys and bad values raise ConfigError naming the file, the key and what is valid.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from reviewer.model import Severity

FAIL_ON_CHOICES = ("error", "warning", "note", "never")


class ConfigError(ValueError):
    """A configuration problem the user must fix; the message says where and how."""


@dataclass(frozen=True)
class ToolSettings:
    enabled: bool = True  #: run this external analyzer
    select: tuple[str, ...] = ()  #: tool rule codes to enable (empty: our defaults)
    ignore: tuple[str, ...] = ()  #: tool rule codes to disable
    args: tuple[str, ...] = ()  #: extra command-line arguments passed through


#: Ruff checks run by default, chosen by measured precision on real projects
#: (benchmarks/precision.py): syntax errors, pyflakes, pylint's error checks, the bandit port
#: (our own rules supersede most of it), and only the flake8-bugbear checks that find bugs
#: rather than style (no B904 raise-from, B905 zip strict, B008 call defaults, B028 stacklevel...).
DEFAULT_RUFF_SELECT = (
    "E9", "F", "PLE", "S",
    "B002", "B003", "B005", "B006", "B012", "B013", "B014", "B015", "B016", "B018", "B020", "B021",
    "B022", "B023", "B025", "B029", "B030", "B031", "B032", "B033", "B034", "B035", "B039",
)


@dataclass(frozen=True)
class LLMSettings:
    """`[tool.reviewer.llm]`: LLM critique on any OpenAI-compatible endpoint (off without a model)."""

    model: str = ""  #: model (Azure: deployment) name; empty = LLM critique off
    base_url: str = ""  #: OpenAI-compatible endpoint; empty = the openai package's default
    api_key_env: str = "OPENAI_API_KEY"  #: environment variable holding the key
    timeout: float = 60.0  #: seconds per request
    max_retries: int = 3  #: retries on 429 and 5xx, with backoff
    concurrency: int = 4  #: requests in flight at once
    budget_tokens: int = 0  #: tokens (in + out) per run; 0 = no limit
    max_findings_per_file: int = 10
    exclude: tuple[str, ...] = ()  #: glob patterns of paths never sent to the model
    price_per_1k_input: float = 0.0  #: for the cost estimate in the report
    price_per_1k_output: float = 0.0
    triage: bool = False  #: ask the model to judge static security findings


@dataclass(frozen=True)
class Thresholds:
    """`[tool.reviewer.thresholds]`: limits of the maintainability rules (RV204-RV207, RV210)."""

    max_parameters: int = 7  #: RV204: parameters per function (not self/cls, *args, **kwargs)
    max_nesting: int = 4  #: RV205: nested blocks inside a function
    max_function_lines: int = 80  #: RV206: non-blank, non-comment lines of a function body
    max_complexity: int = 15  #: RV207: cognitive complexity per function
    min_duplicate_statements: int = 8  #: RV210: statements (logical lines) a copy must span
    min_duplicate_tokens: int = 50  #: RV210: tokens a copy must hold


#: Environment variables that override `[tool.reviewer.llm]` (command-line flags win over both).
LLM_ENV = {"REVIEWER_LLM_MODEL": "model", "REVIEWER_LLM_BASE_URL": "base_url", "REVIEWER_LLM_API_KEY_ENV": "api_key_env"}


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  #: code prefixes to report (empty: all)
    ignore: tuple[str, ...] = ()  #: code prefixes to drop
    exclude: tuple[str, ...] = ()  #: glob patterns of paths to skip
    fail_on: str = "error"  #: lowest severity that makes the exit code 1
    jobs: int = 0  #: worker processes; 0 means one per core
    cache: bool = True
    cache_dir: str = ".reviewer_cache"
    max_file_size: int = 2_000_000  #: bytes; larger files are reported, not reviewed
    #: Seconds the engine may spend on one file; a runaway file becomes an error naming it.
    file_timeout: float = 30.0
    #: MiB of memory an engine worker may take beyond its start (0: no limit).
    file_memory: int = 1024
    baseline: str = ".reviewer-baseline.json"
    known_modules: tuple[str, ...] = ()  #: extra importable top-level modules (private packages)
    known_packages: tuple[str, ...] = ()  #: private package names RV307 must not flag
    #: Import paths of the environment the code runs in, when it is not the one running the
    #: review (a project's own virtualenv, a notebook's kernel): modules found there are installed.
    python_path: tuple[str, ...] = ()
    rule_packs: tuple[str, ...] = ()  #: extra rule pack directories (relative to the project root)
    #: (glob, code prefixes) pairs: those codes are not reported in files the glob matches
    #: (`per-file-ignores = {"tests/**" = ["RV311"]}`, Ruff's semantics for the globs).
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: `reviewer fix`: codes it may fix (empty: all), never fixes, and whose fixes count as
    #: safe or unsafe whatever the rule says (Ruff's `fixable`, `unfixable`, `extend-*-fixes`).
    fixable: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()
    extend_safe_fixes: tuple[str, ...] = ()
    extend_unsafe_fixes: tuple[str, ...] = ()
    #: Seconds the fix of RV105 (http-request-without-timeout) passes to a call that has none.
    default_timeout: float = 30.0
    ruff: ToolSettings = field(default_factory=ToolSettings)
    bandit: ToolSettings = field(default_factory=ToolSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    thresholds: Thresholds = field(default_factory=Thresholds)
    root: str = "."  #: project root: where pyproject.toml was found (or the cwd)
    config_file: str | None = None  #: the pyproject.toml that was read, if any
    #: `[tool.reviewer.llm]` keys the project set and reviewer ignored (USER_ONLY_LLM_KEYS).
    ignored_project_keys: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """Hash of every setting that can change findings (cache key part)."""
        relevant = asdict(self)
        # The LLM stage has its own cache, keyed by model and prompt: it never changes static results.
        for volatile in ("jobs", "cache", "cache_dir", "fail_on", "config_file", "baseline", "llm", "file_timeout",
                         "file_memory", "ignored_project_keys", "fixable", "unfixable", "extend_safe_fixes",
                         "extend_unsafe_fixes"):
            relevant.pop(volatile)
        return hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16]

    @property
    def fail_on_severity(self) -> Severity | None:
        return None if self.fail_on == "never" else Severity(self.fail_on)

    @property
    def pack_directories(self) -> tuple[str, ...]:
        """`rule-packs`, resolved against the project root."""
        return tuple(str((Path(self.root) / d).resolve()) for d in self.rule_packs)

    @property
    def worker_count(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)


_TOOL_KEYS = {f.name: f.name for f in fields(ToolSettings)}
_LLM_KEYS = {
    f.name.replace("_", "-"): f.name for f in fields(LLMSettings)
}
_THRESHOLD_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Thresholds)}
# pyproject keys are kebab-case; dataclass fields are snake_case.
_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name not in ("root", "config_file")}


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.reviewer] table or a [project]."""
    start = start.resolve()
    for directory in (start, *start.parents) if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Read defaults, then the nearest pyproject.toml, then `overrides` (already-typed CLI values)."""
    start = start or Path.cwd()
    # Like ruff: the project of the first path, else the cwd's; without any pyproject.toml the
    # root is the cwd, so the cache never lands inside the directory being reviewed.
    pyproject = find_pyproject(start) or find_pyproject(Path.cwd())
    config = Config(root=str(Path.cwd()))
    if pyproject is not None:
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{pyproject}: cannot read TOML: {exc}") from exc
        table = data.get("tool", {}).get("reviewer", {})
        config = replace(config, root=str(pyproject.parent), config_file=str(pyproject))
        table, ignored = _without_user_only_keys(table)
        config = apply_table(config, table, where=f"{pyproject} [tool.reviewer]")
        config = replace(config, ignored_project_keys=ignored)
    config = _apply_user_config(config)
    env = {name: os.environ[var] for var, name in LLM_ENV.items() if os.environ.get(var)}
    if env:
        config = replace(config, llm=replace(config.llm, **env))
    if overrides:
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
        validate(config, where="command line")
    return config


def apply_table(config: Config, table: dict[str, Any], where: str) -> Config:
    """Merge a `[tool.reviewer]` table into `config`, rejecting unknown keys and bad types."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    changes: dict[str, Any] = {}
    problems: list[str] = []  #: every bad key at once, not one per run
    for key, value in table.items():
        if key not in _KEYS:
            problems.append(_unknown_key(where, key, _KEYS))
            continue
        name = _KEYS[key]
        default = getattr(config, name)
        try:
            if isinstance(default, ToolSettings):
                changes[name] = _tool_settings(default, value, f"{where}.{key}")
            elif isinstance(default, LLMSettings):
                changes[name] = _llm_settings(default, value, f"{where}.{key}")
            elif isinstance(default, Thresholds):
                changes[name] = _section(default, value, _THRESHOLD_KEYS, f"{where}.{key}")
            elif name == "per_file_ignores":
                changes[name] = _per_file_ignores(value, f"{where}.{key}")
            else:
                changes[name] = _coerce(default, value, f"{where}: {key}")
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("\n".join(problems))
    config = replace(config, **changes)
    validate(config, where)
    return config


_Section = TypeVar("_Section", ToolSettings, LLMSettings, Thresholds)


def _section(current: _Section, value: Any, keys: dict[str, str], where: str) -> _Section:
    """Merge one sub-table (`[tool.reviewer.ruff]`, `.llm`, `.thresholds`) into its settings."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table")
    changes: dict[str, Any] = {}
    problems: list[str] = []
    for key, item in value.items():
        if key not in keys:
            problems.append(_unknown_key(where, key, keys))
            continue
        name = keys[key]
        try:
            changes[name] = _coerce(getattr(current, name), item, f"{where}: {key}")
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("\n".join(problems))
    return replace(current, **changes)


def _unknown_key(where: str, key: str, valid: Mapping[str, str]) -> str:
    """`unknown key 'slect'; did you mean 'select'?` (all valid keys when nothing is close)."""
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    if close:
        return f"{where}: unknown key {key!r}; did you mean {close[0]!r}?"
    return f"{where}: unknown key {key!r}; valid keys are: {', '.join(sorted(valid))}"


def _per_file_ignores(value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: expected a table of glob = ["CODE", ...], e.g. {{"tests/**" = ["RV311"]}}')
    pairs = []
    for glob, codes in value.items():
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
            raise ConfigError(f"{where}: {glob!r}: expected a list of code prefixes, got {codes!r}")
        pairs.append((glob, tuple(c.upper() for c in codes)))
    return tuple(pairs)


def _tool_settings(current: ToolSettings, value: Any, where: str) -> ToolSettings:
    if isinstance(value, bool):  # `ruff = false` is shorthand for `ruff.enabled = false`
        return replace(current, enabled=value)
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected true/false or a table")
    return _section(current, value, _TOOL_KEYS, where)


def _llm_settings(current: LLMSettings, value: Any, where: str) -> LLMSettings:
    return _section(current, value, _LLM_KEYS, where)


#: Which model is called, where, and with which key: the user's choice alone. A repository under
#: review must not be able to send its code (or the user's key, or any secret named by
#: `api-key-env`) anywhere by setting these in its own pyproject.toml.
USER_ONLY_LLM_KEYS = ("model", "base-url", "api-key-env")
#: Environment variable naming the user-level configuration file.
USER_CONFIG_ENV = "REVIEWER_CONFIG"


def _without_user_only_keys(table: Any) -> tuple[Any, tuple[str, ...]]:
    """The project's `[tool.reviewer]` table without the LLM keys only the user may set."""
    if not isinstance(table, dict) or not isinstance(table.get("llm"), dict):
        return table, ()
    llm = dict(table["llm"])
    ignored = tuple(key for key in USER_ONLY_LLM_KEYS if llm.pop(key, None) is not None)
    return {**table, "llm": llm}, ignored


def ignored_settings_note(config: Config) -> str:
    keys = ", ".join(f"`{key}`" for key in config.ignored_project_keys)
    return (f"Ignored {keys} in [tool.reviewer.llm] of {config.config_file}: which model is called, where "
            f"and with which key is your choice alone (--model, --base-url, REVIEWER_LLM_*, or "
            f"{user_config_path()}).")


def user_config_path() -> Path:
    """`$REVIEWER_CONFIG`, else `$XDG_CONFIG_HOME/reviewer/config.toml` (~/.config by default)."""
    explicit = os.environ.get(USER_CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reviewer" / "config.toml"


def _apply_user_config(config: Config) -> Config:
    """The user's own `[llm]` table (every key of `[tool.reviewer.llm]`), over the project's."""
    path = user_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return config
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot read TOML: {exc}") from exc
    unknown = sorted(set(data) - {"llm"})
    if unknown:
        raise ConfigError(f"{path}: unknown table(s) {unknown}; the user configuration holds only [llm]")
    if "llm" not in data:
        return config
    return replace(config, llm=_llm_settings(config.llm, data["llm"], f"{path} [llm]"))


def _coerce(default: Any, value: Any, where: str) -> Any:
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ConfigError(f"{where}: expected a non-negative number, got {value!r}")
        return float(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{where}: expected a non-negative integer, got {value!r}")
        return value
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string, got {value!r}")
    return value


def validate(config: Config, where: str) -> None:
    if config.fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(
            f"{where}: fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, got {config.fail_on!r}"
        )
    if config.llm.concurrency < 1:
        raise ConfigError(f"{where}: llm.concurrency must be at least 1")
    if config.llm.timeout <= 0:
        raise ConfigError(f"{where}: llm.timeout must be more than 0 seconds")
