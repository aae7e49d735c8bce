"""Precision on real projects: scan pinned source distributions, match findings to hand labels.

Usage:
  python benchmarks/precision.py                     # fetch (once), scan, print the tables
  python benchmarks/precision.py --only flask,click  # a subset of the projects
  python benchmarks/precision.py --sample 3 --worksheet FILE  # unlabelled findings to label
  python benchmarks/precision.py --json FILE         # every figure, machine-readable

Projects are source distributions from PyPI (the simple JSON API, sha256-checked), unpacked under
--work (default: $REVIEWER_BENCH_DIR or the system temp dir), never into the repository. Each is
scanned as a user would scan it: `reviewer scan PATHS --format json` from the project's root, so
the project's own manifests are in view.

Labels (benchmarks/precision/labels.json) are findings we read and judged after reading the code,
on the scale of PRECISION_LABELS (copied in benchmarks/precision/README.md): TP (real), ACC
(debatable but fair), FP (wrong or noise), each with a one-line reason. A label is keyed by
project, path, cell, line and code, and carries the line's text so a moved line is noticed. A
finding matches a label when it reports the label's code (or lists it under `also`) on that line.

Figures:
- per code: findings now, labelled TP/ACC/FP among them, precision = TP / (TP + FP);
- per project: lines, findings per 1,000 lines by severity, error-level findings;
- against the labels: how many labelled TP are still reported (target >= 95 %), how many
  labelled FP are gone (target >= 90 %), and precision over the labelled findings reported now,
  plain and weighted by each code's real count (a per-code sample over-weights rare codes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "precision" / "labels.json"
VERDICTS = ("TP", "ACC", "FP")
SIMPLE_API = "https://pypi.org/simple/{name}/"


@dataclass(frozen=True)
class Project:
    name: str  #: PyPI name
    version: str
    paths: tuple[str, ...] = (".",)  #: what to scan, relative to the unpacked root
    kind: str = ""  #: what sort of code it is, for the tables


PROJECTS: tuple[Project, ...] = (
    Project("requests", "2.32.3", kind="HTTP library"),
    Project("click", "8.1.7", kind="CLI library + examples"),
    Project("rich", "13.9.4", kind="terminal library"),
    Project("httpx", "0.28.1", kind="HTTP library"),
    Project("flask", "3.1.0", kind="web framework + example apps"),
    Project("fastapi", "0.115.6", kind="web framework + docs apps"),
    Project("django", "5.1.4", ("django", "scripts"), kind="web framework"),
    Project("openai", "1.57.0", kind="API SDK + quickstart examples"),
    Project("anthropic", "0.40.0", kind="API SDK + examples"),
    Project("instructor", "1.7.2", kind="LLM-app library + examples, notebooks"),
    Project("accelerate", "1.2.1", kind="ML training library"),
    Project("timm", "1.0.12", kind="ML models + training scripts"),
    Project("shap", "0.46.0", kind="ML explainability library"),
    Project("pygame", "2.6.1", kind="game library + example scripts"),
    Project("scikit-learn", "1.6.0", ("examples",), kind="data-science example scripts"),
    Project("statsmodels", "0.14.4", ("examples",), kind="data-science notebooks + scripts"),
    Project("sktime", "0.34.0", ("examples",), kind="data-science notebooks"),
)

#: Codes that took over a label's code (a rule split in two keeps its labels).
SUCCESSORS: dict[str, frozenset[str]] = {}


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def fetch(project: Project, work: Path) -> Path:
    """Download and unpack the project's sdist once; return the unpacked root."""
    target = work / "src" / f"{project.name}-{project.version}"
    marker = target / ".unpacked"
    if marker.exists():
        return _single_child(target)
    request = urllib.request.Request(SIMPLE_API.format(name=project.name),
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    prefix = f"{_normalize(project.name)}_{_normalize(project.version)}_"
    sdists = [f for f in files if f["filename"].endswith((".tar.gz", ".zip"))
              and _normalize(f["filename"]).startswith(prefix)]
    if not sdists:
        raise SystemExit(f"{project.name} {project.version}: no source distribution on PyPI")
    entry = sdists[0]
    archive = work / "dl" / entry["filename"]
    archive.parent.mkdir(parents=True, exist_ok=True)
    if not archive.exists():
        print(f"fetching {entry['filename']}", file=sys.stderr)
        with urllib.request.urlopen(entry["url"], timeout=300) as response:
            data = response.read()
        expected = entry.get("hashes", {}).get("sha256")
        if expected and hashlib.sha256(data).hexdigest() != expected:
            raise SystemExit(f"{entry['filename']}: sha256 mismatch")
        archive.write_bytes(data)
    target.mkdir(parents=True, exist_ok=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(target)
    else:
        with tarfile.open(archive) as bundle:
            bundle.extractall(target, filter="data")
    marker.touch()
    return _single_child(target)


def _single_child(target: Path) -> Path:
    children = [c for c in target.iterdir() if c.is_dir()]
    return children[0] if len(children) == 1 else target


def scan(project: Project, root: Path, reviewer: str, extra: list[str]) -> dict:
    """Run the real CLI from the project's root; returns its JSON report and the wall time."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        output = handle.name
    command = [reviewer, "scan", *project.paths, "--format", "json", "--no-cache", "--no-baseline",
               "-o", output, *extra]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(Path(output).read_text())
    except (OSError, json.JSONDecodeError):
        raise SystemExit(f"{project.name}: reviewer failed (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    finally:
        Path(output).unlink(missing_ok=True)
    report["_seconds"] = elapsed
    return report


def count_lines(root: Path, files: list[str]) -> int:
    """Lines of reviewed Python: .py files, and the code cells of notebooks."""
    total = 0
    for name in files:
        path = root / name
        try:
            if name.endswith(".ipynb"):
                cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
                for cell in cells:
                    if isinstance(cell, dict) and cell.get("cell_type") == "code":
                        source = cell.get("source") or ""
                        text = "".join(source) if isinstance(source, list) else str(source)
                        total += text.count("\n") + 1
            else:
                total += path.read_bytes().count(b"\n")
        except (OSError, ValueError):
            continue
    return total


def line_text(root: Path, path: str, cell: int | None, line: int) -> str:
    lines = source_lines(root, path, cell)
    return lines[line - 1].strip() if 0 < line <= len(lines) else ""


def source_lines(root: Path, path: str, cell: int | None) -> list[str]:
    try:
        if cell is None:
            return (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
        source = json.loads((root / path).read_text(encoding="utf-8"))["cells"][cell].get("source") or ""
        return ("".join(source) if isinstance(source, list) else str(source)).splitlines()
    except (OSError, ValueError, IndexError, KeyError, TypeError):
        return []


def label_key(project: str, path: str, cell: int | None, line: int) -> tuple:
    return (project, path, cell, line)


def load_labels(path: Path = LABELS) -> list[dict]:
    if not path.exists():
        return []
    labels = json.loads(path.read_text())
    for label in labels:
        if label["verdict"] not in VERDICTS:
            raise SystemExit(f"{path}: bad verdict {label['verdict']!r} in {label}")
    return labels


def finding_codes(finding: dict) -> set[str]:
    return {finding["code"], *finding.get("also", [])}


#: A label judged wrong only for repeating another finding (the same statement reported twice):
#: merged into that finding (listed under `also`), it is no longer reported.
_DUPLICATE = re.compile(r"(?i)already reported|same statement|second finding|duplicate finding|"
                        r"repeats the static|same .*statement .*already")


def match(labels: list[dict], findings_by_key: dict[tuple, list[dict]]) -> dict[int, dict | None]:
    """Label index -> the finding now reporting it (or None)."""
    matched: dict[int, dict | None] = {}
    for index, label in enumerate(labels):
        key = label_key(label["project"], label["path"], label.get("cell"), label["line"])
        wanted = SUCCESSORS.get(label["code"], frozenset({label["code"]}))
        duplicate = label["verdict"] == "FP" and _DUPLICATE.search(label.get("reason", "")) is not None
        matched[index] = next((f for f in findings_by_key.get(key, [])
                               if (f["code"] in wanted if duplicate else finding_codes(f) & wanted)), None)
    return matched


def _loc(finding: dict) -> tuple:
    location = finding["location"]
    return location["path"], location.get("cell"), location["line"]


def worksheet(results: dict[str, tuple[Project, Path, dict]], labels: list[dict], per_code: int,
              seed: int) -> list[dict]:
    """Unlabelled findings to judge: up to `per_code` per (project, code), with code around them."""
    labelled = {(l["project"], l["path"], l.get("cell"), l["line"], l["code"]) for l in labels}
    rng = random.Random(seed)
    rows: list[dict] = []
    for name, (project, root, report) in results.items():
        by_code: dict[str, list[dict]] = defaultdict(list)
        for finding in report["findings"]:
            path, cell, line = _loc(finding)
            if (name, path, cell, line, finding["code"]) not in labelled:
                by_code[finding["code"]].append(finding)
        for code, found in sorted(by_code.items()):
            already = sum(1 for l in labels if l["project"] == name and l["code"] == code)
            for finding in rng.sample(found, min(len(found), max(0, per_code - already))):
                path, cell, line = _loc(finding)
                lines = source_lines(root, path, cell)
                start, end = max(1, line - 8), min(len(lines), finding["location"].get("end_line") or line)
                end = min(len(lines), max(end, line) + 6)
                rows.append({
                    "project": name, "path": path, "cell": cell, "line": line, "code": finding["code"],
                    "also": finding.get("also", []), "severity": finding["severity"],
                    "message": finding["message"], "text": line_text(root, path, cell, line),
                    "root": str(root),
                    "context": "\n".join(f"{n:5}{'>' if n == line else ' '} {lines[n - 1]}"
                                         for n in range(start, end + 1)),
                })
    return rows


def summarize(results: dict[str, tuple[Project, Path, dict]], labels: list[dict]) -> dict:
    findings_by_key: dict[tuple, list[dict]] = defaultdict(list)
    per_code: dict[str, Counter] = defaultdict(Counter)
    projects = {}
    for name, (project, root, report) in results.items():
        severities = Counter(f["severity"] for f in report["findings"])
        lines = count_lines(root, report.get("files", []))
        projects[name] = {
            "kind": project.kind, "files": len(report.get("files", [])), "lines": lines,
            "findings": len(report["findings"]), "errors_reported": len(report.get("errors", [])),
            "superseded": len(report.get("superseded", ())),
            "seconds": round(report.get("_seconds", 0.0), 1),
            **{f"per_kloc_{s}": round(1000 * severities[s] / max(lines, 1), 2) for s in ("error", "warning", "note")},
            "error_level": severities["error"],
        }
        for finding in report["findings"]:
            path, cell, line = _loc(finding)
            findings_by_key[label_key(name, path, cell, line)].append(finding)
            per_code[finding["code"]]["count"] += 1
    in_scope = [l for l in labels if l["project"] in results]
    matched = match(in_scope, findings_by_key)
    reported_labels: dict[int, dict] = {i: f for i, f in matched.items() if f is not None}
    still_wrong = [{**in_scope[i], "now": f["code"]} for i, f in reported_labels.items() if in_scope[i]["verdict"] == "FP"]
    tp_lost = [l for i, l in enumerate(in_scope) if l["verdict"] == "TP" and i not in reported_labels]
    drift = [l for i, l in enumerate(in_scope) if i in reported_labels and "text" in l
             and l["text"] != line_text(results[l["project"]][1], l["path"], l.get("cell"), l["line"])]
    for index, finding in reported_labels.items():
        per_code[finding["code"]][in_scope[index]["verdict"]] += 1
    by_verdict = Counter(l["verdict"] for l in in_scope)
    kept = Counter(in_scope[i]["verdict"] for i in reported_labels)
    tp, fp = kept["TP"], kept["FP"]
    weighted = _weighted_precision(per_code)
    return {
        "projects": projects,
        "codes": {code: dict(counts) for code, counts in sorted(per_code.items(), key=lambda kv: -kv[1]["count"])},
        "labels": {
            "total": len(in_scope), **{v: by_verdict[v] for v in VERDICTS},
            "still_reported": {v: kept[v] for v in VERDICTS},
            "tp_kept": round(kept["TP"] / by_verdict["TP"], 3) if by_verdict["TP"] else None,
            "fp_removed": round(1 - kept["FP"] / by_verdict["FP"], 3) if by_verdict["FP"] else None,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "lenient_precision": round((tp + kept["ACC"]) / sum(kept.values()), 3) if kept else None,
            "weighted_precision": weighted,
            "drifted": len(drift),
        },
        "fp_still_reported": still_wrong,
        "tp_lost": tp_lost,
    }


def _weighted_precision(per_code: dict[str, Counter]) -> float | None:
    """Each code's labelled precision weighted by how many findings it has now."""
    numerator = denominator = 0.0
    for counts in per_code.values():
        judged = counts["TP"] + counts["FP"]
        if judged:
            numerator += counts["count"] * counts["TP"] / judged
            denominator += counts["count"]
    return round(numerator / denominator, 3) if denominator else None


def print_tables(summary: dict) -> None:
    print("| project | kind | files | lines | findings | errors | per kloc e/w/n | superseded | s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, p in summary["projects"].items():
        print(f"| {name} | {p['kind']} | {p['files']} | {p['lines']} | {p['findings']} | {p['error_level']} | "
              f"{p['per_kloc_error']}/{p['per_kloc_warning']}/{p['per_kloc_note']} | {p['superseded']} | {p['seconds']} |")
    total_lines = sum(p["lines"] for p in summary["projects"].values())
    total = sum(p["findings"] for p in summary["projects"].values())
    print(f"\nAll: {total} findings in {total_lines} lines ({1000 * total / max(total_lines, 1):.2f} per kloc), "
          f"{sum(p['error_level'] for p in summary['projects'].values())} at error level.\n")
    print("| code | findings | TP | ACC | FP | precision |")
    print("|---|---|---|---|---|---|")
    for code, c in summary["codes"].items():
        judged = c.get("TP", 0) + c.get("FP", 0)
        precision = f"{c.get('TP', 0) / judged:.2f}" if judged else "-"
        print(f"| {code} | {c['count']} | {c.get('TP', 0)} | {c.get('ACC', 0)} | {c.get('FP', 0)} | {precision} |")
    l = summary["labels"]
    print(f"\nLabels: {l['total']} ({l['TP']} TP, {l['ACC']} ACC, {l['FP']} FP); still reported: "
          f"{l['still_reported']}.")
    for lost in summary["tp_lost"]:
        print(f"TP no longer reported: {lost['project']} {lost['path']}:{lost['line']} {lost['code']}: {lost['reason']}")
    print(f"TP kept {l['tp_kept']}, FP removed {l['fp_removed']}; precision over labelled findings reported "
          f"now {l['precision']} (lenient {l['lenient_precision']}, weighted by code {l['weighted_precision']}).")
    if l["drifted"]:
        print(f"{l['drifted']} labels point at a line whose text changed: re-check them.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default=os.environ.get("REVIEWER_BENCH_DIR",
                                                         str(Path(tempfile.gettempdir()) / "reviewer-precision")))
    parser.add_argument("--only", help="comma-separated project names")
    parser.add_argument("--reviewer", default=str(Path(sys.executable).with_name("reviewer")))
    parser.add_argument("--labels", default=str(LABELS))
    parser.add_argument("--sample", type=int, default=0, help="with --worksheet: findings per (project, code)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--worksheet", help="write unlabelled findings to judge (JSON lines) here")
    parser.add_argument("--json", help="write the summary here")
    parser.add_argument("--reports", help="keep each project's JSON report in this directory")
    parser.add_argument("--from-reports", help="read the JSON reports kept by --reports instead of scanning")
    parser.add_argument("scan_args", nargs="*", help="extra `reviewer scan` arguments (after --)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    work = Path(args.work)
    labels = load_labels(Path(args.labels))
    results: dict[str, tuple[Project, Path, dict]] = {}
    for project in PROJECTS:
        if only and project.name not in only:
            continue
        root = fetch(project, work)
        if args.from_reports:
            report = json.loads(Path(args.from_reports, f"{project.name}.json").read_text())
        else:
            report = scan(project, root, args.reviewer, args.scan_args)
        print(f"{project.name}: {len(report['findings'])} findings in {report['_seconds']:.1f} s", file=sys.stderr)
        results[project.name] = (project, root, report)
        if args.reports:
            Path(args.reports).mkdir(parents=True, exist_ok=True)
            Path(args.reports, f"{project.name}.json").write_text(json.dumps(report, indent=1))
    summary = summarize(results, labels)
    print_tables(summary)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))
    if args.worksheet:
        rows = worksheet(results, labels, args.sample or 3, args.seed)
        Path(args.worksheet).write_text("".join(json.dumps(row) + "\n" for row in rows))
        print(f"{len(rows)} findings to judge written to {args.worksheet}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
