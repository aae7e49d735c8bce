"""Rule packs: `rules/packs/*.toml` (and user pack directories) loaded into Rule classes.

A pack rule has the metadata of a Python rule and either patterns or a taint spec. Loading is
all or nothing: a malformed pack raises PackError naming the file, the rule and the reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from reviewer.config import ConfigError
from reviewer.engine.patterns import Pattern, PatternError, compile_pattern
from reviewer.engine.rule import Rule
from reviewer.model import Category, Confidence, Severity

_PACKAGE = Path(__file__).resolve().parents[1]  # src/reviewer (or site-packages/reviewer)
#: Wheels carry the packs in reviewer/_packs/packs; a source checkout reads rules/packs.
BUILTIN_DIRECTORIES = (_PACKAGE / "_packs" / "packs", _PACKAGE.parents[1] / "rules" / "packs")
_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{3,4}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

_RULE_KEYS = {
    "code", "name", "category", "severity", "confidence", "cwe", "message", "docs", "equivalent",
    "triggers", "verdicts", "patterns", "pattern-not", "pattern-inside", "pattern-inside-any", "pattern-not-inside",
    "where", "taint", "supersedes", "not-in-tests", "fixes",
}
_FIX_KEYS = {"pattern", "add-keyword", "replace", "when-imported", "safety", "description"}
_WHERE_KEYS = {"metavariable", "regex", "literal"}
_TAINT_KEYS = {"sources", "source-kinds", "sinks", "sanitizers", "safe-prefixes", "safe-prefix-regex", "guards"}
_GUARD_KEYS = {"pattern", "safe-when"}
_SINK_KEYS = {
    "pattern", "argument", "not", "regex", "handler-only", "receiver", "receiver-from", "handler-from", "text-only",
    "not-after",
}


class PackError(ConfigError):
    """A pack that cannot be loaded; the message names the file, the rule and the reason."""


@dataclass(frozen=True)
class Condition:
    """`[[rules.where]]`: a metavariable must match `regex` and/or be (or not be) a literal."""

    metavariable: str
    regex: re.Pattern[str] | None = None
    literal: bool | None = None


@dataclass(frozen=True)
class Sink:
    """A call (or statement) where tainted data does harm; `argument` names the metavariable
    bound to the value that matters (None: any argument of the call)."""

    pattern: Pattern
    argument: str | None
    exclude: tuple[Pattern, ...] = ()  #: `not`: calls of the sink's shape that are safe
    regex: re.Pattern[str] | None = None  #: the argument's source text must match
    handler_only: bool = False  #: only inside web handlers (a returned HTML string)
    #: `receiver` (a metavariable) must name a variable bound to one of `receiver_from`
    #: (`session = requests.Session()` makes `session.get(url)` a request, `d.get(k)` is not).
    receiver: str | None = None
    receiver_from: tuple[Pattern, ...] = ()
    #: With `handler-only`: the handler's decorator belongs to an object made by one of these
    #: (`app = flask.Flask(...)`; `@app.route(...)`): a Flask view, not a FastAPI one.
    handler_from: tuple[Pattern, ...] = ()
    #: The argument is text by its syntax (a string built or read from request text), not a
    #: dict or list that the framework would send as JSON.
    text_only: bool = False
    #: `resp = make_response(x)` followed in the same block by one of these (`$R` is `resp`):
    #: `resp.mimetype = "application/json"` makes the body not HTML.
    not_after: tuple[Pattern, ...] = ()


@dataclass(frozen=True)
class TaintSpec:
    sources: tuple[Pattern, ...]  #: extra sources, on top of the standard ones (rules/taint.toml)
    sinks: tuple[Sink, ...]
    sanitizers: tuple[Pattern, ...]  #: calls whose result is clean, on top of the standard ones
    #: Kinds of standard sources that count (rules/taint.toml `[sources]` tables); empty: all.
    source_kinds: tuple[str, ...] = ()
    #: A sink argument that starts with one of these (`url_for(...) + "?next=" + x`) or with a
    #: string literal matching `safe_prefix_regex` (`"/profile/" + x`) is safe whatever follows:
    #: what decides the harm (a redirect's host) is fixed.
    safe_prefixes: tuple[Pattern, ...] = ()
    safe_prefix_regex: re.Pattern[str] | None = None
    #: Conditions that prove `$X` safe for this rule on one branch (`".." in $X` when false, for
    #: paths): an early `return`/`raise` on the other branch ends the flow.
    guards: tuple[Guard, ...] = ()


@dataclass(frozen=True)
class Guard:
    """A rule's own guard: when `pattern` (a condition with `$X`) evaluates to `safe_when`, the
    variable bound to `$X` (or the value it was parsed from) is safe for the rule."""

    pattern: Pattern
    safe_when: bool


@dataclass(frozen=True)
class PackFix:
    """A pattern rule's fix, for a reported node that also matches `pattern`: append the keyword
    argument `add_keyword` to the call (`weights_only=True`), or replace the node with `replace`,
    a template of the rule's metavariables and `{qualified.names}` spelled with the module's own
    imports (`{pandas.isna}($X)`), offered only when `when_imported` is imported."""

    pattern: Pattern
    add_keyword: str
    safe: bool
    description: str
    replace: str = ""
    when_imported: str = ""


class PackRule(Rule):
    """Base of rules loaded from packs; the runner matches all of them in one walk."""

    PACK: ClassVar[Path]
    PATTERNS: ClassVar[tuple[Pattern, ...]] = ()
    PATTERN_NOT: ClassVar[tuple[Pattern, ...]] = ()
    INSIDE: ClassVar[tuple[Pattern, ...]] = ()
    INSIDE_ANY: ClassVar[tuple[Pattern, ...]] = ()
    NOT_INSIDE: ClassVar[tuple[Pattern, ...]] = ()
    WHERE: ClassVar[tuple[Condition, ...]] = ()
    TAINT: ClassVar[TaintSpec | None] = None
    #: Pattern rules: when the shape matches but the conditions reject it, say so (a verdict
    #: that plays down the EQUIVALENT tools' finding on that line). Off by default: verdicts
    #: cost a position lookup, so only rules that decide a noisy tool check turn them on.
    VERDICTS: ClassVar[bool] = False
    FIXES: ClassVar[tuple[PackFix, ...]] = ()

    @classmethod
    def fixture(cls) -> Path:
        """The pack's annotated fixture: `name.toml` -> `name.py` beside it."""
        return cls.PACK.with_suffix(".py")


def builtin_directory() -> Path | None:
    return next((d for d in BUILTIN_DIRECTORIES if d.is_dir()), None)


@cache
def load_packs(directories: tuple[str, ...] = ()) -> tuple[type[PackRule], ...]:
    """Every rule of the built-in packs and of `directories` (user packs), in file order."""
    paths: list[Path] = []
    builtin = builtin_directory()
    for directory in ((builtin,) if builtin else ()) + tuple(Path(d) for d in directories):
        if not directory.is_dir():
            raise PackError(f"{directory}: rule pack directory not found")
        paths.extend(sorted(directory.glob("*.toml")))
    rules: list[type[PackRule]] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for rule in load_pack(path):
            if rule.CODE in seen:
                raise PackError(f"{path}: rule {rule.CODE}: duplicate code (also in {seen[rule.CODE]})")
            seen[rule.CODE] = path
            rules.append(rule)
    return tuple(rules)


def load_pack(path: Path) -> list[type[PackRule]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{path}: cannot read the pack: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"pack", "rules"}
    if unknown:
        raise PackError(f"{path}: unknown top-level key(s) {sorted(unknown)}; expected [pack] and [[rules]]")
    entries = data.get("rules", [])
    if not isinstance(entries, list) or not entries:
        raise PackError(f"{path}: a pack needs at least one [[rules]] table")
    return [_rule(path, index, entry) for index, entry in enumerate(entries)]


def _rule(path: Path, index: int, entry: Any) -> type[PackRule]:
    label = f"{path}: rule {entry.get('code', f'#{index + 1}') if isinstance(entry, dict) else f'#{index + 1}'}"

    def fail(reason: str) -> PackError:
        return PackError(f"{label}: {reason}")

    if not isinstance(entry, dict):
        raise fail("each [[rules]] entry must be a table")
    unknown = set(entry) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown key(s) {sorted(unknown)}; valid keys: {sorted(_RULE_KEYS)}")
    for key in ("code", "name", "category", "message", "docs"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise fail(f"`{key}` is required (a non-empty string)")
    if not _CODE.match(entry["code"]):
        raise fail("`code` must look like RV123 (letters, then 3-4 digits)")
    if not _NAME.match(entry["name"]):
        raise fail("`name` must be kebab-case, e.g. sql-injection")
    has_patterns, has_taint = "patterns" in entry, "taint" in entry
    if has_patterns == has_taint:
        raise fail("give exactly one of `patterns` (a list of code patterns) or a [rules.taint] table")
    try:
        attributes: dict[str, Any] = {
            "CODE": entry["code"],
            "NAME": entry["name"],
            "CATEGORY": Category(entry["category"]),
            "SEVERITY": Severity(entry.get("severity", "warning")),
            "CONFIDENCE": Confidence(entry.get("confidence", "high")),
            "CWE": tuple(_ints(entry.get("cwe", []), "cwe")),
            "MESSAGE": entry["message"],
            "EQUIVALENT": tuple(_strings(entry.get("equivalent", []), "equivalent")),
            "PACK": path,
            "VERDICTS": _flag(entry.get("verdicts", False), "verdicts"),
            "SUPERSEDES": tuple(_strings(entry.get("supersedes", []), "supersedes")),
            "NOT_IN_TESTS": _flag(entry.get("not-in-tests", False), "not-in-tests"),
            "__doc__": entry["docs"],
            "__module__": __name__,
        }
        if has_patterns:
            attributes["PATTERNS"] = _patterns(entry["patterns"], "patterns", required=True)
            attributes["PATTERN_NOT"] = _patterns(entry.get("pattern-not", []), "pattern-not")
            attributes["INSIDE"] = _patterns(entry.get("pattern-inside", []), "pattern-inside")
            attributes["INSIDE_ANY"] = _patterns(entry.get("pattern-inside-any", []), "pattern-inside-any")
            attributes["NOT_INSIDE"] = _patterns(entry.get("pattern-not-inside", []), "pattern-not-inside")
            attributes["WHERE"] = tuple(_condition(c) for c in _tables(entry.get("where", []), "where"))
            known = set().union(*(
                p.metavariables
                for p in attributes["PATTERNS"] + attributes["PATTERN_NOT"] + attributes["INSIDE"]
                + attributes["INSIDE_ANY"] + attributes["NOT_INSIDE"]
            ))
            for condition in attributes["WHERE"]:
                if condition.metavariable not in known:
                    raise ValueError(f"`where` names {condition.metavariable}, which no pattern binds")
            triggers = [p.trigger for p in attributes["PATTERNS"]]
            attributes["FIXES"] = tuple(_fix(f) for f in _tables(entry.get("fixes", []), "fixes"))
            safeties = {("safe" if f.safe else "unsafe") for f in attributes["FIXES"]}
            attributes["FIX"] = ", ".join(sorted(safeties))
        else:
            attributes["TAINT"] = _taint(entry["taint"])
            triggers = [s.pattern.trigger for s in attributes["TAINT"].sinks]
        explicit = entry.get("triggers")
        attributes["TRIGGERS"] = (
            tuple(_strings(explicit, "triggers")) if explicit is not None
            else () if None in triggers else tuple(dict.fromkeys(triggers))
        )
    except (ValueError, PatternError, TypeError) as exc:
        raise fail(str(exc)) from None
    class_name = "".join(part.title() for part in entry["name"].split("-"))
    return type(class_name, (PackRule,), attributes)


def _fix(table: dict[str, Any]) -> PackFix:
    unknown = set(table) - _FIX_KEYS
    if unknown:
        raise ValueError(f"`fixes`: unknown key(s) {sorted(unknown)}; valid keys: {sorted(_FIX_KEYS)}")
    keyword = table.get("add-keyword", "")
    replace = table.get("replace", "")
    when = table.get("when-imported", "")
    if not isinstance(replace, str) or not isinstance(when, str):
        raise ValueError("`fixes`: replace and when-imported must be strings")
    if bool(keyword) == bool(replace):
        raise ValueError("`fixes`: give exactly one of add-keyword or replace")
    if keyword and (not isinstance(keyword, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=\S.*", keyword)):
        raise ValueError("`fixes`: add-keyword must look like name=value, e.g. weights_only=True")
    safety = table.get("safety", "safe")
    if safety not in ("safe", "unsafe"):
        raise ValueError("`fixes`: safety must be \"safe\" or \"unsafe\"")
    pattern = _patterns(table.get("pattern"), "fixes.pattern", required=True)[0]
    description = table.get("description", f"Pass `{keyword}`" if keyword else "Apply the fix")
    if not isinstance(description, str):
        raise ValueError("`fixes`: description must be a string")
    return PackFix(pattern, keyword, safety == "safe", description, replace, when)


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"`{key}` must be true or false")
    return value


def _strings(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{key}` must be a list of strings")
    return value


def _ints(value: Any, key: str) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise ValueError(f"`{key}` must be a list of integers")
    return value


def _tables(value: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"`{key}` must be a list of tables")
    return value


def _patterns(value: Any, key: str, required: bool = False) -> tuple[Pattern, ...]:
    texts = [value] if isinstance(value, str) else _strings(value, key)
    if required and not texts:
        raise ValueError(f"`{key}` must not be empty")
    return tuple(compile_pattern(text) for text in texts)


def _condition(table: dict[str, Any]) -> Condition:
    unknown = set(table) - _WHERE_KEYS
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)} in `where`; valid: {sorted(_WHERE_KEYS)}")
    name = table.get("metavariable")
    if not isinstance(name, str) or not name.startswith("$"):
        raise ValueError("`where.metavariable` must name a metavariable such as \"$X\"")
    regex = table.get("regex")
    try:
        compiled = re.compile(regex) if isinstance(regex, str) else None
    except re.error as exc:
        raise ValueError(f"`where.regex` for {name} is not a valid regular expression: {exc}") from None
    literal = table.get("literal")
    if regex is not None and compiled is None or literal is not None and not isinstance(literal, bool):
        raise ValueError("`where.regex` must be a string and `where.literal` true or false")
    if compiled is None and literal is None:
        raise ValueError(f"`where` for {name} needs `regex` or `literal`")
    return Condition(name, compiled, literal)


def _taint(table: Any) -> TaintSpec:
    if not isinstance(table, dict):
        raise ValueError("`taint` must be a table")
    unknown = set(table) - _TAINT_KEYS
    if unknown:
        raise ValueError(f"unknown key(s) {sorted(unknown)} in [rules.taint]; valid: {sorted(_TAINT_KEYS)}")
    sinks: list[Sink] = []
    for sink in _tables(table.get("sinks", []), "taint.sinks"):
        unknown = set(sink) - _SINK_KEYS
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)} in a sink; valid: {sorted(_SINK_KEYS)}")
        if not isinstance(sink.get("pattern"), str):
            raise ValueError("each sink needs a `pattern` string")
        pattern = compile_pattern(sink["pattern"])
        argument = sink.get("argument")
        if argument is not None and argument not in pattern.metavariables:
            raise ValueError(f"sink argument {argument} is not a metavariable of {sink['pattern']!r}")
        regex = sink.get("regex")
        try:
            compiled = re.compile(regex) if isinstance(regex, str) else None
        except re.error as exc:
            raise ValueError(f"sink regex {regex!r} is not a valid regular expression: {exc}") from None
        handler_only = sink.get("handler-only", False)
        if not isinstance(handler_only, bool):
            raise ValueError("sink `handler-only` must be true or false")
        exclude = _patterns(sink.get("not", []), "taint.sinks.not")
        receiver = sink.get("receiver")
        receiver_from = _patterns(sink.get("receiver-from", []), "taint.sinks.receiver-from")
        if (receiver is None) != (not receiver_from) or receiver is not None and receiver not in pattern.metavariables:
            raise ValueError("a sink's `receiver` (a metavariable of its pattern) and `receiver-from` go together")
        handler_from = _patterns(sink.get("handler-from", []), "taint.sinks.handler-from")
        if handler_from and not handler_only:
            raise ValueError("a sink's `handler-from` needs `handler-only = true`")
        text_only = sink.get("text-only", False)
        if not isinstance(text_only, bool):
            raise ValueError("sink `text-only` must be true or false")
        not_after = _patterns(sink.get("not-after", []), "taint.sinks.not-after")
        if any("$R" not in p.metavariables for p in not_after):
            raise ValueError("each `not-after` pattern names the sink's result `$R`")
        sinks.append(Sink(pattern, argument, exclude, compiled, handler_only, receiver, receiver_from,
                          handler_from, text_only, not_after))
    if not sinks:
        raise ValueError("[rules.taint] needs at least one sink")
    kinds = tuple(_strings(table.get("source-kinds", []), "taint.source-kinds"))
    from reviewer.analysis.taint_spec import defaults

    unknown_kinds = set(kinds) - set(defaults().source_kinds)
    if unknown_kinds:
        raise ValueError(f"unknown source kind(s) {sorted(unknown_kinds)}; valid: {sorted(defaults().source_kinds)}")
    prefix_regex = table.get("safe-prefix-regex")
    try:
        compiled_prefix = re.compile(prefix_regex) if isinstance(prefix_regex, str) else None
    except re.error as exc:
        raise ValueError(f"safe-prefix-regex {prefix_regex!r} is not a valid regular expression: {exc}") from None
    guards: list[Guard] = []
    for guard in _tables(table.get("guards", []), "taint.guards"):
        unknown = set(guard) - _GUARD_KEYS
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)} in a guard; valid: {sorted(_GUARD_KEYS)}")
        if not isinstance(guard.get("pattern"), str) or not isinstance(guard.get("safe-when"), bool):
            raise ValueError("each guard needs a `pattern` string and `safe-when` true or false")
        compiled_guard = compile_pattern(guard["pattern"])
        if "$X" not in compiled_guard.metavariables:
            raise ValueError(f"guard {guard['pattern']!r} must name the checked value `$X`")
        guards.append(Guard(compiled_guard, guard["safe-when"]))
    return TaintSpec(
        _patterns(table.get("sources", []), "taint.sources"),
        tuple(sinks),
        _patterns(table.get("sanitizers", []), "taint.sanitizers"),
        kinds,
        _patterns(table.get("safe-prefixes", []), "taint.safe-prefixes"),
        compiled_prefix,
        tuple(guards),
    )


@cache
def packs_digest(directories: tuple[str, ...] = ()) -> str:
    """Hash of every pack file and the taint defaults: part of the result cache's key, so an
    edited pack never serves findings computed by its old version."""
    import hashlib

    digest = hashlib.sha256()
    builtin = builtin_directory()
    roots = ((builtin,) if builtin else ()) + tuple(Path(d) for d in directories)
    files = [p for root in roots if root.is_dir() for p in sorted(root.glob("*.toml"))]
    if builtin is not None:
        files.append(builtin.parent / "taint.toml")
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]
