"""RV102 yaml-unsafe-load: PyYAML loading with a Loader that can build arbitrary Python objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.model import Applicability, Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Loaders that only build plain data (str, int, list, dict...).
_SAFE_LOADERS = frozenset(
    {"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader", "yaml.CBaseLoader"}
)
_FULL_LOADERS = frozenset({"yaml.FullLoader", "yaml.CFullLoader"})
_UNSAFE_LOADERS = frozenset(
    {"yaml.Loader", "yaml.CLoader", "yaml.UnsafeLoader", "yaml.CUnsafeLoader"}
)
#: Functions that take a Loader, and their safe counterparts (used by the autofix).
_LOADING = {"yaml.load": "safe_load", "yaml.load_all": "safe_load_all"}
_ALWAYS_UNSAFE = frozenset({"yaml.unsafe_load", "yaml.unsafe_load_all"})
_FULL = frozenset({"yaml.full_load", "yaml.full_load_all"})

_FULL_MESSAGE = (
    "`{name}()` uses FullLoader, which could run arbitrary code before PyYAML 5.4; "
    "use `yaml.safe_load()`"
)


class YamlUnsafeLoad(Rule):
    """YAML loaded with a loader that can construct arbitrary Python objects.

    ## What it does
    Flags `yaml.load()` and `yaml.load_all()` unless the `Loader` (keyword or second positional
    argument) is `yaml.SafeLoader`, `yaml.CSafeLoader`, `yaml.BaseLoader` or a class in the same
    module derived from one of them; flags `yaml.unsafe_load()` always, and `yaml.full_load()`
    because FullLoader allowed code execution in PyYAML before 5.4.

    ## Why is this bad?
    The unsafe loaders honor tags such as `!!python/object/apply:os.system`, so loading an
    untrusted document runs whatever code it names. `yaml.safe_load()` builds plain data only.

    ## Fix safety
    `yaml.load(x)` without a Loader is rewritten to `yaml.safe_load(x)`, keeping the name under
    which yaml was imported. The fix is unsafe (applied with `reviewer fix --unsafe-fixes`):
    such a call already fails on PyYAML 6, but on older versions documents with Python-specific
    tags load differently. Calls that name an unsafe Loader get advice only, since the code may
    rely on the Python tags.
    """

    CODE = "RV102"
    NAME = "yaml-unsafe-load"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.ERROR
    CONFIDENCE = Confidence.HIGH
    CWE = (502,)
    MESSAGE = "`yaml.load()` without a safe Loader can run arbitrary code; use `yaml.safe_load()`"
    EQUIVALENT = ("B506", "S506")
    SUPERSEDES = EQUIVALENT
    TRIGGERS = ("yaml",)
    FIX = "unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("import yaml\n\ndata = yaml.safe_load(stream)\n"),
        Valid("import yaml\n\ndata = yaml.load(stream, Loader=yaml.SafeLoader)\n"),
        Valid("import yaml as y\n\ndocs = list(y.load_all(stream, y.CSafeLoader))\n"),
        Valid("from yaml import BaseLoader, load\n\ndata = load(stream, Loader=BaseLoader)\n"),
        Valid(
            "import yaml\n\nclass ConfigLoader(yaml.SafeLoader):\n    pass\n\n"
            "data = yaml.load(stream, Loader=ConfigLoader)\n"
        ),
        Valid("import json\n\ndata = json.load(stream)  # yaml is mentioned only here\n"),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "import yaml\n\ndata = yaml.load(stream)\n",
            line=3,
            fixed="import yaml\n\ndata = yaml.safe_load(stream)\n",
        ),
        Invalid(
            "import yaml as y\n\nwith open(p) as f:\n    cfg = y.load(f)\n",
            line=4,
            fixed="import yaml as y\n\nwith open(p) as f:\n    cfg = y.safe_load(f)\n",
        ),
        Invalid("import yaml\n\ndata = yaml.load(stream, Loader=yaml.Loader)\n", line=3),
        Invalid("from yaml import load, FullLoader\n\ndata = load(stream, FullLoader)\n", line=3),
        Invalid("import yaml\n\nobj = yaml.unsafe_load(payload)\n", line=3),
        Invalid("import yaml\n\nobj = yaml.full_load(payload)\n", line=3),
        Invalid(
            "import yaml\n\nfor doc in yaml.load_all(stream):\n    print(doc)\n",
            line=3,
            fixed="import yaml\n\nfor doc in yaml.safe_load_all(stream):\n    print(doc)\n",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        #: Local classes deriving from a safe loader, and calls that use a local name as Loader.
        self._safe_classes: set[str] = set()
        self._pending: list[tuple[cst.Call, str, str]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            name = self.context.qualified_name(base.value)
            if name in _SAFE_LOADERS or name in self._safe_classes:
                self._safe_classes.add(node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        name = self.context.qualified_name(node.func)
        if name is None or not name.startswith("yaml."):
            return
        if name in _ALWAYS_UNSAFE:
            self.report(
                node,
                f"`{name}()` can run arbitrary code from the document; use `yaml.safe_load()`",
                fix=_advice(),
            )
        elif name in _FULL:
            self.report(node, _FULL_MESSAGE.format(name=name), fix=_advice())
        elif name in _LOADING:
            self._check_loader(node, name)

    def _check_loader(self, node: cst.Call, name: str) -> None:
        loader = _loader_arg(node)
        if loader is None:
            if any(arg.star for arg in node.args):
                return  # `yaml.load(*args, **kwargs)` may carry a safe Loader
            self.report(
                node,
                f"`{name}()` without a safe Loader can run arbitrary code; "
                f"use `yaml.{_LOADING[name]}()`",
                fix=self._safe_fix(node, name),
            )
            return
        loader_name = self.context.qualified_name(loader)
        if loader_name in _SAFE_LOADERS:
            return
        if loader_name in _FULL_LOADERS:
            self.report(node, _FULL_MESSAGE.format(name=name), fix=_advice())
        elif loader_name in _UNSAFE_LOADERS:
            self.report(
                node,
                f"`{name}()` with `{loader_name}` can run arbitrary code; use `yaml.safe_load()`",
                fix=_advice(),
            )
        else:
            # A local class may be declared after the call: decide once the module is read.
            self._pending.append((node, name, loader_name or self.context.code_for(loader)))

    def finish(self) -> None:
        for node, name, loader_name in self._pending:
            if loader_name not in self._safe_classes:
                self.report(
                    node,
                    f"`{name}()` with Loader `{loader_name}`, which is not known to be safe; "
                    "use `yaml.SafeLoader`",
                    fix=_advice(),
                )

    @staticmethod
    def _safe_fix(node: cst.Call, name: str) -> Autofix:
        func = node.func
        args = node.args
        plain = (
            len(args) == 1
            and not args[0].star
            and (args[0].keyword is None or args[0].keyword.value == "stream")
        )
        if not plain or not isinstance(func, cst.Attribute):
            # `from yaml import load` would need a new import: advice only.
            return _advice()
        safe = _LOADING[name]
        # The reported range excludes the call's own parentheses, so the replacement must too.
        replacement = node.with_changes(
            func=func.with_changes(attr=cst.Name(safe)), lpar=(), rpar=()
        )
        return Autofix(f"Use `yaml.{safe}()`", replacement, Applicability.UNSAFE)


def _loader_arg(node: cst.Call) -> cst.BaseExpression | None:
    """The `Loader=` keyword or the second positional argument."""
    positional = 0
    for arg in node.args:
        if arg.keyword is not None:
            if arg.keyword.value == "Loader":
                return arg.value
        elif not arg.star:
            positional += 1
            if positional == 2:
                return arg.value
    return None


def _advice() -> Autofix:
    return Autofix("Use `yaml.safe_load()`", applicability=Applicability.DISPLAY)
