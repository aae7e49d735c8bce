"""External benchmark: per-CWE detection rates of reviewer, bandit and ruff S on vulnerable samples.

Usage: python benchmarks/external.py DIR [--related] [--keep-low]  (DIR/CWE-<n>/*.py: samples of n)
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import security  # benchmarks/security.py, beside this script: RUFF_CWE and accepted()

TOOLS = ("reviewer", "bandit", "ruff S")
_DIR = re.compile(r"CWE-0*(\d+)", re.IGNORECASE)


@dataclass
class Hit:
    """What one tool reported in one sample file."""
    cwes: set[int] = field(default_factory=set)  #: CWEs of its counted findings
    security: bool = False  #: any counted security finding at all
    codes: list[str] = field(default_factory=list)  #: codes of its counted security findings
    low: list[str] = field(default_factory=list)  #: reviewer: its uncounted low-confidence findings


@dataclass
class Run:
    hits: dict[str, Hit]  #: sample path (relative to DIR) -> what the tool reported there
    errors: list[str]
    seconds: float


def samples(root: Path) -> dict[str, int]:
    """Sample path (relative to root, posix) -> the CWE of its top-level `CWE-<n>` directory."""
    out: dict[str, int] = {}
    for file in sorted(root.rglob("*.py")):
        rel = file.relative_to(root)
        match = _DIR.fullmatch(rel.parts[0]) if len(rel.parts) > 1 else None
        if match:
            out[rel.as_posix()] = int(match.group(1))
    return out


def unparsable(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """Samples this Python cannot parse -> the syntax error."""
    bad: dict[str, str] = {}
    for rel in paths:
        try:
            ast.parse((root / rel).read_bytes(), rel)
        except (SyntaxError, ValueError) as exc:
            bad[rel] = f"{type(exc).__name__}: {exc}"
    return bad


def targeted_cwes() -> set[int]:
    """Every CWE in the `cwe` field of a rule of `reviewer rules --format json`."""
    done = subprocess.run([sys.executable, "-m", "reviewer", "rules", "--format", "json"],
                          capture_output=True, text=True, check=True, timeout=120)
    return {cwe for rule in json.loads(done.stdout) for cwe in rule.get("cwe") or ()}


def _rel(path: str, work: Path) -> str:
    """A tool's path of a sample (relative to the work dir, or absolute) -> relative to DIR."""
    full = Path(path) if Path(path).is_absolute() else work / path
    return full.resolve().relative_to((work / "samples").resolve()).as_posix()


def _run(cmd: list[str], work: Path, ok: tuple[int, ...]) -> tuple[str, str | None]:
    done = subprocess.run(cmd, check=False, cwd=work, capture_output=True, text=True, timeout=600)
    if done.returncode not in ok:
        return done.stdout, f"exit {done.returncode}: {done.stderr.strip()[-500:]}"
    return done.stdout, None


def run_reviewer(work: Path, keep_low: bool = False) -> Run:
    """The default reviewer (engine + ruff + bandit, merged). As in benchmarks/security.py, a
    low-confidence finding (the reviewer's way of keeping a tool finding it judged safe) does not
    count unless `keep_low`, and a ruff S finding also carries its RUFF_CWE CWEs."""
    start = time.perf_counter()
    out = work / "reviewer.json"
    _, error = _run([sys.executable, "-m", "reviewer", "scan", "--format", "json", "--output",
                     str(out), "--no-cache", "--no-llm", "--fail-on", "never", "--quiet",
                     "samples"], work, (0,))
    hits: dict[str, Hit] = {}
    errors = [f"reviewer: {error}"] if error else []
    if out.exists():
        report = json.loads(out.read_text(encoding="utf-8"))
        errors += [f"reviewer: {json.dumps(e)}" for e in report.get("errors", [])]
        for f in report["findings"]:
            hit = hits.setdefault(_rel(f["location"]["path"], work), Hit())
            cwes = set(f.get("cwe") or ())
            if f.get("source") == "ruff":
                cwes.update(security.RUFF_CWE.get(f["code"], ()))
            if f.get("confidence") == "low" and not keep_low:
                hit.low.append(f"{f['code']} {sorted(cwes)}")
                continue
            hit.cwes |= cwes
            if f.get("category") == "security":
                hit.security = True
                hit.codes.append(f["code"])
    return Run(hits, errors, time.perf_counter() - start)


def run_bandit(work: Path) -> Run:
    """bandit alone, every test on; CWEs from its issue_cwe."""
    start = time.perf_counter()
    stdout, error = _run([sys.executable, "-m", "bandit", "-q", "-r", "-f", "json", "samples"],
                         work, (0, 1))
    hits: dict[str, Hit] = {}
    errors = [f"bandit: {error}"] if error else []
    report = json.loads(stdout) if stdout.strip() else {"results": [], "errors": []}
    errors += [f"bandit: {e.get('filename')}: {e.get('reason')}" for e in report["errors"]]
    for r in report["results"]:
        hit = hits.setdefault(_rel(r["filename"], work), Hit())
        hit.cwes.add((r.get("issue_cwe") or {}).get("id", 0))
        hit.security = True
        hit.codes.append(r["test_id"])
    return Run(hits, errors, time.perf_counter() - start)


def run_ruff(work: Path) -> Run:
    """ruff alone with its stable S rules; CWEs from RUFF_CWE (benchmarks/security.py)."""
    start = time.perf_counter()
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if exe is None:
        return Run({}, ["ruff: executable not found"], 0.0)
    stdout, error = _run([exe, "check", "--isolated", "--select", "S", "--output-format", "json",
                          "--exit-zero", "samples"], work, (0,))
    hits: dict[str, Hit] = {}
    errors = [f"ruff: {error}"] if error else []
    for d in json.loads(stdout) if stdout.strip() else []:
        rel = _rel(d["filename"], work)
        if not (d.get("code") or "").startswith("S"):  # a syntax error, not a finding
            errors.append(f"ruff: {rel}: {d.get('message')}")
            continue
        hit = hits.setdefault(rel, Hit())
        hit.cwes.update(security.RUFF_CWE.get(d["code"], ()))
        hit.security = True
        hit.codes.append(d["code"])
    return Run(hits, errors, time.perf_counter() - start)


def scan_all(root: Path, keep_low: bool = False) -> dict[str, Run]:
    """The three tools on a copy of root's .py files, in a temporary project of its own (an
    empty [tool.reviewer] table) so that no enclosing project's configuration applies."""
    with tempfile.TemporaryDirectory(prefix="reviewer-external-") as tmp:
        work = Path(tmp)
        (work / "pyproject.toml").write_text("[tool.reviewer]\n", encoding="utf-8")
        shutil.copytree(root, work / "samples", ignore=lambda d, names: [
            n for n in names if not n.endswith(".py") and not (Path(d) / n).is_dir()])
        return {"reviewer": run_reviewer(work, keep_low), "bandit": run_bandit(work),
                "ruff S": run_ruff(work)}


def detected(hit: Hit | None, cwe: int, related: bool) -> bool:
    want = security.accepted(cwe) if related else {cwe}
    return hit is not None and bool(hit.cwes & want)


def _cell(k: int, n: int, rate: bool = False) -> str:
    return f"{k:>3}/{n:<3}" + (f"{100 * k / n:>4.0f}%" if rate else "")


def table(truth: dict[str, int], runs: dict[str, Run], targets: set[int], related: bool) -> str:
    def row(label: str, paths: list[str], rate: bool = False) -> str:
        strict = [sum(detected(runs[t].hits.get(p), truth[p], related) for p in paths)
                  for t in TOOLS]
        lenient = [sum(p in runs[t].hits and runs[t].hits[p].security for p in paths)
                   for t in TOOLS]
        cells = [f"{_cell(k, len(paths), rate):^12}" for k in strict + lenient]
        return f"{label:<10}{len(paths):>4} | " + "".join(cells[:3]) + " | " + "".join(cells[3:])

    by_cwe: dict[int, list[str]] = {}
    for path, cwe in truth.items():
        by_cwe.setdefault(cwe, []).append(path)
    names = "".join(f"{t:^12}" for t in TOOLS)
    sub = f"{'CWE':<10}{'n':>4} | {names} | {names}"
    strict, lenient = "strict: a finding of the CWE", "lenient: any security finding"
    head = f"{'':<14} | {strict:^36} | {lenient:^36}"
    lines = [head, sub, "-" * len(sub)]
    lines += [row(f"CWE-{cwe:03d}" + ("*" if cwe in targets else ""), by_cwe[cwe])
              for cwe in sorted(by_cwe)]
    lines.append("-" * len(sub))
    lines.append(row("overall", list(truth), rate=True))
    lines.append(row("targeted*", [p for p in truth if truth[p] in targets], rate=True))
    lines.append(row("untargeted", [p for p in truth if truth[p] not in targets], rate=True))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, help="directory of CWE-<n>/ directories of .py samples")
    parser.add_argument("--related", action="store_true",
                        help="strict also accepts the related CWEs of benchmarks/security.py's "
                             "ACCEPTED table (e.g. 259 for 798) instead of the exact CWE only")
    parser.add_argument("--keep-low", action="store_true",
                        help="count the reviewer's low-confidence findings too")
    args = parser.parse_args()
    root = args.root.resolve()
    truth = samples(root)
    if not truth:
        parser.error(f"{root}: no CWE-<n>/*.py samples")
    bad = unparsable(root, truth)
    targets = targeted_cwes()
    start = time.perf_counter()
    runs = scan_all(root, args.keep_low)
    elapsed = time.perf_counter() - start

    cwes = sorted(set(truth.values()))
    print(f"{root}: {len(truth)} sample files in {len(cwes)} CWE directories")
    print("strict: the tool reports a finding in the file whose CWE is the directory's"
          + (" (or a related one)" if args.related else "") + "; lenient: any security finding "
          "in the file.\n* = a CWE in the cwe field of a reviewer rule. Reviewer findings of low "
          "confidence " + ("count." if args.keep_low else "do not count (as in security.py).")
          + "\n")
    print(table(truth, runs, targets, args.related))

    untargeted = [c for c in cwes if c not in targets]
    print(f"\nCWE directories no reviewer rule targets ({len(untargeted)}): "
          + ", ".join(f"CWE-{c:03d}" for c in untargeted))
    misses = [p for p in truth if truth[p] in targets
              and not detected(runs["reviewer"].hits.get(p), truth[p], args.related)]
    print(f"\nreviewer misses (strict) in targeted CWEs ({len(misses)}):")
    for path in misses:
        hit = runs["reviewer"].hits.get(path)
        said = ", ".join(sorted(set(hit.codes))) if hit and hit.codes else "no security finding"
        low = f"; low confidence, not counted: {', '.join(hit.low)}" if hit and hit.low else ""
        print(f"  {path}: {said}{low}")
    print(f"\nfiles that do not parse as Python {sys.version_info.major}.{sys.version_info.minor} "
          f"({len(bad)}): " + ("none" if not bad else ""))
    for path, message in bad.items():
        print(f"  {path}: {message}")
    errors = [e for run in runs.values() for e in run.errors]
    print(f"tool errors ({len(errors)}): " + ("none" if not errors else ""))
    for error in errors:
        print(f"  {error}")
    print(f"\n{elapsed:.1f} s wall time (" + ", ".join(
        f"{name} {run.seconds:.1f} s" for name, run in runs.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
