"""Running an external analyzer: command-line chunks, and a process whose output goes to
temporary files (a full pipe would stall the tool until we collect it)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from typing import IO

# Windows caps a command line at 32 767 characters; POSIX allows far more than 100 KB.
MAX_COMMAND = 30_000 if sys.platform == "win32" else 100_000


def chunks(files: list[str], cmd: list[str]) -> list[list[str]]:
    """Split `files` so that `cmd` plus each chunk stays under MAX_COMMAND bytes of command line."""
    budget = MAX_COMMAND - sum(len(part) + 1 for part in cmd)
    out: list[list[str]] = []
    size = 0
    for file in files:
        cost = len(file.encode()) + 1
        if not out or size + cost > budget:
            out.append([])
            size = 0
        out[-1].append(file)
        size += cost
    return out


#: Exit code reported for a run that was killed for taking too long.
TIMED_OUT = -1000
#: How long a run may take before it is taken for hung and killed: generous, a guard against a
#: tool stuck on one pathological file, not a budget.
BASE_SECONDS, SECONDS_PER_FILE = 300.0, 2.0


class ToolProcess:
    """One run of a tool over some files; `start()` may be deferred, `wait()` always answers."""

    def __init__(self, cmd: list[str], files: list[str]) -> None:
        self.cmd = cmd
        self.files = files
        self.limit = BASE_SECONDS + SECONDS_PER_FILE * len(files)
        self.started = 0.0
        self.process: subprocess.Popen[bytes] | None = None
        self.error = ""  # why the process could not start
        # Closed in wait(); they must outlive start(), so no `with`.
        self.stdout: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115

    def start(self) -> None:
        if self.process is None and not self.error:
            try:
                self.process = subprocess.Popen([*self.cmd, *self.files], stdin=subprocess.DEVNULL,
                                                stdout=self.stdout, stderr=self.stderr)
                self.started = time.monotonic()
            except OSError as exc:
                self.error = f"cannot run {self.cmd[0]}: {exc}"

    def wait(self) -> tuple[int, str, str]:
        """(exit code, stdout, stderr); exit code -1 with the reason when it could not start."""
        self.start()
        try:
            if self.process is None:
                return -1, "", self.error
            try:
                code = self.process.wait(timeout=max(self.limit - (time.monotonic() - self.started), 0.1))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return TIMED_OUT, "", f"did not finish within {self.limit:.0f} s and was stopped"
            outputs = []
            for handle in (self.stdout, self.stderr):
                handle.seek(0)
                outputs.append(handle.read().decode("utf-8", "replace"))
            return code, outputs[0], outputs[1]
        finally:
            self.stdout.close()
            self.stderr.close()
