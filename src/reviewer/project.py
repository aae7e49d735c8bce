"""The project model: for each reviewed file, the project it belongs to (manifests walking up from
it), what that project declares, what it can import locally, and which PyPI project provides an
import name. Read from files only (nothing is imported or run); cached per directory per process.
"""

from __future__ import annotations

import ast
import configparser
import gzip
import os
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from reviewer.analysis.environment import (
    installed_requirements,
    is_installed_in,
    modules_of,
    normalize,
    requirement_name,
    stdlib_modules,
)
from reviewer.analysis.pypi_names import DataError, data_path, is_known, popular_names, popular_ranked

#: Files that declare what a project depends on (requirements files are matched by pattern).
MANIFESTS = ("pyproject.toml", "setup.cfg", "setup.py", "Pipfile", "environment.yml", "environment.yaml",
             "tox.ini")
_REQUIREMENTS = re.compile(r"^requirements.*\.(?:txt|in|lock)$|^(?:dev-)?requirements\.lock$|^constraints.*\.txt$")
#: Where a repository ends when walking up.
_REPOSITORY_MARKERS = (".git", ".hg", ".svn")
#: Top-level directories of a repository that are not the package: their imports are examples,
#: docs and tooling, whose dependencies projects rarely declare.
NOT_PACKAGE_DIRS = frozenset({
    "docs", "doc", "docs_src", "examples", "example", "scripts", "script", "benchmarks", "benchmark",
    "tests", "test", "testing", "tools", "demo", "demos", "tutorials", "samples", "notebooks", "bin",
})
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
IMPORT_TABLE = "import_names.tsv.gz"
REQUIREMENTS_TABLE = "requirements.tsv.gz"


@dataclass(frozen=True)
class Manifest:
    """One file that declares dependencies."""

    path: Path
    distributions: frozenset[str] = frozenset()  #: normalized names of declared distributions
    own: frozenset[str] = frozenset()  #: the project's own name(s)
    pins: tuple[tuple[str, str], ...] = ()  #: (normalized distribution, version) for `==` pins
    #: Describes an installable package (pyproject [project]/poetry, setup.py, setup.cfg), as
    #: opposed to an application's environment (requirements, Pipfile, environment.yml).
    library: bool = False


@dataclass(frozen=True)
class Project:
    """The project of one directory: the manifests from it up to the repository's top."""

    directory: Path
    top: Path
    chain: tuple[Path, ...]  #: the directory, its parents ... up to `top`
    manifests: tuple[Manifest, ...]  #: along the chain, nearest first

    @property
    def nearest(self) -> Manifest | None:
        return self.manifests[0] if self.manifests else None

    def declared_modules(self) -> frozenset[str]:
        """Normalized top-level modules the manifests from the file's directory up to the
        project's top provide (a monorepo's root declares what its parts share)."""
        return _modules_declared(self.manifests)

    def declares(self, module: str) -> bool:
        return normalize(module) in self.declared_modules()

    def declares_dependencies(self) -> bool:
        return any(m.distributions for m in self.manifests)

    def pin_of(self, distribution: str) -> str | None:
        wanted = normalize(distribution)
        for manifest in self.manifests:
            for name, version in manifest.pins:
                if name == wanted:
                    return version
        return None

    def is_local(self, module: str) -> bool:
        """A module or package the file can import from its project: `module.py` or `module/`
        in the file's directory or any parent up to the top, or in their `src/`."""
        return module in local_names(self.chain) or normalize(module) in {
            normalize(n) for m in self.manifests for n in m.own
        }

    def is_test_fixture(self, module: str) -> bool:
        """A module in a subdirectory of the tests around the file (`tests/test_apps/app/`),
        which test setup puts on `sys.path`."""
        return module in _test_tree_names(self.chain)

    def in_package(self, path: Path) -> bool:
        """Whether `path` is code the nearest library manifest ships: under its directory (or its
        `src/`), not under docs, examples, tests, scripts..., and not a tooling file (setup.py)."""
        manifest = next((m for m in self.manifests if m.library), None)
        if manifest is None:
            return self.nearest is not None  # an application: all of its code is its own
        base = manifest.path.parent
        try:
            parts = path.resolve().relative_to(base.resolve()).parts
        except ValueError:
            return False
        if parts and parts[0] == "src":
            parts = parts[1:]
        if len(parts) == 1:  # beside the manifest: the package only when named like it
            return normalize(Path(parts[0]).stem) in {normalize(n) for n in manifest.own}
        return bool(parts) and parts[0] not in NOT_PACKAGE_DIRS


def project_of(path: str, root: str = ".") -> Project:
    """The project of a reviewed file (`<stdin>` and other unsaved buffers: the working
    directory's); `root` is the scan's project root, where a project without manifests or a
    repository ends."""
    directory = Path.cwd() if path.startswith("<") else Path(path).absolute().parent
    return _project(str(directory), str(Path(root).absolute()))


def refresh() -> None:
    """Forget what was read: the pipeline calls this once per run, so edited manifests and new
    modules are seen by the next review (a Jupyter server reviews many times)."""
    for cached in (_project, manifests_in, local_names, _module_names, _modules_declared, _test_tree_names):
        cached.cache_clear()
    from reviewer.analysis import project_modules  # noqa: PLC0415 - it imports the engine, which imports this module

    project_modules.forget_locations()


@lru_cache(maxsize=4096)
def _project(directory: str, root: str) -> Project:
    start = Path(directory)
    chain: list[Path] = []
    home = Path.home()
    current = start
    while True:
        chain.append(current)
        if any((current / marker).exists() for marker in _REPOSITORY_MARKERS):
            break
        if current.parent == current or current == home:
            break
        current = current.parent
    manifests = [m for d in chain for m in manifests_in(str(d))]
    # Without a repository marker, the project ends at the highest directory holding a manifest,
    # or at the scan's root when that is higher (a folder of scripts without any manifest).
    if not any((chain[-1] / marker).exists() for marker in _REPOSITORY_MARKERS):
        ends = [i for i, d in enumerate(chain) if manifests_in(str(d)) or str(d) == root]
        chain = chain[: ends[-1] + 1] if ends else chain[:1]
    return Project(start, chain[-1], tuple(chain), tuple(manifests))


@lru_cache(maxsize=4096)
def manifests_in(directory: str) -> tuple[Manifest, ...]:
    base = Path(directory)
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return ()
    found: list[Manifest] = []
    for name in names:
        if name in MANIFESTS or _REQUIREMENTS.match(name):
            manifest = read_manifest(base / name)
            if manifest is not None:
                found.append(manifest)
    requirements_dir = base / "requirements"
    if "requirements" in names and requirements_dir.is_dir():
        for path in sorted(requirements_dir.glob("*.txt")) + sorted(requirements_dir.glob("*.in")):
            manifest = read_manifest(path)
            if manifest is not None:
                found.append(manifest)
    return tuple(found)


@lru_cache(maxsize=4096)
def local_names(chain: tuple[Path, ...]) -> frozenset[str]:
    names: set[str] = set()
    for directory in chain:
        for base in (directory, directory / "src"):
            names |= _module_names(str(base))
    return frozenset(names)


_TEST_DIRS = frozenset({"tests", "test", "testing"})


@lru_cache(maxsize=1024)
def _test_tree_names(chain: tuple[Path, ...]) -> frozenset[str]:
    names: set[str] = set()
    for directory in chain:
        if directory.name not in _TEST_DIRS:
            continue
        for child in _subdirectories(directory):
            names |= _module_names(str(child))
            for grandchild in _subdirectories(child):
                names |= _module_names(str(grandchild))
    return frozenset(names)


def _subdirectories(directory: Path) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(directory) if e.is_dir() and not e.name.startswith((".", "__"))]
    except OSError:
        return []


@lru_cache(maxsize=8192)
def _module_names(directory: str) -> frozenset[str]:
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return frozenset()
    names = set()
    for entry in entries:
        name = entry.name
        if name.endswith((".py", ".pyi")):
            names.add(name.rsplit(".", 1)[0])
        elif "." not in name and _IDENTIFIER.match(name):
            try:
                if entry.is_dir():
                    names.add(name)
            except OSError:
                continue
        elif name.endswith((".so", ".pyd")):
            names.add(name.split(".", 1)[0])
    return frozenset(names)


@lru_cache(maxsize=256)
def _modules_declared(manifests: tuple[Manifest, ...]) -> frozenset[str]:
    """What the declared distributions and, transitively, their own requirements provide (a
    project that declares torchvision gets pillow and numpy with it)."""
    declared = {_dash(d) for manifest in manifests for d in manifest.distributions | manifest.own}
    modules: set[str] = set()
    for distribution in with_requirements(declared):
        modules |= provided_by(distribution)
    return frozenset(modules)


def with_requirements(distributions: Iterable[str], depth: int = 4) -> set[str]:
    """The distributions and what they require, `depth` levels down (bundled table of popular
    projects, and the metadata of installed ones)."""
    found = set(distributions)
    frontier = set(found)
    for _ in range(depth):
        frontier = {r for d in frontier for r in _requirements_of(d)} - found
        if not frontier:
            break
        found |= frontier
    return found


def _requirements_of(distribution: str) -> tuple[str, ...]:
    bundled = requirements_table().get(distribution)
    if bundled is not None:
        return bundled
    return installed_requirements(distribution)


@cache
def requirements_table() -> dict[str, tuple[str, ...]]:
    """Distribution -> the distributions it requires unconditionally (PEP 503 names), for the
    popular projects (scripts/update_import_names.py)."""
    return _read_table(REQUIREMENTS_TABLE)


def provided_by(distribution: str) -> set[str]:
    """Normalized top-level modules a distribution provides: installed metadata, the bundled
    import-name table, and naming conventions."""
    modules = modules_of(distribution)
    modules.update(normalize(m) for m in _table_by_distribution().get(_dash(distribution), ()))
    return modules


# --- reading manifests ------------------------------------------------------------------------


def read_manifest(path: Path) -> Manifest | None:
    """The declarations of one manifest file, or None when it is unreadable or declares nothing."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    name = path.name
    try:
        if name == "pyproject.toml":
            return _pyproject(path, text)
        if name == "setup.py":
            return _setup_py(path, text)
        if name == "setup.cfg":
            return _setup_cfg(path, text)
        if name == "Pipfile":
            data = tomllib.loads(text)
            names = {*_table(data.get("packages")), *_table(data.get("dev-packages"))}
            return Manifest(path, frozenset(map(normalize, names)))
        if name.startswith("environment.y"):
            return Manifest(path, frozenset(map(normalize, _conda_names(text))))
        if name == "tox.ini":
            return Manifest(path, frozenset(map(normalize, _tox_names(text))))
    except (tomllib.TOMLDecodeError, SyntaxError, ValueError, RecursionError, configparser.Error):
        return None
    return _requirements(path, text.splitlines())


def _requirements(path: Path, lines: Iterable[str]) -> Manifest:
    names: set[str] = set()
    pins: list[tuple[str, str]] = []
    for line in lines:
        name = requirement_name(line)
        if name:
            names.add(normalize(name))
            pinned = re.search(r"==\s*([A-Za-z0-9.*+!-]+)", line.split("#", 1)[0])
            if pinned:
                pins.append((normalize(name), pinned.group(1)))
    return Manifest(path, frozenset(names), pins=tuple(pins))


def _pyproject(path: Path, text: str) -> Manifest:
    data = tomllib.loads(text)
    project = _table(data.get("project"))
    requirements = list(_strings(project.get("dependencies")))
    for group in _table(project.get("optional-dependencies")).values():
        requirements += _strings(group)
    for group in _table(data.get("dependency-groups")).values():  # PEP 735
        requirements += _strings(group)
    tool = _table(data.get("tool"))
    for key in ("dev-dependencies",):  # uv, rye, pdm
        for section in (_table(tool.get("uv")), _table(tool.get("rye"))):
            requirements += _strings(section.get(key))
    for group in _table(_table(tool.get("pdm")).get("dev-dependencies")).values():
        requirements += _strings(group)
    base = _requirements(path, requirements)
    names = set(base.distributions)
    poetry = _table(tool.get("poetry"))
    for key in ("dependencies", "dev-dependencies"):
        names |= {normalize(n) for n in _table(poetry.get(key))}
    for group in _table(poetry.get("group")).values():
        names |= {normalize(n) for n in _table(_table(group).get("dependencies"))}
    names.discard("python")
    own = {project["name"]} if isinstance(project.get("name"), str) else set()
    if isinstance(poetry.get("name"), str):
        own.add(poetry["name"])
    library = bool(project) or bool(poetry.get("name"))
    return Manifest(path, frozenset(names), frozenset(own), base.pins, library)


def _setup_py(path: Path, text: str) -> Manifest:
    """`setup(name=..., install_requires=[...], extras_require={...})` read with `ast`, literal
    values only (names bound to a literal at module level are followed); never executed."""
    tree = ast.parse(text)
    constants: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            constants[node.targets[0].id] = node.value
    requirements: list[str] = []
    own: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _call_name(node.func) == "setup"):
            continue
        for keyword in node.keywords:
            value = keyword.value
            if isinstance(value, ast.Name) and value.id in constants:
                value = constants[value.id]
            if keyword.arg == "name" and isinstance(value, ast.Constant) and isinstance(value.value, str):
                own.add(value.value)
            elif keyword.arg in ("install_requires", "tests_require", "setup_requires"):
                requirements += _literal_strings(value)
            elif keyword.arg == "extras_require" and isinstance(value, ast.Dict):
                for item in value.values:
                    requirements += _literal_strings(constants.get(item.id, item) if isinstance(item, ast.Name) else item)
    base = _requirements(path, requirements)
    return Manifest(path, base.distributions, frozenset(own), base.pins, library=True)


def _setup_cfg(path: Path, text: str) -> Manifest:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    requirements: list[str] = []
    if parser.has_option("options", "install_requires"):
        requirements += parser.get("options", "install_requires").splitlines()
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            requirements += value.splitlines()
    own = {parser.get("metadata", "name")} if parser.has_option("metadata", "name") else set()
    base = _requirements(path, requirements)
    return Manifest(path, base.distributions, frozenset(own), base.pins, library=bool(own))


def _conda_names(text: str) -> Iterator[str]:
    """Package names in a conda environment.yml's `dependencies:` (and its `pip:` list)."""
    inside = False
    for line in text.splitlines():
        if re.match(r"^dependencies\s*:", line):
            inside = True
            continue
        if inside and line and not line[0].isspace() and not line.startswith("-"):
            inside = False
        match = re.match(r"^\s*-\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line) if inside else None
        if match and match.group(1) not in ("pip", "python"):
            yield match.group(1).split("::")[-1]


def _tox_names(text: str) -> Iterator[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(text)
    for section in parser.sections():
        if section.startswith("testenv") and parser.has_option(section, "deps"):
            for line in parser.get(section, "deps").splitlines():
                name = requirement_name(line.split(":", 1)[-1] if re.match(r"^\s*[\w,-]+:", line) else line)
                if name:
                    yield name


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _literal_strings(node: ast.expr) -> list[str]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.splitlines()
    return []


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# --- which PyPI project provides an import name -------------------------------------------------


def _dash(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def import_table() -> dict[str, tuple[str, ...]]:
    """Import name -> distributions providing it (PEP 503 names, most popular first), from the
    bundled table of popular PyPI projects (scripts/update_import_names.py)."""
    return _read_table(IMPORT_TABLE)


def _read_table(name: str) -> dict[str, tuple[str, ...]]:
    """A bundled gzipped table of `key<TAB>value,value,...` lines; empty when it is missing."""
    try:
        raw = gzip.decompress(data_path(name).read_bytes()).decode("utf-8")
    except (DataError, OSError, EOFError):
        return {}
    table: dict[str, tuple[str, ...]] = {}
    for line in raw.splitlines():
        key, _, values = line.partition("\t")
        if key and values:
            table[key] = tuple(values.split(","))
    return table


@cache
def _table_by_distribution() -> dict[str, tuple[str, ...]]:
    reverse: dict[str, list[str]] = {}
    for module, distributions in import_table().items():
        for distribution in distributions:
            reverse.setdefault(distribution, []).append(module)
    return {name: tuple(modules) for name, modules in reverse.items()}


def pypi_provider(module: str) -> str | None:
    """A PyPI project that provides top-level `module`, or None if no known project does: the
    popular project named like it, else the most popular one the import-name table lists, else
    any known project named like it (or `python-x`, `pyx`, `x-python`)."""
    own = _dash(module)
    providers = import_table().get(module, ())
    try:
        if providers and (own not in popular_names() or _rank(providers[0]) < _rank(own)):
            return providers[0]  # `sklearn`: scikit-learn, not the placeholder project `sklearn`
        if own in popular_names():
            return own
        for candidate in (module, f"python-{module}", f"py{module}", f"{module}-python"):
            if is_known(candidate):
                return _dash(candidate)
    except DataError:
        return module  # no data: never call a module invented
    return None


@cache
def _ranks() -> dict[str, int]:
    return {name: rank for rank, name in enumerate(popular_ranked())}


def _rank(distribution: str) -> int:
    return _ranks().get(distribution, 1 << 30)


def looks_like_add_on(module: str) -> bool:
    """`pandas_cleaner`, `requests_retry`, `openai_tools`: a popular package's name joined with
    a generic word, the shape of the names assistants invent."""
    parts = [p for p in re.split(r"[_-]+", module.lower()) if p]
    if len(parts) < 2:
        return False
    return any(len(part) >= 4 and part in _popular_modules() for part in (parts[0], parts[-1]))


@cache
def _popular_modules() -> frozenset[str]:
    names = {name.replace("-", "_") for name in popular_names()}
    names |= {module.lower() for module, providers in import_table().items() if providers and is_popular(providers[0])}
    return frozenset(names)


def is_popular(distribution: str) -> bool:
    """One of the ~15,000 most downloaded PyPI projects (an obscure project of a plausible name
    may be a squatter's registration of a name assistants invent)."""
    try:
        return _dash(distribution) in popular_names()
    except DataError:
        return True


#: Standard-library modules of Python 2 that Python 3 renamed or removed (what replaces them).
PYTHON2_MODULES: dict[str, str] = {
    "StringIO": "io", "cStringIO": "io", "Queue": "queue", "urllib2": "urllib.request",
    "urlparse": "urllib.parse", "httplib": "http.client", "BaseHTTPServer": "http.server",
    "SimpleHTTPServer": "http.server", "CGIHTTPServer": "http.server", "ConfigParser": "configparser",
    "cPickle": "pickle", "Tkinter": "tkinter", "tkMessageBox": "tkinter.messagebox",
    "HTMLParser": "html.parser", "htmlentitydefs": "html.entities", "commands": "subprocess",
    "cookielib": "http.cookiejar", "Cookie": "http.cookies", "SocketServer": "socketserver",
    "xmlrpclib": "xmlrpc.client", "anydbm": "dbm", "dummy_thread": "_thread", "thread": "_thread",
    "copy_reg": "copyreg", "repr": "reprlib", "UserDict": "collections", "UserList": "collections",
    "UserString": "collections", "__builtin__": "builtins", "exceptions": "builtins",
    "md5": "hashlib", "sha": "hashlib", "sets": "builtins set", "dummy_threading": "threading",
}


# --- resolving an import ------------------------------------------------------------------------

FOUND = "found"  #: stdlib, installed, local, declared or listed as known
UNDECLARED = "undeclared"  #: a real PyPI project the file's project does not declare
PYTHON2 = "python2"  #: a Python 2 standard-library module
MISSING = "missing"  #: nothing provides it: possibly invented
#: Shaped like an add-on of a popular package (`pandas_cleaner`) and only a little-used PyPI
#: project has that name: invented, or registered by a squatter.
OBSCURE = "obscure"


@dataclass(frozen=True)
class Resolution:
    status: str
    provider: str | None = None  #: the PyPI project (UNDECLARED) or Python 3 module (PYTHON2)
    project: Project | None = None


def resolve_import(top: str, path: str, known: frozenset[str] = frozenset(), root: str = ".",
                   python_path: tuple[str, ...] = ()) -> Resolution:
    """Where the top-level module `top` imported by the file at `path` comes from (`python_path`:
    the import path of the environment the code runs in, when it is another one)."""
    if top in stdlib_modules() or top in known or is_installed_in(top, python_path):
        return Resolution(FOUND)
    project = project_of(path, root)
    if project.is_local(top) or project.declares(top):
        return Resolution(FOUND, project=project)
    if top in PYTHON2_MODULES:
        return Resolution(PYTHON2, PYTHON2_MODULES[top], project)
    provider = pypi_provider(top)
    if provider is None:
        return Resolution(MISSING, project=project)
    if not is_popular(provider) and looks_like_add_on(top):
        return Resolution(OBSCURE, provider, project)
    return Resolution(UNDECLARED, provider, project)
