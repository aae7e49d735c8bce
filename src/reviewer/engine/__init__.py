"""The libcst analysis engine: Rule base, batched walker, import-table names, registry, runner.
The analyses rules ask questions of live in `reviewer.analysis`."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewer.engine.registry import all_rules, find_rule, is_selected, select_rules
    from reviewer.engine.rule import Autofix, Invalid, ProjectRule, ProjectRun, Rule, Valid
    from reviewer.engine.runner import analyze

#: Exported name -> its module, imported on first use: analyses import engine modules (patterns,
#: walker) that the runner in turn imports, so the package must not import the runner eagerly.
_EXPORTS = {
    "Autofix": "rule", "Invalid": "rule", "ProjectRule": "rule", "ProjectRun": "rule", "Rule": "rule",
    "Valid": "rule", "all_rules": "registry", "find_rule": "registry", "is_selected": "registry",
    "select_rules": "registry", "analyze": "runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reviewer.engine' has no attribute {name!r}")
    return getattr(import_module(f"reviewer.engine.{module}"), name)
