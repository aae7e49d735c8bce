"""`parse_module`: libcst's parser without re-checking each node it builds from valid source.

libcst validates every node on construction, including the ones its own parser builds from code
it has just accepted; its source notes the waste ("avoid validating the tree when parsing a
file"). Skipping that check while parsing saves about a sixth of the parse on the standard
library. Nodes built elsewhere (autofix replacements) are still validated.
"""

from __future__ import annotations

import threading

import libcst as cst

_VALIDATE = cst.CSTNode.__post_init__
_lock = threading.Lock()
_parsing = 0  #: parses in progress in this process (threads may overlap)


def _trusted(self: cst.CSTNode) -> None:
    """Stands in for the validation while a parse is building nodes."""


def parse_module(text: str) -> cst.Module:
    """`libcst.parse_module(text)`: same tree, same errors."""
    global _parsing
    with _lock:
        _parsing += 1
        cst.CSTNode.__post_init__ = _trusted  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        with _lock:
            _parsing -= 1
            if _parsing == 0:
                cst.CSTNode.__post_init__ = _VALIDATE  # type: ignore[method-assign]
