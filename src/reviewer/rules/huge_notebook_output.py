"""RV405 huge-notebook-output: a cell's saved outputs bloat the notebook."""

from __future__ import annotations

from typing import ClassVar

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity

KB = 1024
MAX_OUTPUT_BYTES = 100 * KB  #: all saved outputs of one cell
MAX_IMAGE_BYTES = 1024 * KB  #: one embedded image (decoded)


def _size(size: int) -> str:
    return f"{size / KB / KB:.1f} MB" if size >= KB * KB else f"{size // KB} KB"


def _stream(size: int) -> dict[str, object]:
    return {"output_type": "stream", "name": "stdout", "text": "epoch 1 loss 0.5\n" * (size // 17)}


def _image(size: int) -> dict[str, object]:
    return {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBO" * (size // 3)}}


class HugeNotebookOutput(Rule):
    """Notebook cell with huge saved outputs.

    ## What it does
    Flags code cells whose saved outputs, images aside, exceed 100 KB in total, or that embed an
    image larger than 1 MB (decoded): long training logs, printed data frames and tensors, high-resolution
    plots. Reported on the first line of the cell.

    ## Why is this bad?
    Committed outputs bloat the repository and every clone, make diffs and reviews unreadable,
    slow down editors and can carry data that should not be shared. Clear the outputs (or strip
    them with `nbstripout` in a pre-commit hook), log to a file, and save plots at a sensible
    resolution.
    """

    CODE = "RV405"
    NAME = "huge-notebook-output"
    CATEGORY = Category.NOTEBOOK
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Huge saved output bloats the notebook; clear it before committing"
    NOTEBOOK_ONLY = True

    VALID: ClassVar[list[Valid]] = [
        Valid(cells=("for epoch in range(3):\n    print(epoch)\n",), outputs=((_stream(2 * KB),),)),
        Valid(cells=("plt.plot(x)\n",), outputs=((_image(200 * KB),),)),
        Valid(cells=("df.head()\n", "print(df.shape)\n"), outputs=((_stream(60 * KB),), (_stream(60 * KB),))),
        Valid(cells=("x = 1\n",)),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(cells=("model.fit(X, y, verbose=1)\n",), outputs=((_stream(150 * KB),),), cell=0, line=1),
        Invalid(cells=("import torch\n", "# plot\nplt.imshow(img)\n"), outputs=((), (_image(1100 * KB),)),
                cell=1, line=1),
        Invalid(cells=("print(df)\n",), outputs=((_stream(60 * KB), _stream(60 * KB)),), cell=0, line=1),
        Invalid(cells=("x = 1\n", "y = 2\n", "tensor\n"),
                outputs=((), (), ({"output_type": "execute_result", "execution_count": 3, "metadata": {},
                                   "data": {"text/plain": "0.1, " * 30 * KB}},)),
                cell=2, line=1),
    ]

    def finish(self) -> None:
        cell_map = self.context.unit.cell_map
        if cell_map is None:
            return
        for span in cell_map.spans:
            if not span.line_count:
                continue
            image = max((output.image_bytes for output in span.outputs), default=0)
            # Images have their own limit: the total counts everything else (text, HTML, JSON).
            other = span.output_bytes - sum(output.image_payload for output in span.outputs)
            if image > MAX_IMAGE_BYTES:
                why = f"embeds an image of {_size(image)}"
            elif other > MAX_OUTPUT_BYTES:
                why = f"has {_size(other)} of saved outputs"
            else:
                continue
            self.report_line(
                span.first_line,
                f"Cell {span.index + 1} {why}; clear the outputs before committing (nbstripout)",
            )
