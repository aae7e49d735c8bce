"""Regenerate the bundled lists of PyPI project names used by RV307 (unknown-package).

Writes two gzip files (one PEP 503-normalized name per line, `\\n`-separated):

- `rules/pypi_names.txt.gz`: every known PyPI project, sorted (about 886k names, 4 MB).
- `rules/pypi_popular.txt.gz`: the most downloaded projects, most popular first (about 15k), the
  reference set for typosquat detection.

Usage:
    python scripts/update_pypi_names.py --tsv PATH
        From a local TSV (columns: name, version, month, rank_among_15000_most_downloaded,
        summary; a header row). Every name is kept; names with a rank form the popular list.
    python scripts/update_pypi_names.py --from-pypi
        NEEDS NETWORK (never run by the tests): every name from PyPI's simple index JSON API
        (PEP 691, https://pypi.org/simple/). The simple index has no download counts, so the
        popular list is kept as it is unless `--tsv` is given too (then the TSV's ranks are used,
        and its names are added to PyPI's).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ROOT / "rules" / "pypi_names.txt.gz"
POPULAR = ROOT / "rules" / "pypi_popular.txt.gz"
SIMPLE_INDEX = "https://pypi.org/simple/"


def normalize(name: str) -> str:
    """PEP 503: lowercase, runs of `-`, `_`, `.` become `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_tsv(path: Path) -> tuple[set[str], list[str]]:
    """All names, and the ranked names ordered by rank."""
    csv.field_size_limit(1 << 30)
    names: set[str] = set()
    ranked: dict[str, int] = {}
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows, None)  # header
        for row in rows:
            if not row or not row[0].strip():
                continue
            name = normalize(row[0].strip())
            names.add(name)
            rank = row[3].strip() if len(row) > 3 else ""
            if rank.isdigit():
                ranked[name] = min(int(rank), ranked.get(name, 1 << 30))
    return names, sorted(ranked, key=lambda n: (ranked[n], n))


def read_pypi() -> set[str]:
    request = urllib.request.Request(
        SIMPLE_INDEX, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=300) as response:  # a fixed https URL
        data = json.load(response)
    return {normalize(project["name"]) for project in data.get("projects", [])}


def write(path: Path, names: list[str]) -> None:
    data = "\n".join(names).encode("ascii", errors="ignore")
    # mtime=0: the same names give the same bytes (no spurious diffs).
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{path.relative_to(ROOT)}: {len(names)} names, {path.stat().st_size} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tsv", type=Path, help="local TSV of PyPI projects (with ranks)")
    parser.add_argument("--from-pypi", action="store_true", help="fetch names from pypi.org")
    args = parser.parse_args(argv)
    if not args.tsv and not args.from_pypi:
        parser.error("give --tsv PATH and/or --from-pypi")
    names: set[str] = set()
    popular: list[str] = []
    if args.tsv:
        names, popular = read_tsv(args.tsv)
    if args.from_pypi:
        names |= read_pypi()
    if not names:
        print("no names read; nothing written", file=sys.stderr)
        return 1
    write(NAMES, sorted(n for n in names if n.isascii()))
    if popular:
        write(POPULAR, popular)
    return 0


if __name__ == "__main__":
    sys.exit(main())
