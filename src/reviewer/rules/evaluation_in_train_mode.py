"""RV511 evaluation-in-train-mode: PyTorch evaluation that runs the model in training mode
(dropout on, batch-norm statistics updated), or a training loop that an evaluation leaves in eval
mode; and, as a note, evaluation that builds the autograd graph for nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.analysis.tests_detection import is_test_path
from reviewer.analysis.torch_modules import TorchFacts
from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.imports import dotted_name
from reviewer.engine.walker import child_nodes, iter_nodes
from reviewer.model import Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext

#: Words of a function name that make it an evaluation routine.
_EVAL_WORDS = frozenset({"eval", "evaluate", "evaluation", "validate", "validation", "valid", "val", "test",
                         "testing", "predict", "prediction", "predictions", "inference", "infer"})
#: Words that make it something else: framework hooks (Lightning's `validation_step`, which sets
#: the mode itself), data plumbing (`val_dataloader`), metric helpers.
_OTHER_WORDS = frozenset({"step", "hook", "loader", "loaders", "dataloader", "dataloaders", "dataset", "datasets",
                          "data", "split", "splits", "transform", "transforms", "collate", "batch", "end", "start",
                          "metric", "metrics", "train", "training", "model", "models", "config", "args", "fn"})
#: First words of a function that prepares evaluation rather than running it (`get_eval_model`).
_PREPARING = frozenset({"get", "create", "build", "make", "load", "init", "setup", "prepare", "gen", "save"})
#: What an evaluation loop iterates over: `test_loader`, `val_dl`, `testloader`, `loaders["val"]`.
_EVAL_DATA = re.compile(r"^(test|val|valid|validation|eval|evaluation|dev)(loader|dl|data|dataset|set|ds|iter|batches)?$")
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def _words(name: str) -> list[str]:
    return [w.lower() for w in re.split(r"_+|(?<=[a-z0-9])(?=[A-Z])", name) if w]


def _is_eval_name(name: str) -> bool:
    words = _words(name)
    if not words or any(w in _OTHER_WORDS for w in words) or words[0] in _PREPARING or name.startswith("on_"):
        return False
    return any(w in _EVAL_WORDS for w in words)


def _mode(call: cst.Call) -> str | None:
    """"eval" for `m.eval()` / `m.train(False)`, "train" for `m.train()` / `m.train(True)`."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    if func.attr.value == "eval" and not call.args:
        return "eval"
    if func.attr.value != "train":
        return None
    if not call.args:
        return "train"
    if len(call.args) == 1 and (call.args[0].keyword is None or call.args[0].keyword.value == "mode"):
        value = call.args[0].value
        if isinstance(value, cst.Name) and value.value in {"True", "False"}:
            return "eval" if value.value == "False" else "train"
    return None


def _is_backward(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "backward"


def _grad_off(expression: cst.BaseExpression) -> bool:
    """`torch.no_grad()`, `torch.inference_mode()`, `torch.set_grad_enabled(False)` (or bare names)."""
    target = expression.func if isinstance(expression, cst.Call) else expression
    name = dotted_name(target) or ""
    last = name.rsplit(".", 1)[-1]
    if last in {"no_grad", "inference_mode"}:
        return True
    if last == "set_grad_enabled" and isinstance(expression, cst.Call) and expression.args:
        value = expression.args[0].value
        return isinstance(value, cst.Name) and value.value == "False"
    return False


@dataclass
class _Function:
    node: cst.FunctionDef
    backward: bool = False
    modes: list[tuple[int, str, cst.Call]] = field(default_factory=list)  #: (order, mode, call)
    grad_off: bool = False  #: decorated with no_grad/inference_mode, or turns gradients off inside


class EvaluationInTrainMode(Rule):
    """PyTorch evaluation that runs the model in training mode.

    ## What it does
    In code that imports PyTorch, looks at evaluation code: a function named like an evaluation
    (`evaluate`, `validate`, `test`, `predict`, `run_inference`, `eval_epoch`...) or a loop over
    test or validation data (`for x, y in val_loader:`) that runs a model's forward pass and never
    calls `.backward()`. It flags the forward pass when the model is not put in eval mode first:
    the last `model.eval()` / `model.train(...)` before it in the function (or, for a function
    without one, before its calls in this file) is `model.train()`, or there is none and the file
    trains a model (calls `.backward()`) or builds it (`torchvision.models.resnet50(...)`,
    `timm.create_model(...)`, a class of its own), so the model is still in training mode.

    It also flags the call to an evaluation routine (or the `model.eval()` call) inside an epoch
    loop that trains and never calls `model.train()` again: every epoch after the first then trains
    in eval mode.

    As a note (lower severity) it reports evaluation that runs under neither `torch.no_grad()` nor
    `torch.inference_mode()` (as `with`, as a decorator, or around the call of the routine).

    It stays quiet on Lightning hooks (`validation_step` runs in eval mode already), on methods of
    the model class itself (the caller sets the mode), on loops that backpropagate, on models
    loaded with `from_pretrained` in a file that never trains (they load in eval mode), on sklearn
    or Keras code, and in tests.

    ## Why is this bad?
    A PyTorch module starts in training mode: dropout drops activations at random and batch norm
    normalizes with the batch's statistics and updates its running averages. Evaluated that way the
    metrics are noisy and wrong, the predictions depend on the batch, and the batch-norm statistics
    drift towards the test data. Call `model.eval()` before evaluating and `model.train()` before
    training again. `torch.no_grad()` does not change the mode; it only stops recording the graph,
    which otherwise costs memory and time for nothing.
    """

    CODE = "RV511"
    NAME = "evaluation-in-train-mode"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.MEDIUM
    MESSAGE = "The model runs in training mode here (dropout on, batch-norm statistics updated): call `model.eval()` first"
    TRIGGERS = ("torch",)
    NOT_IN_TESTS = True

    VALID: ClassVar[list[Valid]] = [
        Valid("import torch\n\ndef evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
              "        return [model(x).argmax(1) for x in loader]\n\ndef train(model, opt, x):\n"
              "    model(x).sum().backward()\n"),
        Valid("import torch\n\n@torch.no_grad()\ndef validate(model, loader):\n    model.train(False)\n"
              "    return sum(model(x).sum() for x in loader)\n\ndef fit(model, x):\n    model(x).sum().backward()\n"),
        # The caller sets the mode.
        Valid("import torch\n\ndef test(net, loader):\n    with torch.no_grad():\n        return [net(x) for x in loader]\n\n"
              "def main(net, opt, x, loader):\n    net(x).sum().backward()\n    net.eval()\n    test(net, loader)\n"),
        # Lightning runs validation_step in eval mode under no_grad.
        Valid("import torch\nimport lightning as L\n\nclass Lit(L.LightningModule):\n"
              "    def training_step(self, batch, i):\n        return self.model(batch).sum()\n"
              "    def validation_step(self, batch, i):\n        return self.model(batch).sum()\n"),
        # A pretrained model loads in eval mode; nothing here switches it to training mode (the
        # training loop is then the one at fault, not the evaluation).
        Valid("import torch\nfrom transformers import AutoModel\n\nmodel = AutoModel.from_pretrained('x')\n"
              "def fit(opt, batches):\n    for b in batches:\n        model(**b).loss.backward()\n"
              "def evaluate(batches):\n    with torch.no_grad():\n        return [model(**b) for b in batches]\n"),
        # A pretrained model that is never trained here loads in eval mode.
        Valid("import torch\nfrom transformers import AutoModel\n\nmodel = AutoModel.from_pretrained('bert-base-uncased')\n"
              "def predict(batch):\n    with torch.no_grad():\n        return model(**batch)\n"),
        Valid("from sklearn.ensemble import RandomForestClassifier\n\ndef evaluate(model, X, y):\n"
              "    return model.predict(X)\n"),
        # The epoch loop sets train mode again after evaluating.
        Valid("import torch\n\ndef validate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
              "        return [model(x) for x in loader]\n\ndef fit(model, opt, train, val, n):\n"
              "    for epoch in range(n):\n        model.train()\n        for x in train:\n"
              "            opt.zero_grad()\n            model(x).sum().backward()\n            opt.step()\n"
              "        validate(model, val)\n"),
        # A shape check in a model file: nothing trains here.
        Valid("import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    pass\n\n"
              "def test():\n    net = Net()\n    y = net(torch.randn(1, 3, 32, 32))\n    print(y.size())\n"),
        # A fresh model every run: it starts in training mode.
        Valid("import torch\n\ndef test(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
              "        return [model(x) for x in loader]\n\nfor run in range(3):\n    model = Net()\n"
              "    for x in train_loader:\n        opt.zero_grad()\n        model(x).sum().backward()\n"
              "        opt.step()\n    test(model, test_loader)\n"),
        Valid(cells=("import torch\nmodel = Net()\nfor x in train_loader:\n    opt.zero_grad()\n"
                     "    model(x).sum().backward()\n    opt.step()\n",
                     "model.eval()\nwith torch.no_grad():\n    for x, y in test_loader:\n        pred = model(x).argmax(1)\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import torch\n\ndef evaluate(model, loader):\n    with torch.no_grad():\n"
                "        return [model(x).argmax(1) for x in loader]\n\ndef train(model, opt, x):\n"
                "    model(x).sum().backward()\n", line=5),
        Invalid("import torch\n\ndef fit(model, opt, train, val):\n    model.train()\n    for x in train:\n"
                "        model(x).sum().backward()\n        opt.step()\n    with torch.no_grad():\n"
                "        for x in val_loader:\n            out = model(x)\n", line=10),
        # evaluate() leaves the model in eval mode and the epoch loop never calls train() again.
        Invalid("import torch\n\ndef evaluate(model, loader):\n    model.eval()\n    with torch.no_grad():\n"
                "        return [model(x) for x in loader]\n\ndef fit(model, opt, train, val, n):\n"
                "    model.train()\n    for epoch in range(n):\n        for x in train:\n            opt.zero_grad()\n"
                "            model(x).sum().backward()\n            opt.step()\n        evaluate(model, val)\n",
                line=15),
        # A torchvision model built here starts in training mode (batch norm uses the batch's statistics).
        Invalid("import torch\nfrom torchvision.models import resnet50\n\nmodel = resnet50(weights='DEFAULT')\n"
                "with torch.no_grad():\n    for images, labels in test_loader:\n        preds = model(images).argmax(1)\n",
                line=7),
        # Evaluated without no_grad (a note).
        Invalid("import torch\n\ndef evaluate(model, loader):\n    model.eval()\n    return [model(x) for x in loader]\n",
                line=3),
        Invalid(cells=("import torch\nmodel = Net()\nfor x in train_loader:\n    opt.zero_grad()\n"
                       "    model(x).sum().backward()\n    opt.step()\n",
                       "with torch.no_grad():\n    for x, y in test_loader:\n        pred = model(x).argmax(1)\n"),
                cell=1, line=3),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.facts = TorchFacts(context)

    def finish(self) -> None:
        if is_test_path(self.context.unit.path) or not self.facts.uses_torch:
            return
        module = self.context.module
        self.order: dict[int, int] = {}
        self.parents: dict[int, cst.CSTNode] = {}
        self.functions: dict[str, list[_Function]] = {}
        self.calls: dict[str, list[cst.Call]] = {}
        self.trains = False
        self.sets_train = False  #: some model.train() call in the file
        loops: list[cst.For | cst.While] = []
        self._index(module, loops)
        reported: set[int] = set()
        for candidates in self.functions.values():
            for function in candidates:
                if self._eval_function(function.node):
                    self._check_scope(function.node, function.node.body, function, reported)
        for loop in loops:
            if isinstance(loop, cst.For) and self._eval_loop(loop):
                self._check_scope(loop, loop.body, None, reported)
        for loop in loops:
            self._check_epoch_loop(loop, reported)

    # --- indexing ---
    def _index(self, module: cst.Module, loops: list[cst.For | cst.While]) -> None:
        for order, node in enumerate(iter_nodes(module)):  # pre-order: source order
            self.order[id(node)] = order
            for child in child_nodes(node):
                self.parents[id(child)] = node
        for node in iter_nodes(module):
            if isinstance(node, cst.FunctionDef):
                self.functions.setdefault(node.name.value, []).append(self._summarize(node))
            elif isinstance(node, (cst.For, cst.While)):
                loops.append(node)
            elif isinstance(node, cst.Call):
                if _is_backward(node):
                    self.trains = True
                if _mode(node) == "train" and self._model_mode(node, self.context.module) == "train":
                    self.sets_train = True
                func = node.func
                name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) \
                    else None
                if name is not None:
                    self.calls.setdefault(name, []).append(node)

    def _summarize(self, node: cst.FunctionDef) -> _Function:
        summary = _Function(node)
        summary.grad_off = any(_grad_off(d.decorator) for d in node.decorators)
        for child in iter_nodes(node.body, _SCOPES):
            if isinstance(child, cst.Call):
                if _is_backward(child):
                    summary.backward = True
                mode = self._model_mode(child, node)
                if mode is not None:
                    summary.modes.append((self.order[id(child)], mode, child))
                # `torch.set_grad_enabled(False)` as a statement (not a `with` item) turns gradients off
                if _grad_off(child) and (dotted_name(child.func) or "").endswith("set_grad_enabled") \
                        and not isinstance(self.parents.get(id(child)), cst.WithItem):
                    summary.grad_off = True
        return summary

    def _model_mode(self, call: cst.Call, scope: cst.CSTNode) -> str | None:
        """`_mode`, with `x.train()` counted only on a model or `self` (not `trainer.train()`,
        which says nothing about the mode it leaves the model in)."""
        mode = _mode(call)
        if mode == "train" and isinstance(call.func, cst.Attribute):
            receiver = call.func.value
            if not (isinstance(receiver, cst.Name) and receiver.value == "self") \
                    and not self.facts.is_module(receiver, scope):
                return None
        return mode

    # --- what is evaluation ---
    def _owner(self, node: cst.CSTNode) -> cst.CSTNode | None:
        parent = self.parents.get(id(node))
        while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.ClassDef)):
            parent = self.parents.get(id(parent))
        return parent

    def _eval_function(self, node: cst.FunctionDef) -> bool:
        if not _is_eval_name(node.name.value):
            return False
        owner = self._owner(node)
        # Not the model's own method (its caller sets the mode), nor one of a class built on one
        # we cannot see (a loss, a callback, a framework's module).
        return not (isinstance(owner, cst.ClassDef) and (self.facts.may_be_module_class(owner) or any(
            self.context.qualified_name(base.value) not in {"object", "builtins.object"} for base in owner.bases)))

    def _eval_loop(self, loop: cst.For) -> bool:
        words: list[str] = []
        for node in iter_nodes(loop.iter):
            if isinstance(node, cst.Name):
                words += _words(node.value)
            elif isinstance(node, cst.Attribute):
                words += _words(node.attr.value)
            elif isinstance(node, cst.SimpleString):
                words += _words(node.value.strip("\"'"))
        if not any(_EVAL_DATA.match(w) for w in words):
            return False
        function = self._enclosing_function(loop)
        if function is not None and self._eval_function(function):
            return False  # the function is the unit of evaluation
        parent = self.parents.get(id(loop))
        while parent is not None:
            if isinstance(parent, cst.For) and self._eval_loop(parent):
                return False  # the outer evaluation loop decides
            parent = self.parents.get(id(parent))
        return True

    def _enclosing_function(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        parent = self.parents.get(id(node))
        while parent is not None and not isinstance(parent, cst.FunctionDef):
            parent = self.parents.get(id(parent))
        return parent

    def _forwards(self, root: cst.CSTNode, scope: cst.CSTNode) -> list[cst.Call]:
        out = []
        for node in iter_nodes(root, _SCOPES):
            if not isinstance(node, cst.Call):
                continue
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == "forward":
                func = func.value
            if isinstance(func, (cst.Name, cst.Attribute)) and self.facts.is_module(func, scope):
                out.append(node)
        return out

    # --- the checks ---
    def _check_scope(self, scope_node: cst.CSTNode, body: cst.CSTNode, function: _Function | None,
                     reported: set[int]) -> None:
        scope = function.node if function is not None else self._enclosing_function(scope_node) or self.context.module
        if any(_is_backward(n) for n in iter_nodes(body, _SCOPES)):
            return
        forwards = self._forwards(body, scope)
        if not forwards:
            return
        first = forwards[0]
        holder = function or self._summary(scope)
        mode = self._last_mode(scope, self.order[id(first)], holder)
        if mode is None and isinstance(scope, cst.FunctionDef):
            mode = self._callers_mode(scope)
        origin = self.facts.origin(first.func, scope)
        if origin == "pretrained":
            # Loaded in eval mode: in training mode only if this file switches it.
            in_training = self.sets_train
        else:
            in_training = self.trains or (origin == "fresh" and self._over_data(first, scope))
        if (mode == "train" or (mode is None and in_training)) and id(first) not in reported:
            reported.add(id(first))
            self.report(first, "The model runs in training mode here (dropout on, batch-norm statistics updated): "
                               "call `model.eval()` before evaluating")
        # The note needs the file to train or the scope to call it evaluation (`model.eval()`): a
        # shape check (`def test(): print(Net()(torch.randn(1, 3)).shape)`) is not one.
        if (self.trains or mode == "eval") and not self._grad_off(first, scope, holder):
            anchor = scope_node.name if isinstance(scope_node, cst.FunctionDef) else \
                scope_node.iter if isinstance(scope_node, cst.For) else scope_node
            self.report_note(anchor, "This evaluation records the autograd graph for nothing: run it under "
                                     "`torch.no_grad()` or `torch.inference_mode()`")

    def _over_data(self, node: cst.CSTNode, scope: cst.CSTNode) -> bool:
        """The forward pass runs in a loop or comprehension over data, not once on a dummy
        input (a shape check)."""
        parent = self.parents.get(id(node))
        while parent is not None and parent is not scope:
            if isinstance(parent, (cst.For, cst.While, cst.CompFor)):
                return True
            parent = self.parents.get(id(parent))
        return False

    def _summary(self, scope: cst.CSTNode) -> _Function | None:
        if isinstance(scope, cst.FunctionDef):
            for candidate in self.functions.get(scope.name.value, []):
                if candidate.node is scope:
                    return candidate
        return None

    def _last_mode(self, scope: cst.CSTNode, before: int, summary: _Function | None) -> str | None:
        if summary is not None:
            modes = summary.modes
        else:
            modes = [(self.order[id(n)], m, n) for n in iter_nodes(scope, _SCOPES)
                     if isinstance(n, cst.Call) and (m := self._model_mode(n, scope)) is not None]
        earlier = [(o, m) for o, m, _ in modes if o < before]
        return max(earlier)[1] if earlier else None

    def _callers_mode(self, function: cst.FunctionDef) -> str | None:
        """The mode the model is in where this file calls the function: "eval" if one call comes
        after `model.eval()`, "train" if all come after `model.train()`, None if unknown."""
        seen: list[str | None] = []
        for call in self.calls.get(function.name.value, []):
            scope = self._enclosing_function(call) or self.context.module
            if scope is function:
                continue
            seen.append(self._last_mode(scope, self.order[id(call)], self._summary(scope)))
        if "eval" in seen:
            return "eval"
        if seen and all(m == "train" for m in seen):
            return "train"
        return None

    def _grad_off(self, node: cst.CSTNode, scope: cst.CSTNode, summary: _Function | None) -> bool:
        if summary is not None and summary.grad_off:
            return True
        if self._under_no_grad(node):
            return True
        if isinstance(scope, cst.FunctionDef):
            calls = [c for c in self.calls.get(scope.name.value, []) if self._enclosing_function(c) is not scope]
            if calls and any(self._under_no_grad(c) or (s := self._summary(self._enclosing_function(c))) is not None
                             and s.grad_off for c in calls):
                return True
        else:
            # module level: `torch.set_grad_enabled(False)` earlier
            for n in iter_nodes(scope, _SCOPES):
                if isinstance(n, cst.Call) and (dotted_name(n.func) or "").endswith("set_grad_enabled") \
                        and _grad_off(n) and self.order[id(n)] < self.order[id(node)]:
                    return True
        return False

    def _under_no_grad(self, node: cst.CSTNode) -> bool:
        parent = self.parents.get(id(node))
        while parent is not None:
            if isinstance(parent, cst.With) and any(_grad_off(item.item) for item in parent.items):
                return True
            if isinstance(parent, cst.FunctionDef):
                return any(_grad_off(d.decorator) for d in parent.decorators)
            parent = self.parents.get(id(parent))
        return False

    @staticmethod
    def _rebuilt_in(loop: cst.For | cst.While, call: cst.Call) -> bool:
        """The model the call evaluates is assigned in the loop (`for run in range(n): model =
        Net()`): every iteration starts from a fresh module, in training mode."""
        names = {a.value.value for a in call.args if isinstance(a.value, cst.Name)}
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        while isinstance(receiver, cst.Attribute):
            receiver = receiver.value
        if isinstance(receiver, cst.Name):
            names.add(receiver.value)
        for node in iter_nodes(loop.body, _SCOPES):
            if isinstance(node, cst.Assign):
                for target in node.targets:
                    for leaf in iter_nodes(target.target):
                        if isinstance(leaf, cst.Name) and leaf.value in names:
                            return True
        return False

    def _check_epoch_loop(self, loop: cst.For | cst.While, reported: set[int]) -> None:
        """A loop that trains (backward, directly or through a local function) and evaluates
        with a routine that leaves eval mode on, and never calls `model.train()` again."""
        trains = False
        restores = False
        evals: list[cst.Call] = []
        for node in iter_nodes(loop.body, _SCOPES):
            if not isinstance(node, cst.Call):
                continue
            if _is_backward(node):
                trains = True
            mode = _mode(node)
            if mode == "train":
                restores = True
            elif mode == "eval":
                evals.append(node)
            func = node.func
            name = func.value if isinstance(func, cst.Name) else func.attr.value \
                if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self" \
                else None
            for summary in self.functions.get(name or "", []):
                if summary.backward:
                    trains = True
                if any(m == "train" for _, m, _ in summary.modes):
                    restores = True
                if summary.modes and max(summary.modes, key=lambda x: x[0])[1] == "eval":
                    evals.append(node)
        if trains and evals and not restores and id(evals[0]) not in reported \
                and not self._rebuilt_in(loop, evals[0]):
            reported.add(id(evals[0]))
            self.report(evals[0], "This leaves the model in eval mode and the training loop never calls "
                                  "`model.train()` again: later epochs train with dropout off and frozen batch-norm "
                                  "statistics")
