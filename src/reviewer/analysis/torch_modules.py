"""What the PyTorch rules (RV511, RV512) ask about a unit: does it use PyTorch, is a name or an
expression a `torch.nn.Module`, which local classes are modules. Computed lazily, once per unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import iter_nodes

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Top-level packages whose import makes a unit PyTorch code.
TORCH_PACKAGES = frozenset({
    "torch", "torchvision", "torchaudio", "torchtext", "timm", "lightning", "pytorch_lightning", "accelerate",
    "peft", "diffusers", "sentence_transformers", "ignite", "fastai",
})
#: Names (a variable, or the last attribute of `self.model`) that hold a module in PyTorch code.
MODEL_NAMES = frozenset({
    "model", "net", "network", "module", "encoder", "decoder", "backbone", "classifier", "generator",
    "discriminator", "teacher", "student", "critic", "actor", "autoencoder", "vae", "gan", "cnn", "rnn", "lstm",
    "mlp", "transformer", "unet", "resnet",
})
_MODEL_SUFFIXES = ("_model", "_net", "_network", "model", "net")
#: Qualified-name prefixes of calls that build a module.
_BUILDERS = ("torch.nn.", "torchvision.models.", "timm.create_model", "torch.compile",
             "sentence_transformers.SentenceTransformer")
#: `X.from_pretrained(...)` builds a model unless X names one of these.
_NOT_MODELS = ("Tokenizer", "Processor", "Extractor", "Config", "Pipeline", "Scheduler")
#: Base-class names (last part) that make a class a module.
_MODULE_BASES = frozenset({"Module", "LightningModule", "PreTrainedModel", "Sequential", "ModuleList", "ModuleDict"})
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_MODULE_SUFFIXES = ("Module", "Model", "Net", "Network", "Layer", "Block", "Encoder", "Decoder", "Head", "Backbone")


#: First words of a function that makes, fetches or changes a model rather than being one
#: (`create_model`, `get_model`, `idist.auto_model`, `load_net`).
_VERBS = frozenset({
    "get", "create", "build", "load", "make", "auto", "init", "setup", "prepare", "save", "train", "eval",
    "evaluate", "to", "wrap", "unwrap", "compile", "export", "freeze", "copy", "clone", "convert", "print", "count",
    "fit", "run", "is", "has", "set", "gen", "generate", "register", "resolve", "new", "with", "apply", "update",
})


def model_like_name(name: str) -> bool:
    lowered = name.lower()
    if lowered.split("_", 1)[0] in _VERBS or lowered.strip("_").split("_", 1)[0] in _VERBS:
        return False
    return lowered in MODEL_NAMES or (lowered.endswith(_MODEL_SUFFIXES) and not lowered.endswith(("subnet", "internet")))


class TorchFacts:
    def __init__(self, context: RuleContext) -> None:
        self.context = context
        self._uses: bool | None = None
        self._classes: dict[str, bool] | None = None
        self._definitions: frozenset[str] | None = None

    @property
    def uses_torch(self) -> bool:
        if self._uses is None:
            self._uses = any(module.lstrip(".").split(".")[0] in TORCH_PACKAGES
                             for module, _ in self.context.imports.modules)
        return self._uses

    def module_classes(self) -> dict[str, bool]:
        """Local class name -> whether it subclasses a PyTorch module (directly or through
        another local class)."""
        if self._classes is None:
            bases: dict[str, list[str]] = {}
            for node in iter_nodes(self.context.module, (cst.FunctionDef,)):
                if isinstance(node, cst.ClassDef):
                    bases[node.name.value] = [self.context.qualified_name(a.value) or "" for a in node.bases]
            known = {name: any(self._module_base(b) for b in parents) for name, parents in bases.items()}
            changed = True
            while changed:
                changed = False
                for name, parents in bases.items():
                    if not known[name] and any(known.get(p.rsplit(".", 1)[-1], False) for p in parents):
                        known[name] = changed = True
            self._classes = known
        return self._classes

    @staticmethod
    def _module_base(qualified: str) -> bool:
        return qualified.startswith("torch.nn.") or qualified.rsplit(".", 1)[-1] in _MODULE_BASES

    def is_module_class(self, node: cst.ClassDef) -> bool:
        return self.module_classes().get(node.name.value, False)

    def may_be_module_class(self, node: cst.ClassDef) -> bool:
        """A module class, or one that looks like it: it defines `forward`, or a base we cannot see
        is named like a module (`BertPreTrainedModel`, `BaseNet`, `EncoderBlock`). For staying
        quiet, not for reporting."""
        if self.is_module_class(node):
            return True
        if any(isinstance(s, cst.FunctionDef) and s.name.value == "forward" for s in node.body.body):
            return True
        return any((dotted_name(b.value) or "").endswith(_MODULE_SUFFIXES) for b in node.bases)

    def builds_module(self, value: cst.BaseExpression) -> bool | None:
        """True when `value` builds (or moves, `.to(device)`) a module, False when it builds
        something else we can name, None when unknown."""
        while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                and value.func.attr.value in {"to", "cuda", "cpu", "eval", "train", "half", "float", "double"}:
            value = value.func.value
        if isinstance(value, cst.Name) and self.context.qualified_name(value) not in (None, value.value):
            return None
        if not isinstance(value, cst.Call):
            return None
        func = value.func
        if isinstance(func, cst.Attribute) and func.attr.value in {"from_pretrained", "from_config"}:
            return not any(word in (dotted_name(func.value) or "") for word in _NOT_MODELS)
        qualified = self.context.qualified_name(func) or ""
        if qualified.startswith(_BUILDERS):
            return True
        head = (dotted_name(func) or "").split(".")[0]
        if head in self.context.imports.aliases and qualified.split(".")[0] not in TORCH_PACKAGES | {"transformers"}:
            return False  # skorch's NeuralNet, a Keras model, an estimator: `.forward` is theirs
        if qualified.startswith("transformers."):
            return None if qualified.rsplit(".", 1)[-1][:1].isupper() and "Model" in qualified else False
        name = dotted_name(func)
        if name is not None and "." not in name and name in self.module_classes():
            return self.module_classes()[name]
        return None

    def origin(self, node: cst.BaseExpression, scope: cst.CSTNode) -> str | None:
        """How the module `node` names was made here: "fresh" when this file builds it
        (`resnet50(weights=...)`, `timm.create_model(...)`, `Net()`: it starts in training mode),
        "pretrained" for `from_pretrained` (loads in eval mode), None when unknown (`torch.load`
        keeps whatever mode was saved)."""
        if not isinstance(node, cst.Name):
            return None
        for where in (scope, self.context.module) if scope is not self.context.module else (scope,):
            body = where.body if isinstance(where, cst.FunctionDef) else where
            for child in iter_nodes(body, _SCOPES):
                if isinstance(child, cst.Assign) and any(
                        isinstance(t.target, cst.Name) and t.target.value == node.value for t in child.targets):
                    value = child.value
                    while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                            and value.func.attr.value in {"to", "cuda", "cpu", "half", "float", "double"}:
                        value = value.func.value
                    if not isinstance(value, cst.Call):
                        continue
                    if isinstance(value.func, cst.Attribute) and value.func.attr.value == "from_pretrained":
                        return "pretrained"
                    qualified = self.context.qualified_name(value.func) or ""
                    if qualified.startswith(("torchvision.models.", "timm.create_model", "torch.nn.")):
                        return "fresh"
                    name = dotted_name(value.func)
                    if name is not None and self.module_classes().get(name, False):
                        return "fresh"
        return None

    def binding(self, name: str, scope: cst.CSTNode) -> bool | None:
        """What the assignments to `name` in `scope` (then the module) say: module or not."""
        for where in (scope, self.context.module) if scope is not self.context.module else (scope,):
            verdict: bool | None = None
            if isinstance(where, cst.FunctionDef):
                for param in (*where.params.params, *where.params.kwonly_params, *where.params.posonly_params):
                    if param.name.value == name and param.annotation is not None:
                        annotation = self.context.qualified_name(param.annotation.annotation) or ""
                        verdict = self._module_base(annotation) or annotation in self.module_classes()
                body: cst.CSTNode = where.body
            else:
                body = where
            for node in iter_nodes(body, _SCOPES):
                if isinstance(node, cst.Assign) and any(
                        isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets):
                    built = self.builds_module(node.value)
                    if built is not None:
                        verdict = built
            if verdict is not None:
                return verdict
        return None

    def is_module(self, node: cst.BaseExpression, scope: cst.CSTNode) -> bool:
        """`node` (a name or `self.model`-like attribute) holds a PyTorch module."""
        if isinstance(node, cst.Name):
            if node.value in self.context.imports.aliases or node.value in self.definitions():
                return False  # an imported or defined function or class (`resnet18`, `Net`): a builder
            bound = self.binding(node.value, scope)
            if bound is not None:
                return bound
            return model_like_name(node.value)
        if isinstance(node, cst.Attribute):
            root = node.value
            while isinstance(root, cst.Attribute):
                root = root.value
            if isinstance(root, cst.Name) and root.value in self.context.imports.aliases:
                return False  # `idist.auto_model`, `models.resnet18`: a library's function
            return model_like_name(node.attr.value)
        return False

    def definitions(self) -> frozenset[str]:
        """Names of the functions and classes defined anywhere in the unit."""
        if self._definitions is None:
            self._definitions = frozenset(
                n.name.value for n in iter_nodes(self.context.module) if isinstance(n, (cst.FunctionDef, cst.ClassDef)))
        return self._definitions
