"""Every engine rule, discovered from the `reviewer.rules` package, selectable by code prefix."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from functools import cache
from typing import Any

from reviewer.engine.packs import PackError, PackRule, load_packs
from reviewer.engine.rule import Rule

#: Rules are plugins of the engine: discovered by name, so the engine never imports them directly.
RULES_PACKAGE = "reviewer.rules"


def all_rules(packs: tuple[str, ...] = ()) -> tuple[type[Rule], ...]:
    """The Python rules and the pack rules (built-in packs plus the user's pack directories
    `packs`), sorted by code. A duplicate code or a malformed pack raises PackError."""
    return _all_rules(tuple(packs))


@cache
def _all_rules(packs: tuple[str, ...]) -> tuple[type[Rule], ...]:
    found = dict(_python_rules())
    for rule in load_packs(packs):
        if rule.CODE in found:
            where = getattr(found[rule.CODE], "PACK", found[rule.CODE].__module__)
            raise PackError(f"{rule.PACK}: rule {rule.CODE}: duplicate code (also in {where})")
        found[rule.CODE] = rule
    return tuple(found[code] for code in sorted(found))


@cache
def _python_rules() -> dict[str, type[Rule]]:
    """One Rule subclass per module in reviewer.rules; duplicate codes are a bug."""
    package = importlib.import_module(RULES_PACKAGE)
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        classes = [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, Rule) and obj is not Rule
            and obj.__module__ == module.__name__ and hasattr(obj, "CODE")
        ]
        for rule in classes:
            if rule.CODE in found:
                raise RuntimeError(f"duplicate rule code {rule.CODE} in {module.__name__}")
            found[rule.CODE] = rule
    return found


def is_selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Ruff semantics: the longest matching prefix decides; no select list means everything."""
    select, ignore = tuple(select), tuple(ignore)
    best_select = max((len(p) for p in select if code.startswith(p)), default=-1 if select else 0)
    best_ignore = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_select >= 0 and best_select > best_ignore


def select_rules(
    select: Iterable[str] = (), ignore: Iterable[str] = (), packs: tuple[str, ...] = ()
) -> list[type[Rule]]:
    select, ignore = tuple(select), tuple(ignore)
    return [rule for rule in all_rules(packs) if is_selected(rule.CODE, select, ignore)]


def describe(rule: type[Rule]) -> dict[str, Any]:
    """A rule's metadata and docs as JSON (`reviewer rules --format json`, the Jupyter sidebar)."""
    return {
        "code": rule.CODE,
        "name": rule.NAME,
        "category": rule.CATEGORY.value,
        "severity": rule.SEVERITY.value,
        "confidence": rule.CONFIDENCE.value,
        "cwe": list(rule.CWE),
        "fix": rule.FIX or "none",
        "summary": rule.summary(),
        "docs": rule.docs(),
        "origin": str(rule.PACK.name) if isinstance(rule, type) and issubclass(rule, PackRule) else "python",
    }


def find_rule(code: str, packs: tuple[str, ...] = ()) -> type[Rule] | None:
    code = code.upper()
    return next((rule for rule in all_rules(packs) if rule.CODE == code), None)
