"""On-disk cache of model replies, keyed by (model, prompt version, the exact request).

The request holds the chunk's redacted code, its context, the static findings shown and the check
pack, so unchanged code is never sent twice and any change that alters the prompt misses. Only
replies that matched the schema are stored. SQLite, next to the static results cache.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from reviewer.llm.prompts import PROMPT_VERSION

_SCHEMA = "CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, data TEXT NOT NULL)"


def request_key(model: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
    payload = json.dumps([model, PROMPT_VERSION, messages, schema], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class ReplyCache:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by reviewer\n*\n", encoding="utf-8")
        self._db = sqlite3.connect(directory / "llm.sqlite3", timeout=10, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str]] = []

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM replies WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._pending.append((key, json.dumps(data, sort_keys=True)))

    def close(self) -> None:
        with self._lock:
            if self._pending:
                with self._db:
                    self._db.executemany("INSERT OR REPLACE INTO replies VALUES (?, ?)", self._pending)
                self._pending.clear()
            self._db.close()
