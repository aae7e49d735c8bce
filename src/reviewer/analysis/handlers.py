"""What an `except` clause catches."""

from __future__ import annotations

import libcst as cst

from reviewer.engine.imports import dotted_name


def catches(handler: cst.ExceptHandler, names: frozenset[str]) -> bool:
    """True when `handler` catches an exception named in `names` (compared on the last part, so
    `builtins.NameError` is `NameError`); a bare `except:` catches everything."""
    if handler.type is None:
        return True
    types = (
        [element.value for element in handler.type.elements]
        if isinstance(handler.type, cst.Tuple)
        else [handler.type]
    )
    return any((dotted_name(t) or "").split(".")[-1] in names for t in types)
