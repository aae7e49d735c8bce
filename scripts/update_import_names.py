"""Regenerate the bundled import-name table: which top-level modules popular PyPI projects install.

`import sklearn` is provided by scikit-learn, `import dotenv` by python-dotenv, `import yaml` by
PyYAML: the import name says little about the distribution. For projects installed where the review
runs, `importlib.metadata.packages_distributions()` answers; for the others, this table does.

Writes `rules/import_names.tsv.gz`: one line per import name that differs from the name of a
distribution providing it, `<import name>\\t<distribution>[,<distribution>...]` (PEP 503-normalized
distribution names, most popular first), sorted by import name. Names equal to their distribution
(`requests`) are not listed: the bundled list of PyPI projects already answers for them.

How: for each of the most downloaded projects (`rules/pypi_popular.txt.gz`, most popular first),
the newest release's wheel is read without downloading it: two HTTP range requests fetch the ZIP
central directory (the file list), whose first path components are the top-level modules
(`pkg/`, `mod.py`, `ext.cpython-311-x86_64-linux-gnu.so`; `*.dist-info` and `*.data` skipped).
Projects with only a source distribution are skipped.

Also writes `rules/requirements.tsv.gz`: `<distribution>\t<requirement>[,...]`, the unconditional
`Requires-Dist` of the same wheel (PEP 658 metadata, one small download per project; extras
left out), so a project that declares torchvision is known to get pillow and numpy with it.

Usage:
    python scripts/update_import_names.py [--limit N] [--workers 16] [--progress FILE]
NEEDS NETWORK to pypi.org and files.pythonhosted.org (never run by the tests). `--progress` keeps
what was read in a JSON file, so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import struct
import sys
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POPULAR = ROOT / "rules" / "pypi_popular.txt.gz"
OUTPUT = ROOT / "rules" / "import_names.tsv.gz"
REQUIRES = ROOT / "rules" / "requirements.tsv.gz"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
SIMPLE = "https://pypi.org/simple/{name}/"
_EXTENSION = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\.[^.]+)*\.(so|pyd)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _get(url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"User-Agent": "reviewer-import-names", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # fixed PyPI hosts
        return response.read(), dict(response.headers)


def newest_wheel(name: str) -> str | None:
    """URL of a wheel of the newest release that has one (pure-Python preferred)."""
    found = _newest_wheel_file(name)
    return found["url"] if found else None


def _newest_wheel_file(name: str) -> dict | None:
    data, _ = _get(SIMPLE.format(name=name), {"Accept": "application/vnd.pypi.simple.v1+json"})
    files = [f for f in json.loads(data).get("files", []) if f["filename"].endswith(".whl") and not f.get("yanked")]
    if not files:
        return None
    def version(f: dict) -> tuple:
        parts = f["filename"].split("-")
        return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.+]", parts[1] if len(parts) > 1 else ""))
    newest = max(version(f) for f in files)
    candidates = [f for f in files if version(f) == newest]
    candidates.sort(key=lambda f: ("none-any" not in f["filename"], "manylinux" not in f["filename"]))
    return candidates[0]


def wheel_names(url: str) -> list[str]:
    """Paths inside a remote wheel, from its ZIP central directory (range requests only)."""
    return [entry[0] for entry in _central_directory(url)]


def wheel_metadata(url: str) -> bytes | None:
    """The wheel's `*.dist-info/METADATA`, read with range requests (no full download)."""
    for name, method, compressed, offset in _central_directory(url):
        if name.endswith(".dist-info/METADATA") and name.count("/") == 1:
            header, _ = _get(url, {"Range": f"bytes={offset}-{offset + 29}"})
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            start = offset + 30 + name_length + extra_length
            data, _ = _get(url, {"Range": f"bytes={start}-{start + compressed - 1}"})
            return zlib.decompress(data, -15) if method == 8 else data
    return None


def _central_directory(url: str) -> list[tuple[str, int, int, int]]:
    """(path, compression method, compressed size, local header offset) of each entry."""
    tail, headers = _get(url, {"Range": "bytes=-65536"})
    end = tail.rfind(b"PK\x05\x06")
    if end < 0:
        raise ValueError("no end of central directory")
    size, offset = struct.unpack("<II", tail[end + 12 : end + 20])
    total = int(headers.get("Content-Range", "/0").rsplit("/", 1)[1] or 0)
    start_in_tail = len(tail) - (total - offset) if total else -1
    if 0 <= start_in_tail and start_in_tail + size <= len(tail):
        directory = tail[start_in_tail : start_in_tail + size]
    else:
        directory, _ = _get(url, {"Range": f"bytes={offset}-{offset + size - 1}"})
    entries, position = [], 0
    while position + 46 <= len(directory) and directory[position : position + 4] == b"PK\x01\x02":
        method = struct.unpack("<H", directory[position + 10 : position + 12])[0]
        compressed = struct.unpack("<I", directory[position + 20 : position + 24])[0]
        name_length, extra_length, comment_length = struct.unpack("<HHH", directory[position + 28 : position + 34])
        offset = struct.unpack("<I", directory[position + 42 : position + 46])[0]
        name = directory[position + 46 : position + 46 + name_length].decode("utf-8", "replace")
        entries.append((name, method, compressed, offset))
        position += 46 + name_length + extra_length + comment_length
    return entries


def top_level(paths: list[str]) -> set[str]:
    modules: set[str] = set()
    for path in paths:
        head, _, rest = path.partition("/")
        if head.endswith((".dist-info", ".data")):
            continue
        if rest:  # a package directory (or namespace package)
            if _IDENTIFIER.match(head):
                modules.add(head)
        elif head.endswith(".py") and _IDENTIFIER.match(head[:-3]):
            modules.add(head[:-3])
        elif (match := _EXTENSION.match(head)) is not None:
            modules.add(match.group(1))
    modules.discard("__init__")
    return modules


def read_project(name: str) -> list[str] | None:
    try:
        url = newest_wheel(name)
        return sorted(top_level(wheel_names(url))) if url else None
    except (urllib.error.URLError, ValueError, struct.error, OSError, json.JSONDecodeError) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return None


def read_requirements(name: str) -> list[str] | None:
    """The unconditional Requires-Dist of the newest wheel, from its PEP 658 metadata file."""
    try:
        found = _newest_wheel_file(name)
        if not found:
            return None
        try:
            data, _ = _get(found["url"] + ".metadata")  # PEP 658 (not always advertised)
        except urllib.error.HTTPError:
            data = wheel_metadata(found["url"]) or b""
    except (urllib.error.URLError, ValueError, OSError, json.JSONDecodeError, struct.error, zlib.error) as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return None
    requirements = []
    for line in data.decode("utf-8", "replace").splitlines():
        if not line.startswith("Requires-Dist:"):
            if not line.strip():
                break  # the headers end at the first blank line
            continue
        value = line.split(":", 1)[1]
        if "extra ==" in value or "extra==" in value:
            continue
        match = _REQUIREMENT.match(value)
        if match:
            requirements.append(normalize(match.group(1)))
    return sorted(set(requirements))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the N most popular projects")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--progress", type=Path, help="JSON file keeping what was read (resumable)")
    args = parser.parse_args(argv)
    ranked = [n for n in gzip.decompress(POPULAR.read_bytes()).decode().split("\n") if n]
    if args.limit:
        ranked = ranked[: args.limit]
    seen: dict[str, list[str] | None] = {}
    if args.progress and args.progress.exists():
        seen = json.loads(args.progress.read_text())
    todo = [n for n in ranked if n not in seen]
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        futures = {pool.submit(read_project, name): name for name in todo}
        for done, future in enumerate(as_completed(futures), 1):
            seen[futures[future]] = future.result()
            if args.progress and done % 200 == 0:
                args.progress.write_text(json.dumps(seen))
                print(f"{done}/{len(todo)}", file=sys.stderr)
    if args.progress:
        args.progress.write_text(json.dumps(seen))
    providers: dict[str, list[str]] = {}
    for name in ranked:  # most popular first
        for module in seen.get(name) or ():
            if normalize(module) != name:
                providers.setdefault(module, []).append(name)
    lines = [f"{module}\t{','.join(dists)}" for module, dists in sorted(providers.items())]
    OUTPUT.write_bytes(gzip.compress("\n".join(lines).encode(), compresslevel=9, mtime=0))
    requires: dict[str, list[str] | None] = {}
    if args.progress:
        requires_progress = args.progress.with_name(args.progress.stem + "-requires.json")
        if requires_progress.exists():
            requires = json.loads(requires_progress.read_text())
    todo = [n for n in ranked if n not in requires]
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        futures = {pool.submit(read_requirements, name): name for name in todo}
        for done, future in enumerate(as_completed(futures), 1):
            requires[futures[future]] = future.result()
            if args.progress and done % 200 == 0:
                requires_progress.write_text(json.dumps(requires))
                print(f"requirements {done}/{len(todo)}", file=sys.stderr)
    if args.progress:
        requires_progress.write_text(json.dumps(requires))
    rows = [f"{name}\t{','.join(deps)}" for name in sorted(requires) if (deps := requires[name])]
    REQUIRES.write_bytes(gzip.compress("\n".join(rows).encode(), compresslevel=9, mtime=0))
    print(f"{REQUIRES.relative_to(ROOT)}: requirements of {len(rows)} projects, {REQUIRES.stat().st_size} bytes")
    read = sum(1 for n in ranked if seen.get(n))
    print(f"{OUTPUT.relative_to(ROOT)}: {len(lines)} import names from {read} of {len(ranked)} projects, "
          f"{OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
