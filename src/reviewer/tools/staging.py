"""Give every unit a real file for the tools: files on disk as-is, everything else (notebooks'
virtual modules, stdin, live Jupyter content) written to a private temporary directory."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from reviewer.model import Finding, ToolError
from reviewer.sources import SourceUnit


class ToolJob(Protocol):
    def collect(self) -> tuple[dict[str, list[Finding]], list[ToolError]]:
        """Wait for the tool; findings keyed by unit path (locations already cell-relative)."""
        ...


class Stage:
    def __init__(self, units: Iterable[SourceUnit]) -> None:
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._by_file: dict[str, SourceUnit] = {}
        self.files: list[tuple[str, SourceUnit]] = []
        for index, unit in enumerate(units):
            if unit.on_disk and os.path.isfile(unit.path):
                file = os.path.abspath(unit.path)
            else:
                if self._dir is None:
                    self._dir = tempfile.TemporaryDirectory(prefix="reviewer-stage-")
                stem = Path(unit.path).stem or "stdin"
                file = os.path.join(self._dir.name, f"{index:05d}_{stem}.py")
                with open(file, "w", encoding="utf-8") as handle:
                    handle.write(unit.text)
            self._by_file[os.path.normcase(file)] = unit
            self.files.append((file, unit))

    def unit_for(self, file: str) -> SourceUnit | None:
        return self._by_file.get(os.path.normcase(os.path.abspath(file)))

    def cleanup(self) -> None:
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
