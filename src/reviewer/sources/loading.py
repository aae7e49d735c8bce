"""Read a path or bytes into a SourceUnit, refusing binary, huge and undecodable input clearly."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

from reviewer.sources.notebook import read_notebook, unit_from_notebook
from reviewer.sources.unit import LoadError, SourceUnit

BINARY_SNIFF = 8192


def load_path(path: Path, display: str, max_size: int) -> SourceUnit:
    try:
        size = path.stat().st_size
        if size > max_size:
            raise LoadError(display, f"file too large ({size} bytes > max-file-size {max_size})")
        data = path.read_bytes()
    except PermissionError as exc:
        raise LoadError(display, f"cannot read: permission denied ({exc.strerror})") from exc
    except FileNotFoundError as exc:
        raise LoadError(display, "no such file") from exc
    except IsADirectoryError as exc:
        raise LoadError(display, "is a directory") from exc
    except OSError as exc:
        raise LoadError(display, f"cannot read: {exc.strerror or exc}") from exc
    return load_bytes(data, display, on_disk=True, max_size=max_size)


def load_bytes(data: bytes, display: str, on_disk: bool = False, max_size: int = 0) -> SourceUnit:
    if max_size and len(data) > max_size:
        raise LoadError(display, f"input too large ({len(data)} bytes > max-file-size {max_size})")
    if b"\0" in data[:BINARY_SNIFF]:
        raise LoadError(display, "binary file (contains NUL bytes); not reviewed")
    text = decode(data, display)
    return load_text(text, display, on_disk=on_disk)


def load_text(text: str, display: str, on_disk: bool = False) -> SourceUnit:
    if display.endswith(".ipynb"):
        return unit_from_notebook(display, read_notebook(display, text))
    return SourceUnit(path=display, text=text, on_disk=on_disk)


def decode(data: bytes, display: str) -> str:
    """Decode like Python does: BOM, then a PEP 263 coding cookie, else UTF-8."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise LoadError(display, f"cannot decode: {exc.msg}") from exc
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise LoadError(display, f"cannot decode as {encoding}: {exc}") from exc
    return text.removeprefix("\ufeff")
