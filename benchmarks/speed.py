"""Speed benchmark: reviewer vs bandit alone vs ruff alone on the installed standard library.

Usage: python benchmarks/speed.py [--limit N] [--jobs N]
All runs use the same file list in one invocation of this script, so the figures compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = {"test", "tests", "idle_test", "site-packages", "__pycache__", "dist-packages"}
#: Every tool runs as installed by pip, with its bytecode cached (`.pyc`); some machines (CI
#: images, this sandbox) set PYTHONDONTWRITEBYTECODE, which recompiles every module of every
#: tool on each start and would mostly measure that.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def stdlib_files(limit: int | None) -> list[str]:
    root = Path(os.__file__).parent
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        files.extend(str(Path(dirpath, f)) for f in sorted(filenames) if f.endswith(".py"))
    return files[:limit] if limit else files


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class Result:
    name: str
    wall: float
    cpu: float
    peak: int
    code: int


def run(name: str, cmd: list[str], cwd: str) -> Result:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Result(name, wall, cpu, peak, code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first N files (quick check)")
    parser.add_argument("--jobs", type=int, default=0, help="reviewer --jobs (0: one per core)")
    args = parser.parse_args()
    files = stdlib_files(args.limit)
    lines = sum(Path(f).read_bytes().count(b"\n") for f in files)
    bindir = Path(sys.executable).parent
    reviewer = str(bindir / "reviewer")
    ruff = shutil.which("ruff", path=str(bindir)) or "ruff"
    print(f"corpus: {len(files)} files, {lines} lines from {Path(os.__file__).parent} "
          f"(test dirs skipped); {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as full, tempfile.TemporaryDirectory() as engine_only:
        Path(engine_only, "pyproject.toml").write_text("[tool.reviewer]\nruff = false\nbandit = false\n")
        Path(full, "pyproject.toml").write_text("[tool.reviewer]\n")
        scan = [reviewer, "scan", "--quiet", "--format", "json", "--jobs", str(args.jobs), "--output", os.devnull]
        results = [
            run("bandit alone", [sys.executable, "-m", "bandit", "-q", "-f", "json", "-o", os.devnull, *files], full),
            run("ruff alone", [ruff, "check", "--no-cache", "--isolated", "--exit-zero", "--output-format",
                               "json", "--select", "E9,F,B,S,PLE", *files], full),
            run("reviewer engine only (cold)", [*scan, *files], engine_only),
            run("reviewer + ruff + bandit (cold)", [*scan, *files], full),
            run("reviewer + ruff + bandit (warm)", [*scan, *files], full),
        ]
    print(f"\n{'run':<34}{'wall s':>8}{'cpu s':>8}{'peak MiB':>10}{'LOC/s':>10}{'exit':>6}")
    for r in results:
        print(f"{r.name:<34}{r.wall:>8.2f}{r.cpu:>8.2f}{r.peak / 2**20:>10.0f}{lines / r.wall:>10.0f}{r.code:>6}")
    bandit, _, engine, cold, warm = results
    print("\nratios (targets in brackets):")
    print(f"  reviewer cold / bandit alone wall: {cold.wall / bandit.wall:.2f}  [<= 1.5]")
    print(f"  engine only / bandit alone wall:   {engine.wall / bandit.wall:.2f}  [< 1.0]")
    print(f"  warm / cold wall:                  {warm.wall / cold.wall:.3f} [<= 0.05]")
    print(f"  peak memory (cold):                {cold.peak / 2**20:.0f} MiB [<= 1024]")


if __name__ == "__main__":
    main()
