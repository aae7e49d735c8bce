"""RV508 loss-accumulated-as-tensor: a running total of the loss that keeps every step's
autograd graph alive (`total += loss` instead of `total += loss.item()`)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.engine import Invalid, Rule, Valid
from reviewer.engine.walker import iter_nodes
from reviewer.model import Category, Confidence, Severity


class LossAccumulatedAsTensor(Rule):
    """The loss tensor itself is added to a running total.

    ## What it does
    Flags `total += loss` (and `total = total + loss`) inside a loop that also calls
    `loss.backward()` on the same name: the total is then a tensor that references every
    iteration's computation graph. `loss.item()`, `loss.detach()` and `float(loss)` are fine.

    ## Why is this bad?
    Each step's graph (activations included) stays in memory as long as the total lives: memory
    grows every batch until the process runs out of GPU memory, and the logged number is a tensor.
    Accumulate `loss.item()` (or `loss.detach()`).
    """

    CODE = "RV508"
    NAME = "loss-accumulated-as-tensor"
    CATEGORY = Category.CORRECTNESS
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "The running total keeps every step's autograd graph alive: add `loss.item()` instead"
    TRIGGERS = ("backward",)

    VALID: ClassVar[list[Valid]] = [
        Valid("total = 0.0\nfor x in data:\n    loss = model(x).mean()\n    loss.backward()\n    total += loss.item()\n"),
        Valid("total = 0.0\nfor x in data:\n    loss = model(x).mean()\n    loss.backward()\n    total += float(loss)\n"),
        Valid("total = 0\nfor x in data:\n    loss = model(x).mean()\n    total += loss\n"),  # no backward: eval
        Valid("for x in data:\n    loss = model(x).mean()\n    loss.backward()\n    count += 1\n"),
        Valid(cells=("import torch\nepoch_loss = 0.0\n",
                     "for x, y in loader:\n    loss = crit(model(x), y)\n    loss.backward()\n    opt.step()\n"
                     "    epoch_loss += loss.item()\n")),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("total = 0.0\nfor x in data:\n    loss = model(x).mean()\n    loss.backward()\n    total += loss\n",
                line=5),
        Invalid("running = 0\nfor x, y in loader:\n    loss = crit(model(x), y)\n    running = running + loss\n"
                "    loss.backward()\n    opt.step()\n    opt.zero_grad()\n", line=4),
        Invalid(cells=("import torch\nepoch_loss = 0.0\n",
                       "for x, y in loader:\n    loss = crit(model(x), y)\n    loss.backward()\n    opt.step()\n"
                       "    epoch_loss += loss\n"), cell=1, line=5),
    ]

    def visit_For(self, node: cst.For) -> None:
        self._check(node)

    def visit_While(self, node: cst.While) -> None:
        self._check(node)

    def _check(self, loop: cst.For | cst.While) -> None:
        backward = {
            n.func.value.value for n in iter_nodes(loop.body)
            if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "backward"
            and isinstance(n.func.value, cst.Name)
        }
        if not backward:
            return
        for n in iter_nodes(loop.body, (cst.For, cst.While, cst.FunctionDef, cst.Lambda)):
            if isinstance(n, cst.AugAssign) and isinstance(n.operator, cst.AddAssign) \
                    and isinstance(n.value, cst.Name) and n.value.value in backward:
                self.report(n)
            elif isinstance(n, cst.Assign) and isinstance(n.value, cst.BinaryOperation) \
                    and isinstance(n.value.operator, cst.Add) and len(n.targets) == 1 \
                    and isinstance(n.targets[0].target, cst.Name) and isinstance(n.value.left, cst.Name) \
                    and n.value.left.value == n.targets[0].target.value \
                    and isinstance(n.value.right, cst.Name) and n.value.right.value in backward:
                self.report(n)
