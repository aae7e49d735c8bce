"""RV507 missing-zero-grad: a PyTorch training loop that steps the optimizer after `backward()`
but never clears the gradients, so every step adds up all the previous ones."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity


def _method_calls(node: cst.CSTNode, name: str) -> list[cst.Call]:
    return [n for n in iter_nodes(node) if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)
            and n.func.attr.value == name]


class MissingZeroGrad(Rule):
    """A training loop that never resets the gradients.

    ## What it does
    Flags a `for`/`while` loop that calls `.backward()` and an optimizer's `.step()` (or
    `scaler.step(optimizer)` with AMP) when the function (or module) holding the loop never calls
    `.zero_grad()` on an optimizer or a model. Gradient accumulation that clears the gradients
    every few steps calls `zero_grad()` and is not flagged; so is code without a step in the loop.

    ## Why is this bad?
    PyTorch adds each `backward()`'s gradients to those already stored. Without
    `optimizer.zero_grad()` (or `set_to_none=True`) every step uses the sum of all gradients so
    far: training diverges or quietly learns something else, with no error.
    """

    CODE = "RV507"
    NAME = "missing-zero-grad"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.ERROR
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "The optimizer steps on gradients that are never cleared: call `optimizer.zero_grad()` each step"
    TRIGGERS = ("backward",)

    VALID: ClassVar[list[Valid]] = [
        Valid("def train(model, opt, data):\n    for x, y in data:\n        opt.zero_grad()\n"
              "        loss = model(x).sub(y).pow(2).mean()\n        loss.backward()\n        opt.step()\n"),
        Valid("def train(model, opt, data, accum=4):\n    for i, (x, y) in enumerate(data):\n"
              "        loss = model(x).mean() / accum\n        loss.backward()\n        if (i + 1) % accum == 0:\n"
              "            opt.step()\n            opt.zero_grad(set_to_none=True)\n"),
        Valid("def train(model, opt, data):\n    for x in data:\n        model.zero_grad()\n"
              "        model(x).sum().backward()\n        opt.step()\n"),
        Valid("def grads(model, data):\n    for x in data:\n        model(x).sum().backward()\n"),  # no step
        Valid("for page in book:\n    page.step()\n    page.backward()\n    page.zero_grad()\n"),
        Valid(cells=("import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n",
                     "for x, y in loader:\n    opt.zero_grad()\n    loss_fn(model(x), y).backward()\n    opt.step()\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("def train(model, opt, data):\n    for x, y in data:\n        loss = (model(x) - y).pow(2).mean()\n"
                "        loss.backward()\n        opt.step()\n", line=5),
        Invalid("def train(model, optimizer, scaler, data):\n    for x in data:\n"
                "        scaler.scale(model(x).mean()).backward()\n        scaler.step(optimizer)\n        scaler.update()\n",
                line=4),
        Invalid(cells=("import torch\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n",
                       "for epoch in range(3):\n    for x, y in loader:\n        loss = criterion(model(x), y)\n"
                       "        loss.backward()\n        opt.step()\n"),
                cell=1, line=5),
    ]

    def visit_For(self, node: cst.For) -> None:
        self._check(node)

    def visit_While(self, node: cst.While) -> None:
        self._check(node)

    def _check(self, loop: cst.For | cst.While) -> None:
        if any(isinstance(a, (cst.For, cst.While)) for a in self.context.stack[:-1]):
            return  # the outermost loop decides (an epoch loop around a batch loop)
        steps = _method_calls(loop, "step")
        if not steps or not _method_calls(loop, "backward"):
            return
        scope = self.context.enclosing(cst.FunctionDef) or self.context.module
        if _method_calls(scope, "zero_grad"):
            return
        self.report(steps[0])
