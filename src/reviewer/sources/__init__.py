"""Turning paths, stdin and live notebook content into SourceUnits the analyzers can read."""

from reviewer.sources.discovery import discover, project_path
from reviewer.sources.loading import load_bytes, load_path, load_text
from reviewer.sources.unit import CellMap, CellOutput, CellSpan, LoadError, SourceUnit

__all__ = [
    "CellMap",
    "CellOutput",
    "CellSpan",
    "LoadError",
    "SourceUnit",
    "discover",
    "load_bytes",
    "load_path",
    "load_text",
    "project_path",
]
