"""The import path of a notebook's kernel, when the kernel runs another Python than the server.

A notebook's imports resolve in its kernel's environment, not in the server's: the kernelspec
named in the notebook's metadata gives the interpreter, which is asked for its `sys.path` (one
short run of that interpreter with a constant program; the reviewed code is never run).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from functools import lru_cache
from typing import Any

#: Printed by the kernel's interpreter; nothing else runs there.
_PROGRAM = "import json, sys; print(json.dumps([p for p in sys.path if p]))"
_TIMEOUT = 10.0
_log = logging.getLogger(__name__)


def kernel_python_path(notebook: dict[str, Any] | None, spec_manager: Any) -> tuple[str, ...]:
    """The kernel's import path, or () when it is the server's own Python or cannot be told."""
    if not isinstance(notebook, dict) or spec_manager is None:
        return ()
    kernelspec = (notebook.get("metadata") or {}).get("kernelspec") or {}
    name = kernelspec.get("name") if isinstance(kernelspec, dict) else None
    if not isinstance(name, str) or not name:
        return ()
    try:
        argv = list(spec_manager.get_kernel_spec(name).argv)
    except Exception as error:  # an unknown or broken kernelspec: review against the server's Python
        _log.debug("kernelspec %r not usable for import resolution: %s", name, error)
        return ()
    interpreter = argv[0] if argv else ""
    # A virtualenv's python is a link to the base interpreter: compare paths, not files.
    if not interpreter or interpreter in ("python", "python3", "{python}") or \
            os.path.abspath(interpreter) == os.path.abspath(sys.executable):
        return ()
    return interpreter_path(interpreter)


@lru_cache(maxsize=32)
def interpreter_path(interpreter: str) -> tuple[str, ...]:
    """The absolute entries of `interpreter`'s `sys.path`, or () when it cannot be run."""
    try:
        done = subprocess.run([interpreter, "-E", "-c", _PROGRAM], capture_output=True, text=True,
                              timeout=_TIMEOUT, check=False)
        paths = json.loads(done.stdout) if done.returncode == 0 else []
    except (OSError, subprocess.SubprocessError, ValueError):
        return ()
    return tuple(p for p in paths if isinstance(p, str) and os.path.isabs(p))
