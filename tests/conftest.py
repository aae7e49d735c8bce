"""Shared pytest setup: pytest-jupyter's server fixtures (used by tests/integrations/jupyter), and
no user-level reviewer configuration leaking in from the machine running the tests."""

from __future__ import annotations

import os
from pathlib import Path

pytest_plugins = ("pytest_jupyter.jupyter_server",)

# Set before any test (and inherited by the subprocesses tests start): a developer's own
# ~/.config/reviewer/config.toml must not change what the tests see.
os.environ["REVIEWER_CONFIG"] = str(Path(__file__).resolve().parent / "data" / "no-user-config.toml")
