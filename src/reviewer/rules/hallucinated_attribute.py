"""RV313 hallucinated-attribute: `json.parse(...)` or `from collections import OrderedDefaultDict`,
an attribute the (standard-library or installed) module does not define, read from its source."""

from __future__ import annotations

import difflib
import functools
import importlib.metadata
import re
import sys
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.analysis.environment import packages_distributions, stdlib_modules
from reviewer.engine.rule import Report
from reviewer.project import project_of
from reviewer.analysis.guards import guarded
from reviewer.engine.imports import dotted_name
from reviewer.analysis.module_names import ModuleInfo, resolve
from reviewer.model import Category, Confidence, Severity
from reviewer.rules.removed_api import load_pack, requires_python

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Handlers that make a lookup deliberate: `try: os.sched_getaffinity` / `except AttributeError:`.
_GUARD_HANDLERS = frozenset(
    {"AttributeError", "ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)
#: `if` tests that make code depend on the environment: feature and version checks.
_GUARD_TEST = re.compile(
    r"hasattr|getattr|version|platform|TYPE_CHECKING|os\.name|sys\.implementation|find_spec"
    r"|WIN|win32|darwin|linux|PY\d|HAS_|_AVAILABLE|_V\d|VERSION|is_\w+_version"
)
_LOWER_BOUND = re.compile(r">=?\s*(\d+)\.(\d+)")


class HallucinatedAttribute(Rule):
    """Attribute that does not exist in the standard-library or installed module it is read from.

    ## What it does
    Flags `module.attr` (through any import alias: `import numpy as np; np.attr`) and
    `from module import name` where `module` is a standard-library or installed module that does
    not define the name. What a module defines is read statically from its source (or `.pyi`
    stub) found on `sys.path`; the module is never imported. Its top-level definitions,
    assignments, imports, `__all__`, names bound inside `if`/`try` blocks, names functions declare
    `global`, star imports of readable modules and its submodules all count.

    Nothing is reported when the answer is not certain: C extensions without a stub, namespace
    packages, modules with a module-level `__getattr__`, a star import of an unreadable module,
    `globals()` updates or other run-time namespace changes; a name the module's text mentions
    anywhere, even in a comment (to stay fast, the source is parsed only to prove a name
    missing); names rebound in the module or in an enclosing function, or imported from two
    different modules (`try: import simplejson as json` / `except ImportError: import json`);
    lookups guarded by `try: ... except AttributeError` (or `ImportError`) or by an `if` on
    `hasattr`, the Python version, the platform or a version flag (`if PYDANTIC_V2:`);
    attributes the code assigns itself (`module.attr = ...`); modules of the file's own project
    that shadow an installed one. Standard-library modules are not checked when the project's
    `requires-python` starts above the Python running the review. Removed APIs listed in the
    RV305 pack (`collections.Mapping`) are left to RV305. When the project pins (`==`) another
    version of the distribution than the one installed where the review runs, the finding is a
    note that names both versions instead of an error.

    ## Why is this bad?
    AI assistants invent plausible functions: `json.parse`, `os.path.joinpath`,
    `requests.get_json`, `from collections import OrderedDefaultDict`. The code fails with an
    `AttributeError` or `ImportError` the first time that line runs, which may be deep in an
    error path no test covers. The message suggests a close existing name when there is one.
    """

    CODE = "RV313"
    NAME = "hallucinated-attribute"
    CATEGORY = Category.AI_HYGIENE
    SEVERITY = Severity.ERROR
    # The module is read from the environment running the review, which may hold another
    # version than the one the project runs with.
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "Attribute does not exist in the module it is read from"
    TRIGGERS = ("import",)

    VALID: ClassVar[list[Valid]] = [
        Valid("import json\nimport os.path\n\ndata = json.loads(os.path.join('a', 'b'))\n"),
        Valid("from collections import OrderedDict, defaultdict\nfrom json import decoder\n"),
        Valid(
            "import os\n\nif hasattr(os, 'sched_getaffinity'):\n"
            "    cores = len(os.sched_getaffinity(0))\n"
        ),
        Valid("import json\n\ndef load(json):\n    return json.parse()\n"),
        Valid("try:\n    from json import parse\nexcept ImportError:\n    parse = None\n"),
        Valid("import json\n\njson.parse = json.loads\nvalue = json.parse('1')\n"),
        Valid("import collections\n\nisinstance({}, collections.Mapping)\n"),  # RV305's
        Valid("import json\n\nprint(json.__version__, json.__file__)\n"),
        Valid(
            "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n\n"
            "data = json.parse_fast('{}')\n"
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import json\n\ndata = json.parse('{}')\n", line=3),
        Invalid("import os\n\npath = os.path.joinpath('a', 'b')\n", line=3),
        Invalid("from collections import OrderedDefaultDict\n", line=1),
        Invalid("import requests\n\ndata = requests.get_json('https://api.github.com')\n", line=3),
        Invalid("import subprocess as sp\n\nsp.run_command(['ls'])\n", line=3),
        Invalid("from os import path\n\nif path.is_file('x'):\n    pass\n", line=3),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._modules: dict[str, ModuleInfo | None] = {}
        self._candidates: list[tuple[cst.CSTNode, str, str, ModuleInfo, list[cst.CSTNode]]] = []
        self._assigned: set[str] = set()  #: `module.attr = ...` targets (monkeypatching)
        self._removed: set[str] | None = None
        self._bound_by: dict[str, set[str]] = {}  #: local name -> what its imports bind it to

    # --- collecting -------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = _local_name(alias) or name.split(".", 1)[0]
            self._bound_by.setdefault(local, set()).add(name if alias.asname else local)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module)
        if module is None:
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is not None and "." not in name:
                self._bound_by.setdefault(_local_name(alias) or name, set()).add(f"{module}.{name}")
                self._check(alias, module, name)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        head = node.value
        while isinstance(head, cst.Attribute):
            head = head.value
        imports = self.context.imports
        # The cheapest filter first: most attributes are on `self` or locals, not on imports.
        if not isinstance(head, cst.Name) or head.value not in imports.aliases:
            return
        if head.value in imports.rebound:
            return
        base = self.context.qualified_name(node.value)
        if base is None:
            return
        parent = self.context.parent()
        if (
            isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign))
            and parent.target is node
            or isinstance(parent, cst.Del)
        ):
            self._assigned.add(f"{base}.{node.attr.value}")
            return
        self._check(node, base, node.attr.value)

    def _check(self, node: cst.CSTNode, base: str, attr: str) -> None:
        info = self._module(base)
        if info is None or info.has(attr) is not False:
            return
        if guarded(self.context.stack, self.context.code_for, _GUARD_HANDLERS, _GUARD_TEST):
            return
        self._candidates.append((node, base, attr, info, list(self.context.stack)))

    def _module(self, base: str) -> ModuleInfo | None:
        if base not in self._modules:
            self._modules[base] = self._lookup(base)
        return self._modules[base]

    def _lookup(self, base: str) -> ModuleInfo | None:
        top = base.split(".", 1)[0]
        if top in stdlib_modules():
            if self._newer_python():
                return None  # the project targets a Python newer than the one reviewing it
        elif project_of(self.context.unit.path, self.context.config.root).is_local(top):
            return None  # a local module shadows the installed one
        return resolve(base)

    # --- deciding ----------------------------------------------------------------------------
    def finish(self) -> None:
        # One finding per missing name and file, at its first use: the fix is the same for all.
        uses: dict[str, list[tuple[cst.CSTNode, str, str, ModuleInfo, list[cst.CSTNode]]]] = {}
        for node, base, attr, info, stack in self._candidates:
            full = f"{base}.{attr}"
            if full in self._assigned or self._is_removed_api(full):
                continue
            head = (dotted_name(node.value) if isinstance(node, cst.Attribute) else None) or ""
            head = head.split(".", 1)[0]
            if head and len(self._bound_by.get(head, ())) > 1:
                continue  # `try: import simplejson as json` / `except: import json`
            if head and _rebound_in_scope(head, stack, self.context.code_for):
                continue
            uses.setdefault(full, []).append((node, base, attr, info, stack))
        for found in uses.values():
            node, base, attr, info, _ = found[0]
            more = self._more_uses([(use[0], use[4]) for use in found[1:]])
            pinned = self._other_version(base)
            if pinned is not None:
                # The project pins another version than the one installed here: say which
                # version lacks the name, as a note (the pinned one may well have it).
                distribution, installed, pin = pinned
                self.context.add_report(Report(
                    _version_rule(), node,
                    f"`{base}.{attr}` is not in {distribution} {installed}, the version installed "
                    f"here; the project pins {distribution}=={pin}, which may have it{more}", None))
                continue
            self.report(node, self._message(base, attr, info) + more)

    def _more_uses(self, uses: list[tuple[cst.CSTNode, list[cst.CSTNode]]]) -> str:
        """` (also used on line 12, cell 3, line 2)`: the other uses of a name reported once."""
        places: list[str] = []
        for node, stack in uses:
            location = self.context.unit.location(self.context.span(node, stack)[0])
            place = f"line {location.line}" if location.cell is None else \
                f"cell {location.cell + 1}, line {location.line}"
            if place not in places:
                places.append(place)
        if not places:
            return ""
        more = f" and {len(places) - 5} more" if len(places) > 5 else ""
        return f" (also used on {', '.join(places[:5])}{more})"

    def _other_version(self, base: str) -> tuple[str, str, str] | None:
        """(distribution, installed version, pinned version) when they differ."""
        top = base.split(".", 1)[0]
        if top in stdlib_modules():
            return None
        distributions = packages_distributions().get(top) or ()
        for distribution in distributions:
            pin = project_of(self.context.unit.path, self.context.config.root).pin_of(distribution)
            try:
                installed = importlib.metadata.version(distribution)
            except (importlib.metadata.PackageNotFoundError, ValueError):
                continue
            if pin is not None and pin != installed and "*" not in pin:
                return distribution, installed, pin
        return None

    def _message(self, base: str, attr: str, info: ModuleInfo) -> str:
        top = base.split(".", 1)[0]
        where = (
            f"Python {sys.version_info.major}.{sys.version_info.minor}'s `{base}`"
            if top in stdlib_modules()
            else f"the installed `{base}`"
        )
        close = difflib.get_close_matches(attr, sorted(info.public_names()), n=1, cutoff=0.6)
        hint = f" (did you mean `{base}.{close[0]}`?)" if close else ""
        return f"`{base}.{attr}` does not exist: {where} defines no `{attr}`{hint}"

    def _is_removed_api(self, full: str) -> bool:
        if self._removed is None:
            self._removed = {api.name for api in load_pack()}
        parts = full.split(".")
        return any(".".join(parts[:end]) in self._removed for end in range(1, len(parts) + 1))

    def _newer_python(self) -> bool:
        spec = requires_python(self.context.config.root) or ""
        match = _LOWER_BOUND.search(spec)
        return bool(match) and (int(match.group(1)), int(match.group(2))) > sys.version_info[:2]



@functools.cache
def _version_rule() -> type[HallucinatedAttribute]:
    """The same rule at note severity, for a name missing from another version than the pinned
    one. Made by a function, so the registry still finds one rule per code."""
    return type("HallucinatedAttributeOtherVersion", (HallucinatedAttribute,), {"SEVERITY": Severity.NOTE})


def _local_name(alias: cst.ImportAlias) -> str | None:
    asname = alias.asname.name if alias.asname is not None else None
    return asname.value if isinstance(asname, cst.Name) else None


def _rebound_in_scope(name: str, stack: list[cst.CSTNode], code_for: object) -> bool:
    """`name` is a parameter of, or assigned in, a function or lambda enclosing the use."""
    binding = re.compile(
        rf"\b{re.escape(name)}\s*(?::[^=\n]*)?=(?!=)|\bas\s+{re.escape(name)}\b"
        rf"|\bfor\b[^\n]*\b{re.escape(name)}\b[^\n]*\bin\b|\b(?:def|class)\s+{re.escape(name)}\b"
        rf"|\bimport\s+{re.escape(name)}\b|\b{re.escape(name)}\s*:=|\b{re.escape(name)}\s*,[^\n=]*=(?!=)"
    )
    for node in stack:
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            params = node.params
            every = [*params.posonly_params, *params.params, *params.kwonly_params]
            every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
            if any(param.name.value == name for param in every):
                return True
            body = node.body
            if callable(code_for) and binding.search(code_for(body)):
                return True
    return False
