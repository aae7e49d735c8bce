"""Security benchmark: per-CWE true/false-positive rates and Youden's J on tests/corpus/security.

Usage: python benchmarks/security.py [--corpus DIR] [--json [FILE]] [--check]

Ground truth is the per-line annotations of the corpus: in a `cweN/` directory, `# vuln: CWE-N`
makes the line a positive of row N (the sink of a vulnerable snippet) and `# safe: CWE-N` a
negative (the same sink in its fixed twin). A label is (path, cell, line); the row is the
directory's number.

An annotated line counts as flagged by an analyzer when one of its findings starts on the line
or spans it, and the finding's CWEs intersect the row's accepted set (ACCEPTED: related CWEs a
tool may use for the same weakness, e.g. 95 for 94). Three analyzers, all in one run and all
through `reviewer.pipeline.review` from inside the corpus (see benchmarks/detection.py):

- reviewer:     the default configuration (engine + ruff + bandit, merged). A finding counts
                unless its confidence is "low" (how the reviewer keeps a tool finding that its
                dataflow proved safe, without showing it as an error).
- bandit alone: engine and ruff off, every bandit test on; CWEs from bandit's issue_cwe.
- ruff S alone: engine and bandit off, ruff with every stable S rule (S101, S404, S603, S607
                included); CWEs from RUFF_CWE, this benchmark's table for all S codes.

Per row: TPR = flagged positives / positives, FPR = flagged negatives / negatives and
J = TPR - FPR; the overall row micro-averages (pools the counts of all rows). Targets for the
reviewer: J >= 0.8 in every row, and an overall J above both bandit's and ruff's.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from reviewer.config import Config, ToolSettings, load_config
from reviewer.model import Confidence, Finding, Source
from reviewer.pipeline import review

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "security"
TARGET_YOUDEN = 0.8

#: Row -> the CWEs that count as reporting that row's weakness (rows not listed: only themselves).
ACCEPTED: dict[int, frozenset[int]] = {
    row: frozenset(cwes) for row, cwes in {
        798: {798, 259, 321},
        328: {327, 328},
        916: {916, 327, 328, 759},
        330: {330, 338},
        377: {377, 379, 108},
        78: {78, 77},
        94: {94, 95},
        22: {22, 23, 36},
        605: {605, 200, 1327},
        79: {79, 80, 116},
        502: {502},
        295: {295},
        611: {611, 776},
        614: {614},
        1004: {1004},
        732: {732, 276},
        489: {489, 94, 215},
        347: {347, 345},
    }.items()
}

#: Every flake8-bandit rule of ruff (stable and preview) -> CWEs. The pipeline's ruff adapter
#: attaches a CWE to a few codes only; this table is the benchmark's own, complete mapping.
RUFF_CWE: dict[str, tuple[int, ...]] = {
    "S101": (703,),  # assert
    "S102": (94, 95),  # exec
    "S103": (732, 276),  # permissive file mode
    "S104": (605, 1327),  # bind to all interfaces
    "S105": (798, 259), "S106": (798, 259), "S107": (798, 259),  # hardcoded password
    "S108": (377,),  # hardcoded temp file
    "S110": (703, 390), "S112": (703, 390),  # try-except-pass / continue
    "S113": (400,),  # request without timeout
    "S201": (489, 215),  # flask debug=True
    "S202": (22,),  # tarfile extraction without member checks
    "S301": (502,), "S302": (502,),  # pickle, marshal
    "S303": (327, 328),  # md5/sha1
    "S304": (327,), "S305": (327,),  # weak cipher, ECB mode
    "S306": (377,),  # mktemp
    "S307": (94, 95),  # eval
    "S308": (79,),  # django mark_safe
    "S310": (22, 918),  # urlopen with file:/custom schemes
    "S311": (330, 338),  # random
    "S312": (319,),  # telnet
    **dict.fromkeys(("S313", "S314", "S315", "S316", "S317", "S318", "S319", "S320"), (611,)),
    "S321": (319,),  # ftp
    "S323": (295,),  # unverified SSL context
    "S324": (327, 328),  # hashlib md5/sha1
    "S401": (319,), "S402": (319,), "S403": (502,), "S404": (78,),  # imports (preview)
    **dict.fromkeys(("S405", "S406", "S407", "S408", "S409", "S410"), (611,)),
    "S411": (20,), "S412": (284,), "S413": (327,), "S415": (319,),
    "S501": (295,),  # verify=False
    "S502": (295, 327), "S503": (295, 327), "S504": (295, 327),  # ssl versions
    "S505": (326,),  # weak key size
    "S506": (502,),  # yaml.load
    "S507": (295,),  # paramiko AutoAddPolicy
    "S508": (319,), "S509": (327,),  # snmp
    **dict.fromkeys(("S601", "S602", "S603", "S604", "S605", "S606", "S607"), (78,)),
    "S608": (89,),  # SQL built from strings
    "S609": (78, 155),  # wildcard injection
    "S610": (89,), "S611": (89,),  # django extra / RawSQL
    "S612": (94,),  # logging.config.listen
    "S701": (79, 94), "S702": (79, 94),  # jinja2 autoescape=False, mako
    "S704": (79,),  # markupsafe Markup on dynamic text
}

_ANNOTATION = re.compile(r"#\s*(vuln|safe):\s*CWE-(\d+)")
_ROW = re.compile(r"cwe(\d+)")

Line = tuple[str, "int | None", int]  # (path relative to the corpus, notebook cell, line)
Annotation = tuple[str, "int | None", int, str, int]  # Line + (kind, annotated CWE)
Flag = tuple[str, "int | None", int, int, frozenset[int]]  # path, cell, first, last line, CWEs


def _load_detection() -> ModuleType:
    """benchmarks/detection.py (not a package): shared corpus helpers (_cwd, _cells, bandit_only)."""
    name = "benchmarks_detection"  # the name tests/test_corpus_ai.py loads it under
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("detection.py"))
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses resolve annotations through sys.modules
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name]


detection = _load_detection()


@dataclass(frozen=True)
class Score:
    positives: int
    negatives: int
    tp: int
    fp: int

    @property
    def tpr(self) -> float:
        return self.tp / self.positives if self.positives else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / self.negatives if self.negatives else 0.0

    @property
    def youden(self) -> float:
        return self.tpr - self.fpr

    def __add__(self, other: Score) -> Score:
        return Score(self.positives + other.positives, self.negatives + other.negatives,
                     self.tp + other.tp, self.fp + other.fp)

    def to_dict(self) -> dict[str, float | int]:
        return {"positives": self.positives, "negatives": self.negatives, "tp": self.tp,
                "fp": self.fp, "tpr": round(self.tpr, 4), "fpr": round(self.fpr, 4),
                "youden": round(self.youden, 4)}


@dataclass(frozen=True)
class Scan:
    flags: frozenset[Flag]
    errors: tuple[str, ...]  #: the pipeline's ToolErrors, as "tool: path: message"
    seconds: float


def accepted(row: int) -> frozenset[int]:
    return ACCEPTED.get(row, frozenset((row,)))


def row_of(path: str) -> int | None:
    """The row of a corpus path: the number of its `cweN` directory (None outside one)."""
    match = _ROW.fullmatch(path.split("/", 1)[0])
    return int(match.group(1)) if match and "/" in path else None


def rows(corpus: Path = CORPUS) -> list[int]:
    """Every row with a directory in the corpus, ascending."""
    return sorted(int(m.group(1)) for d in corpus.iterdir()
                  if d.is_dir() and (m := _ROW.fullmatch(d.name)))


def annotations(corpus: Path = CORPUS) -> list[Annotation]:
    """Every `# vuln:` / `# safe:` annotation in the corpus's .py and .ipynb files."""
    found: list[Annotation] = []
    for file in sorted(corpus.rglob("*")):
        if file.suffix not in (".py", ".ipynb") or not file.is_file():
            continue
        rel = file.relative_to(corpus).as_posix()
        for cell, lines in detection._cells(file):
            for number, text in enumerate(lines, start=1):
                for kind, cwe in _ANNOTATION.findall(text):
                    found.append((rel, cell, number, kind, int(cwe)))
    return found


def labels(corpus: Path = CORPUS) -> dict[int, tuple[set[Line], set[Line]]]:
    """row -> (positive lines, negative lines); the row is the annotation's directory."""
    out: dict[int, tuple[set[Line], set[Line]]] = {row: (set(), set()) for row in rows(corpus)}
    for path, cell, line, kind, _ in annotations(corpus):
        row = row_of(path)
        if row is None:
            continue
        positives, negatives = out.setdefault(row, (set(), set()))
        (positives if kind == "vuln" else negatives).add((path, cell, line))
    return out


def finding_cwes(finding: Finding) -> frozenset[int]:
    """The CWEs a finding reports: its own, plus RUFF_CWE's for a ruff S code."""
    cwes = set(finding.cwe)
    if finding.source is Source.RUFF:
        cwes.update(RUFF_CWE.get(finding.code, ()))
    return frozenset(cwes)


def to_flag(finding: Finding) -> Flag:
    loc = finding.location
    path = loc.path.removeprefix("./")
    last = loc.end_line if loc.end_line is not None and loc.end_line >= loc.line else loc.line
    return (path, loc.cell, loc.line, last, finding_cwes(finding))


def bandit_only(config: Config) -> Config:
    return detection.bandit_only(config)


def ruff_s_only(config: Config) -> Config:
    # Naming S101/S404/S603/S607 in select lifts the reviewer's default ignores of those codes.
    return replace(config, select=(), ignore=("RV",), bandit=ToolSettings(enabled=False),
                   ruff=ToolSettings(select=("S", "S101", "S404", "S603", "S607")))


#: analyzer -> (configure, drop low-confidence findings)
ANALYZERS: dict[str, tuple[object, bool]] = {
    "reviewer": (None, True),
    "bandit alone": (bandit_only, False),
    "ruff S alone": (ruff_s_only, False),
}


def scan(corpus: Path = CORPUS, configure: object = None, *, drop_low: bool = False) -> Scan:
    """Findings of `review` on the corpus, run from inside it (see detection.scan); errors are
    returned, not raised, so one unparsable snippet does not void the benchmark."""
    start = time.perf_counter()
    with detection._cwd(corpus):
        config = load_config(Path("."), {"cache": False})
        if callable(configure):
            config = configure(config)
        report = review(["."], config)
    kept = (f for f in report.findings if not (drop_low and f.confidence is Confidence.LOW))
    flags = frozenset(flag for flag in map(to_flag, kept) if flag[4])  # no CWE: never counts
    errors = tuple(f"{e.tool}: {e.path or '-'}: {e.message}" for e in report.errors)
    return Scan(flags, errors, time.perf_counter() - start)


def scan_all(corpus: Path = CORPUS) -> dict[str, Scan]:
    return {name: scan(corpus, configure, drop_low=drop)
            for name, (configure, drop) in ANALYZERS.items()}


def flagged(flags: frozenset[Flag] | set[Flag], line: Line, row: int) -> bool:
    path, cell, number = line
    want = accepted(row)
    return any(f[0] == path and f[1] == cell and f[2] <= number <= f[3] and f[4] & want
               for f in flags)


def outcomes(flags: frozenset[Flag] | set[Flag], truth: dict[int, tuple[set[Line], set[Line]]]
             ) -> dict[int, tuple[set[Line], set[Line]]]:
    """row -> (missed positive lines, falsely flagged negative lines)."""
    by_place: dict[tuple[str, int | None], list[Flag]] = {}
    for flag in flags:
        by_place.setdefault((flag[0], flag[1]), []).append(flag)
    out = {}
    for row, (positives, negatives) in truth.items():
        def hit(line: Line, row: int = row) -> bool:
            return flagged(by_place.get((line[0], line[1]), ()), line, row)  # type: ignore[arg-type]
        out[row] = ({line for line in positives if not hit(line)},
                    {line for line in negatives if hit(line)})
    return out


def scores(flags: frozenset[Flag] | set[Flag], truth: dict[int, tuple[set[Line], set[Line]]]
           ) -> dict[int, Score]:
    """Per-row scores of one analyzer's flags against `labels()`."""
    out = {}
    for row, (missed, false) in outcomes(flags, truth).items():
        positives, negatives = truth[row]
        out[row] = Score(len(positives), len(negatives), len(positives) - len(missed), len(false))
    return out


def overall(per_row: dict[int, Score]) -> Score:
    total = Score(0, 0, 0, 0)
    for s in per_row.values():
        total = total + s
    return total


def run_all(corpus: Path = CORPUS) -> dict[str, dict[int, Score]]:
    """analyzer -> row -> Score, for the three analyzers, in one run."""
    truth = labels(corpus)
    return {name: scores(result.flags, truth) for name, result in scan_all(corpus).items()}


def missed_targets(results: dict[str, dict[int, Score]]) -> list[str]:
    """The reviewer's targets that `results` miss, one line each (empty: all met)."""
    missed = [f"CWE-{row}: J {s.youden:.2f} < {TARGET_YOUDEN}"
              for row, s in sorted(results["reviewer"].items()) if s.youden < TARGET_YOUDEN]
    ours = overall(results["reviewer"]).youden
    for name, per_row in results.items():
        if name != "reviewer" and ours <= overall(per_row).youden:
            missed.append(f"overall J {ours:.3f} not ahead of {name} ({overall(per_row).youden:.3f})")
    return missed


def _table(results: dict[str, dict[int, Score]]) -> str:
    names = list(results)
    head = f"{'row':<10}{'pos':>5}{'neg':>5}" + "".join(f" | {n:^20}" for n in names) + " | target"
    sub = f"{'':<20}" + "".join(f" | {'TPR':>6}{'FPR':>7}{'J':>7}" for _ in names) + " |"
    out = [head, sub, "-" * len(head)]
    any_scores = next(iter(results.values()))
    for row in [*sorted(any_scores), None]:
        picked = {n: (overall(r) if row is None else r[row]) for n, r in results.items()}
        first = picked[names[0]]
        label = "overall" if row is None else f"CWE-{row}"
        line = f"{label:<10}{first.positives:>5}{first.negatives:>5}"
        line += "".join(f" | {s.tpr:>6.2f}{s.fpr:>7.2f}{s.youden:>7.2f}" for s in picked.values())
        if row is None:
            ahead = all(first.youden > s.youden for n, s in picked.items() if n != names[0])
            line += f" | {'ahead' if ahead else 'NOT ahead'}"
        else:
            line += f" | {'met' if first.youden >= TARGET_YOUDEN else 'MISSED'}"
        if row is None:
            out.append("-" * len(head))
        out.append(line)
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", nargs="?", const="-", metavar="FILE",
                        help="dump the numbers as JSON to FILE (no FILE or '-': standard output, "
                             "instead of the table)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when the reviewer misses a target")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    start = time.perf_counter()
    truth = labels(corpus)
    results_scans = scan_all(corpus)
    elapsed = time.perf_counter() - start
    results = {name: scores(s.flags, truth) for name, s in results_scans.items()}
    missed = missed_targets(results)
    if args.json is not None:
        data = {
            "corpus": str(corpus),
            "seconds": round(elapsed, 2),
            "target_youden": TARGET_YOUDEN,
            "analyzers": {name: {"rows": {str(row): s.to_dict() for row, s in per_row.items()},
                                 "overall": overall(per_row).to_dict(),
                                 "errors": list(results_scans[name].errors),
                                 "seconds": round(results_scans[name].seconds, 2)}
                          for name, per_row in results.items()},
            "missed_targets": missed,
        }
        text = json.dumps(data, indent=2)
        if args.json == "-":
            print(text)
            return 1 if args.check and missed else 0
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    files = sum(1 for f in corpus.rglob("*") if f.suffix in (".py", ".ipynb"))
    shown = corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus
    print(f"corpus: {shown}: {files} files, {len(truth)} CWE rows, "
          f"{sum(len(p) for p, _ in truth.values())} vulnerable and "
          f"{sum(len(n) for _, n in truth.values())} safe labelled lines\n")
    print(_table(results))
    print(f"\ntargets (reviewer): J >= {TARGET_YOUDEN} in every row, overall J ahead of each tool: "
          f"{'met' if not missed else 'NOT met'}")
    for line in missed:
        print(f"  missed: {line}")
    for name, result in results_scans.items():
        for error in result.errors:
            print(f"  {name} error: {error}")
    print(f"\n{elapsed:.1f} s wall time for the three analyzers ("
          + ", ".join(f"{n} {s.seconds:.1f} s" for n, s in results_scans.items()) + ")")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
