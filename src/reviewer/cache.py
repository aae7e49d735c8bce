"""On-disk cache of per-file results, keyed by content + path + config + versions (SQLite).

A warm re-scan of unchanged files reads and hashes them, and runs no analyzer at all.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from reviewer.model import Finding

_SCHEMA = "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data TEXT NOT NULL)"


class ResultCache:
    def __init__(self, directory: Path, salt: str) -> None:
        """`salt` covers everything that changes results besides the file: config, versions."""
        self.salt = salt
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by reviewer\n*\n", encoding="utf-8")
        self._db = sqlite3.connect(directory / "results.sqlite3", timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._pending: list[tuple[str, str]] = []

    def key(self, path: str, text: str) -> str:
        digest = hashlib.sha256()
        for part in (self.salt, path, text):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, tuple[list[Finding], int]]:
        found: dict[str, tuple[list[Finding], int]] = {}
        digests: dict[str, str | None] = {}  #: each helper file read once per lookup
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            # Only "?" placeholders are interpolated; the keys are bound parameters.
            query = f"SELECT key, data FROM results WHERE key IN ({marks})"  # noqa: S608
            rows = self._db.execute(query, chunk)
            for key, data in rows:
                try:
                    payload = json.loads(data)
                    if not all(_digest(path, digests) == digest
                               for path, digest in payload.get("depends", {}).items()):
                        continue  # a helper file it used changed: review it again
                    findings = [Finding.from_dict(f) for f in payload["findings"]]
                    found[key] = (findings, int(payload["suppressed"]))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # an entry from an incompatible version: treat as a miss
        return found

    def put(self, key: str, findings: list[Finding], suppressed: int, depends: Sequence[str] = ()) -> None:
        """Store a unit's result; `depends` names other files it was computed from (their current
        digests are stored, and a later change to any of them makes the entry a miss)."""
        digests: dict[str, str | None] = {}
        payload: dict[str, object] = {"findings": [f.to_dict() for f in findings], "suppressed": suppressed}
        if depends:
            payload["depends"] = {path: _digest(path, digests) for path in depends}
        self._pending.append((key, json.dumps(payload)))

    def close(self) -> None:
        if self._pending:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", self._pending)
            self._pending.clear()
        self._db.close()


def _digest(path: str, seen: dict[str, str | None]) -> str | None:
    """sha256 of a file's bytes (None when it cannot be read), memoised in `seen`."""
    if path not in seen:
        try:
            seen[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            seen[path] = None
    return seen[path]
