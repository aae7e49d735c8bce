"""RV512 forward-called-directly: `model.forward(x)` on a PyTorch module from outside its class,
which skips the module's hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from reviewer.analysis.torch_modules import TorchFacts
from reviewer.engine import Autofix, Invalid, Rule, Valid
from reviewer.model import Applicability, Category, Confidence, Severity

if TYPE_CHECKING:
    from reviewer.engine.context import RuleContext


class ForwardCalledDirectly(Rule):
    """A PyTorch module's `forward()` called directly instead of the module itself.

    ## What it does
    In code that imports PyTorch (or a library built on it), flags `model.forward(x)` outside the
    model's own class when the receiver is a module: a name built from `torch.nn`, torchvision,
    timm, transformers or a class of the file that subclasses `nn.Module`, or a name that says so
    (`model`, `net`, `encoder`, `self.model`, `model.module`...). Stays quiet on `super().forward(x)`,
    `Base.forward(self, x)` and `self.forward(x)`, and on any `.forward()` inside a method of an
    `nn.Module` subclass, or of a class that defines `forward` or whose base is named like a module
    (`BertPreTrainedModel`), such as `self.encoder.forward(x)` or `block.forward(x)`: a
    module delegating to its own children is a common, deliberate idiom (its own hooks still run
    when it is called), and flagging it would mostly be noise. A name built by another library
    (skorch's `NeuralNet.forward`, a Keras model) is not a module. Test files are not reviewed.

    ## Why is this bad?
    `model(x)` runs `__call__`, which runs the forward pre-hooks and hooks around `forward()`:
    `DataParallel`/`DistributedDataParallel` scatter and gradient sync, weight and spectral
    normalization, pruning masks, quantization observers, AMP and library hooks. `model.forward(x)`
    skips all of them and gives results (or gradients) that quietly differ. Call the module:
    `model(x)`.

    ## Fix safety
    `reviewer fix --unsafe-fixes` rewrites `model.forward(x)` to `model(x)`: unsafe, because the
    hooks now run, which is the point but changes what the call computes.
    """

    CODE = "RV512"
    NAME = "forward-called-directly"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Calling `.forward()` skips the module's hooks: call the module itself"
    TRIGGERS = (".forward(",)
    NOT_IN_TESTS = True
    FIX = "unsafe"

    VALID: ClassVar[list[Valid]] = [
        Valid("import torch\n\nlogits = model(x)\n"),
        Valid("import torch.nn as nn\n\nclass Net(nn.Linear):\n    def forward(self, x):\n"
              "        return super().forward(x).relu()\n"),
        Valid("import torch.nn as nn\n\nclass Net(nn.Linear):\n    def forward(self, x):\n"
              "        return nn.Linear.forward(self, x).relu()\n"),
        Valid("import torch.nn as nn\n\nclass Wrapper(nn.Module):\n    def forward(self, x):\n"
              "        return self.model.forward(x)\n\n    def predict(self, x):\n        return self.forward(x)\n"),
        Valid("class Layer:\n    def forward(self, x):\n        return x\n\nout = model.forward(x)\n"),  # no torch
        Valid("import torch\n\nhops = router.forward(packet)\nstate = fsm.forward()\n"),
        Valid("import torch\n\nlayer = NumpyDense(3)\ny = layer.forward(x)\n"),
        Valid("import torch\nfrom transformers import BertPreTrainedModel\n\nclass Tagger(BertPreTrainedModel):\n"
              "    def tag(self, ids):\n        return self.bert.forward(ids).last_hidden_state\n"),
        Valid("import torch\nfrom skorch import NeuralNetClassifier\n\nnet = NeuralNetClassifier(Mod)\n"
              "proba = net.forward(X)\n"),
        Valid("import torch.nn as nn\n\nclass Stack(nn.Module):\n    def forward(self, x):\n"
              "        for module in self.blocks:\n            x = module.forward(x)\n        return x\n"),
        Valid(cells=("import torch\nmodel = torch.nn.Linear(3, 1)\n", "with torch.no_grad():\n    y = model(x)\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("import torch\n\nlogits = model.forward(x)\n", line=3, fixed="import torch\n\nlogits = model(x)\n"),
        Invalid("import torch.nn as nn\n\nlayer = nn.Linear(3, 1)\ny = layer.forward(x)\n", line=4),
        Invalid("import torch\n\nclass Trainer:\n    def step(self, batch):\n        return self.model.forward(**batch)\n",
                line=5),
        Invalid("import torch.nn as nn\n\nclass Net(nn.Module):\n    pass\n\nnet = Net()\nout = net.forward(x)\n",
                line=7),
        Invalid("import torch\n\nout = model.module.forward(x)\n", line=3),
        Invalid(cells=("import torch\nfrom torchvision.models import resnet18\nm = resnet18()\n",
                       "m.eval()\nwith torch.no_grad():\n    out = m.forward(images)\n"), cell=1, line=3),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.facts = TorchFacts(context)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "forward" or not self.facts.uses_torch:
            return
        receiver = func.value
        if isinstance(receiver, cst.Call):
            return  # super().forward(...), super(Cls, self).forward(...)
        if isinstance(receiver, cst.Name) and receiver.value in {"self", "cls"}:
            return  # the class calls its own forward
        if node.args and isinstance(node.args[0].value, cst.Name) and node.args[0].value.value == "self":
            return  # Base.forward(self, x): a parent's forward, explicitly
        method = self.context.enclosing(cst.FunctionDef)
        owner = self.context.enclosing(cst.ClassDef)
        if method is not None and owner is not None and self.facts.may_be_module_class(owner):
            return  # a module delegating to its own children
        if not self.facts.is_module(receiver, method or self.context.module):
            return
        fix = Autofix("Call the module instead of `.forward()`", node.with_changes(func=receiver, lpar=(), rpar=()),
                      Applicability.UNSAFE)
        self.report(node, f"`{self.context.code_for(receiver)}.forward(...)` skips the module's hooks (DataParallel, "
                          f"weight norm, pruning, quantization, AMP): call `{self.context.code_for(receiver)}(...)`",
                    fix)
