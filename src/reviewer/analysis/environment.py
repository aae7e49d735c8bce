"""Which top-level modules an import can resolve to: stdlib, installed, declared, local or known.

Used by the hallucinated-import rule. Nothing here imports or executes the modules it asks about:
installed modules are found with `PathFinder.find_spec` (a file-system search) and the
distribution metadata. Environment facts are cached per process; a project's declared
dependencies are cached per root and re-read when its pyproject.toml or requirements files change.
"""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

#: Importable in every interpreter without being listed in `sys.stdlib_module_names`.
_ALWAYS = frozenset({"__main__", "__future__", "builtins"})

#: Distributions whose import name cannot be derived from their name, for dependencies that are
#: declared but not installed where the review runs (normalized distribution -> import names).
_KNOWN_DIST_MODULES: dict[str, tuple[str, ...]] = {
    "scikit_learn": ("sklearn",),
    "scikit_image": ("skimage",),
    "pillow": ("PIL",),
    "beautifulsoup4": ("bs4",),
    "opencv_python": ("cv2",),
    "opencv_python_headless": ("cv2",),
    "opencv_contrib_python": ("cv2",),
    "opencv_contrib_python_headless": ("cv2",),
    "protobuf": ("google",),
    "attrs": ("attr", "attrs"),
    "pymupdf": ("fitz", "pymupdf"),
    "psycopg2_binary": ("psycopg2",),
    "faiss_cpu": ("faiss",),
    "faiss_gpu": ("faiss",),
    "pycryptodome": ("Crypto",),
    "pycryptodomex": ("Cryptodome",),
    "pyopenssl": ("OpenSSL",),
    "mysqlclient": ("MySQLdb",),
    "discord_py": ("discord",),
    "grpcio": ("grpc",),
    "grpcio_tools": ("grpc_tools",),
    "websocket_client": ("websocket",),
    "gitpython": ("git",),
    "dnspython": ("dns",),
    "py_cpuinfo": ("cpuinfo",),
    "opensearch_py": ("opensearchpy",),
    "pywin32": ("win32api", "win32con", "win32com", "pywintypes"),
    "setuptools": ("setuptools", "pkg_resources"),
    "tensorflow_cpu": ("tensorflow",),
    "tensorflow_gpu": ("tensorflow",),
    "ruamel_yaml": ("ruamel",),
}

#: Distribution name prefixes that install into a shared namespace package (`google-cloud-storage`
#: provides `google.cloud.storage`, imported as top-level `google`).
_NAMESPACE_PREFIXES = frozenset(
    {"google", "azure", "opentelemetry", "jaraco", "zope", "backports", "sphinxcontrib", "oslo"}
)

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    """PEP 503-style name for comparisons: lowercase, runs of `-`, `_`, `.` become `_`."""
    return re.sub(r"[-_.]+", "_", name).lower()


# --- the running interpreter (cached per process) -------------------------------------------


@cache
def stdlib_modules() -> frozenset[str]:
    return frozenset(sys.stdlib_module_names) | frozenset(sys.builtin_module_names) | _ALWAYS


def packages_distributions() -> dict[str, list[str]]:
    """Top-level import name -> installed distributions providing it."""
    return _packages_distributions()


@cache
def _packages_distributions() -> dict[str, list[str]]:
    """Top-level import name -> distributions, from installed metadata (reads files once)."""
    try:
        return dict(importlib.metadata.packages_distributions())
    except (OSError, ValueError, TypeError, AttributeError):
        # Broken metadata of one distribution (unreadable files, a missing Name) must not break
        # the review: the file-system search in is_installed still works without it.
        return {}


@cache
def installed_requirements(distribution: str) -> tuple[str, ...]:
    """The unconditional requirements (PEP 503 names) of an installed distribution, if it is."""
    try:
        requires = importlib.metadata.requires(distribution) or []
    except (importlib.metadata.PackageNotFoundError, ValueError, OSError):
        return ()
    names = []
    for requirement in requires:
        if "extra ==" in requirement or "extra==" in requirement:
            continue
        name = requirement_name(requirement)
        if name:
            names.append(re.sub(r"[-_.]+", "-", name).lower())
    return tuple(names)


@cache
def _distribution_modules() -> dict[str, frozenset[str]]:
    """Normalized distribution name -> normalized top-level modules it installs."""
    found: dict[str, set[str]] = {}
    for module, distributions in _packages_distributions().items():
        for distribution in distributions:
            found.setdefault(normalize(distribution), set()).add(normalize(module))
    return {name: frozenset(modules) for name, modules in found.items()}


def is_installed_in(name: str, paths: tuple[str, ...] = ()) -> bool:
    """`is_installed`, or found on `paths`: the import path of another environment (a notebook's
    kernel, the project's virtualenv), searched the same way, by file system only."""
    return is_installed(name) or bool(paths) and _found_on(name, paths)


@lru_cache(maxsize=8192)
def _found_on(name: str, paths: tuple[str, ...]) -> bool:
    try:
        return importlib.machinery.PathFinder.find_spec(name, list(paths)) is not None
    except (ImportError, ValueError, OSError):
        return False


@cache
def is_installed(name: str) -> bool:
    """`name` can be imported in this interpreter (found on sys.path or in installed metadata).

    `PathFinder.find_spec` only searches the file system: it never imports or executes anything.
    It answers almost every import; the distribution metadata (slow to read: about 0.5 s for a
    few hundred distributions) is consulted only for names it cannot find, such as modules
    installed through custom import hooks (setuptools editable installs).
    """
    if name in sys.builtin_module_names:
        return True
    try:
        if importlib.machinery.PathFinder.find_spec(name) is not None:
            return True
    except (ImportError, ValueError, OSError):
        pass  # a broken path entry: fall back to the metadata
    return name in _packages_distributions()


# --- the reviewed project (cached per root, refreshed when its files change) -----------------


def declared_modules(root: str) -> frozenset[str]:
    """Normalized top-level modules provided by the dependencies the project at `root` declares,
    plus the project's own name."""
    signature = tuple(_signature(_dependency_files(Path(root))))
    return _declared_modules(signature) if signature else frozenset()


def _dependency_files(root: Path) -> list[Path]:
    try:
        files = [root / "pyproject.toml", *sorted(root.glob("requirements*.txt"))]
        files.extend(sorted((root / "requirements").glob("*.txt")))
    except OSError:
        return []
    return files


def _signature(files: Iterable[Path]) -> Iterator[tuple[str, int]]:
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        yield str(path), stat.st_mtime_ns


@lru_cache(maxsize=64)
def _declared_modules(signature: tuple[tuple[str, int], ...]) -> frozenset[str]:
    distributions: set[str] = set()
    for path, _ in signature:
        if path.endswith(".toml"):
            distributions.update(_pyproject_names(Path(path)))
        else:
            distributions.update(_requirements_names(Path(path)))
    return frozenset(module for name in distributions for module in modules_of(name))


def modules_of(distribution: str) -> set[str]:
    """Normalized top-level modules a distribution probably provides (its own name included)."""
    name = normalize(distribution)
    modules = {name}
    modules.update(_distribution_modules().get(name, ()))
    modules.update(normalize(m) for m in _KNOWN_DIST_MODULES.get(name, ()))
    # Conventions for the common case where the dependency is declared but not installed here:
    # python-dateutil -> dateutil, pyyaml -> yaml, django-x-python -> django_x, x-binary -> x.
    for prefix in ("python_", "py"):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            modules.add(name.removeprefix(prefix))
    for suffix in ("_python", "_py", "_binary"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            modules.add(name.removesuffix(suffix))
    head = name.split("_", 1)[0]
    if head in _NAMESPACE_PREFIXES:
        modules.add(head)
    return modules


def _pyproject_names(path: Path) -> set[str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return set()
    project = _table(data.get("project"))
    names: set[str] = set()
    if isinstance(project.get("name"), str):
        names.add(project["name"])
    requirements: list[Any] = list(_strings(project.get("dependencies")))
    for group in _table(project.get("optional-dependencies")).values():
        requirements.extend(_strings(group))
    for group in _table(data.get("dependency-groups")).values():  # PEP 735
        requirements.extend(_strings(group))
    names.update(n for n in map(requirement_name, requirements) if n)
    poetry = _table(_table(data.get("tool")).get("poetry"))
    for key in ("dependencies", "dev-dependencies"):
        names.update(_table(poetry.get(key)))
    for group in _table(poetry.get("group")).values():
        names.update(_table(_table(group).get("dependencies")))
    names.discard("python")  # poetry lists the interpreter among dependencies
    return names


def _requirements_names(path: Path) -> set[str]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return set()
    return {name for line in lines if (name := requirement_name(line))}


def requirement_name(line: str) -> str | None:
    """The distribution named by a PEP 508 requirement or a requirements.txt line, if any."""
    egg = _EGG.search(line)
    if egg:  # -e git+https://...#egg=name
        return egg.group(1)
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith(("-", ".", "/")) or "://" in line.split("@", 1)[0]:
        return None  # options (-r, -c, --index-url), local paths, bare URLs
    match = _REQUIREMENT_NAME.match(line)
    return match.group(1) if match else None


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


_PIP_INSTALL = re.compile(
    r"^\s*[!%]\s*(?:python3? -m )?(?:uv )?(?:pip3?|conda|mamba)\s+install\s+(.*)$", re.MULTILINE
)


def pip_installed_modules(source: str) -> set[str]:
    """Normalized modules a notebook installs itself (`!pip install x`, `%pip install x`)."""
    modules: set[str] = set()
    for match in _PIP_INSTALL.finditer(source):
        skip_next = False
        for token in match.group(1).split():
            token = token.strip("'\"")
            if skip_next or token.startswith("-"):
                # `-r file`, `-c file`, `-i url` take a value; flags (`-q`, `-U`) do not.
                skip_next = token in {"-r", "-c", "-i", "-e", "--index-url", "--extra-index-url"}
                continue
            name = requirement_name(token)
            if name:
                modules.update(modules_of(name))
    return modules


# --- files next to the reviewed code ----------------------------------------------------------


def is_local_module(name: str, directories: Iterable[Path]) -> bool:
    """A `name.py` file or a `name/` directory (package or namespace package) in a directory."""
    for directory in directories:
        try:
            if (directory / f"{name}.py").is_file() or (directory / name).is_dir():
                return True
        except OSError:
            continue
    return False
