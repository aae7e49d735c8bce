"""Per-file time budget for the engine: a runaway file ends with an error naming it, and the
other files are still reviewed."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class FileTimeout(BaseException):
    """The file's time budget ran out. A BaseException, so that the engine's per-rule
    `except Exception` guards let it through to the per-file handler."""


def _expired(signum: int, frame: FrameType | None) -> None:
    raise FileTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise FileTimeout in this block after `seconds` (a SIGALRM timer). Only the main thread of
    a process can take signals: elsewhere (a Jupyter server's request threads) and where the
    platform has no interval timer, the block runs without a limit."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
