"""The baseline file: fingerprints of accepted findings, hidden (and counted) by later scans."""

from __future__ import annotations

import json
from pathlib import Path

from reviewer.model import Finding

VERSION = 1


class BaselineError(ValueError):
    """The baseline file exists but cannot be read."""


def load(path: Path) -> set[str]:
    if not path.exists():
        return set()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["findings"]
        return {entry["fingerprint"] for entry in entries}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a reviewer baseline file ({exc})") from exc


def render(findings: list[Finding]) -> str:
    """Entries keep code, path and message so the file is reviewable in a diff."""
    entries = [
        {
            "fingerprint": f.fingerprint,
            "code": f.code,
            "path": f.location.path,
            "message": f.message,
        }
        for f in sorted(findings, key=Finding.sort_key)
    ]
    return json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n"
