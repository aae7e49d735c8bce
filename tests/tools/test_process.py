"""A tool run that hangs is stopped and says so; the review goes on without it."""

from __future__ import annotations

import sys
import time

from reviewer.tools.process import TIMED_OUT, ToolProcess


def test_a_hung_tool_is_stopped_at_its_limit() -> None:
    run = ToolProcess([sys.executable, "-c", "import time; time.sleep(60)"], [])
    run.limit = 0.5
    started = time.monotonic()
    code, stdout, stderr = run.wait()
    assert code == TIMED_OUT and stdout == "" and "did not finish within" in stderr
    assert time.monotonic() - started < 10


def test_a_tool_that_finishes_in_time_answers_normally() -> None:
    run = ToolProcess([sys.executable, "-c", "import sys; print('ok'); sys.exit(3)"], [])
    assert run.wait() == (3, "ok\n", "")
