"""Per-file time and memory budgets for the engine: a runaway file ends with an error naming it,
and the other files are still reviewed."""

from __future__ import annotations

import os
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


def limit_memory(mib: int) -> None:
    """Cap this process's address space at its current size plus `mib` MiB (engine workers only:
    a file that needs more raises MemoryError there, which costs only that file). No-op where
    the platform has no such limit."""
    try:
        import resource
    except ImportError:  # Windows
        return
    if mib <= 0:
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return  # no /proc (macOS): no baseline to add the budget to
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = current + mib * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
