"""The rule reference (docs/rules.md and the README table) is generated and up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generated_rule_docs_are_current() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines()[1:] if line.strip()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("./scripts/test")


def test_pre_commit_hook_runs_the_console_script() -> None:
    import yaml  # noqa: PLC0415 - pulled in by bandit, only needed here

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "reviewer" and hooks[0]["entry"].startswith("reviewer scan")
    assert "python" in hooks[0]["types_or"] and "jupyter" in hooks[0]["types_or"]
