"""Long fuzzing run: generated programs and mutated notebooks through the engine, for N minutes.

Usage: python benchmarks/fuzz.py --minutes 30 [--out DIR]

The same properties as tests/engine/test_fuzz.py (tests/fuzzing.py), with fresh random seeds
batch after batch until the time is up. A failure stops the run: hypothesis shrinks it to a
small example, which is written to DIR (default: the system temp dir) so it can become a
regression test. Prints how many programs and notebooks were reviewed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from fuzzing import mutated_notebooks, programs, review_text  # noqa: E402

BATCH = 200


def _run(strategy: object, name: str, counter: list[int], rng: random.Random) -> None:
    @seed(rng.getrandbits(64))
    @settings(max_examples=BATCH, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(text: str) -> None:
        counter[0] += 1
        review_text(text, name)

    prop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--out", default=tempfile.gettempdir(), help="where a failing example goes")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    warnings.simplefilter("ignore", SyntaxWarning)
    rng = random.Random(args.seed)
    deadline = time.monotonic() + 60 * args.minutes
    counts = {"programs": [0], "notebooks": [0]}
    started = time.monotonic()
    try:
        while time.monotonic() < deadline:
            _run(programs, "fuzz.py", counts["programs"], rng)
            _run(mutated_notebooks(), "fuzz.ipynb", counts["notebooks"], rng)
    except Exception as exc:  # noqa: RV202 - reported with the example that caused it
        out = Path(args.out) / f"reviewer-fuzz-failure-{int(time.time())}.txt"
        notes = "\n".join(getattr(exc, "__notes__", ()))  # hypothesis's falsifying example
        trace = "".join(traceback.format_exception(exc))
        out.write_text(f"{notes}\n\n{trace}", encoding="utf-8")
        print(f"FAILED after {counts['programs'][0]} programs and {counts['notebooks'][0]} notebooks: "
              f"{type(exc).__name__}: {exc}\n(written to {out})", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    print(f"{counts['programs'][0]} generated programs and {counts['notebooks'][0]} mutated notebooks "
          f"reviewed in {elapsed / 60:.1f} min without a crash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
