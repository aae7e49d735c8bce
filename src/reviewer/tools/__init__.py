"""External analyzers (the real ruff and bandit) run as subprocesses and normalized to Finding.

Each adapter module offers `version() -> str | None` and `start(units, config, stage) -> ToolJob`;
`start` launches the tool at once so it runs while the engine works, `ToolJob.collect()` waits.
"""

from reviewer.tools.staging import Stage, ToolJob

__all__ = ["Stage", "ToolJob"]
