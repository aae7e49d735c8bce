"""The libcst analysis engine: Rule base, batched walker, import-table names, registry, runner.
The analyses rules ask questions of live in `reviewer.analysis`."""

from reviewer.engine.registry import all_rules, find_rule, is_selected, select_rules
from reviewer.engine.rule import Autofix, Invalid, ProjectRule, ProjectRun, Rule, Valid
from reviewer.engine.runner import analyze

__all__ = [
    "Autofix",
    "Invalid",
    "ProjectRule",
    "ProjectRun",
    "Rule",
    "Valid",
    "all_rules",
    "analyze",
    "find_rule",
    "is_selected",
    "select_rules",
]
