"""Documentation of a bandit or ruff code, from the tools themselves (the codes a report carries
besides ours): shared by `reviewer explain` and the JupyterLab sidebar's explain view."""

from __future__ import annotations

import re
import subprocess

from reviewer.tools import bandit as bandit_tool
from reviewer.tools import ruff as ruff_tool


def tool_code_docs(code: str) -> str | None:
    """Markdown documentation of a bandit or ruff code; None when neither tool knows it."""
    if re.fullmatch(r"B[1-8]\d\d", code):  # bandit's own ids (ruff's bugbear codes are B0xx/B9xx)
        described = bandit_tool.describe(code)
        if described:
            return described
    exe = ruff_tool.binary()
    if exe is None or not re.fullmatch(r"[A-Z]+\d+", code):
        return None
    try:
        done = subprocess.run([exe, "rule", code], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return f"{code} is a ruff check, documented by ruff:\n\n{done.stdout.rstrip()}\n"
