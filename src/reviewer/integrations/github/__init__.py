"""The pull request bot: `reviewer github review` (used by the GitHub Action in action.yml)."""

from reviewer.integrations.github.command import register, run

__all__ = ["register", "run"]
