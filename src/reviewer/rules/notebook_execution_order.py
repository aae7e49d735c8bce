"""RV402 notebook-execution-order: saved execution counts show cells were run out of order."""

from __future__ import annotations

from typing import ClassVar

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity
from reviewer.sources import CellSpan

_SHOWN = 12  #: execution counts quoted in the message


def _counts(spans: list[CellSpan]) -> str:
    shown = ", ".join("-" if s.execution_count is None else str(s.execution_count) for s in spans[:_SHOWN])
    return f"[{shown}{', ...' if len(spans) > _SHOWN else ''}]"


class NotebookExecutionOrder(Rule):
    """Notebook cells were executed out of order.

    ## What it does
    Reads the execution counts saved with the notebook's code cells (`In [3]:`) and flags the
    first code cell that ran before a cell above it (its count is not greater than an earlier
    count, e.g. `[3, 1, 2]`) or that ran while a non-empty code cell above it was never run
    (`[-, 1, 2]`; `-` marks a cell that never ran). Reported once per notebook, on the first line
    of that cell. Notebooks saved without any execution counts, gaps in the counts (`[1, 2, 5]`)
    and unexecuted cells at the end are fine.

    ## Why is this bad?
    The saved outputs came from hidden state: variables from cells run later, rerun or deleted.
    Restart & Run All (and anyone re-running the notebook top to bottom) may fail or give
    different results. Restart the kernel and run all cells before saving.
    """

    CODE = "RV402"
    NAME = "notebook-execution-order"
    CATEGORY = Category.NOTEBOOK
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Cells were executed out of order; restart the kernel and run all cells before saving"
    NOTEBOOK_ONLY = True

    VALID: ClassVar[list[Valid]] = [
        Valid(cells=("import pandas as pd\n", "df = pd.read_csv('a.csv')\n", "df.head()\n"),
              execution_counts=(1, 2, 3)),
        Valid(cells=("x = 1\n", "y = x + 1\n")),  # never executed
        Valid(cells=("import numpy as np\n", "a = np.ones(3)\n", "a.sum()\n"),
              execution_counts=(1, 4, 7)),  # gaps: cells rerun in order
        Valid(cells=("x = 1\n", "print(x)\n", "x = 2  # scratch\n"), execution_counts=(1, 2, None)),
        Valid(cells=("x = 1\n", "", "print(x)\n"), execution_counts=(1, None, 2)),  # empty cell
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(cells=("import pandas as pd\n", "df = pd.read_csv('a.csv')\n", "df.head()\n"),
                execution_counts=(3, 1, 2), cell=1, line=1),
        Invalid(cells=("data = load()\n", "model.fit(data)\n"), execution_counts=(None, 1),
                cell=1, line=1),
        Invalid(cells=("a = 1\n", "b = 2\n", "c = a + b\n"), execution_counts=(1, 2, 2),
                cell=2, line=1),
        Invalid(cells=("import torch\n", "# train\nloss = step()\n", "print(loss)\n"),
                execution_counts=(1, 9, 4), cell=2, line=1),
        Invalid(cells=("x = 1\n", "y = 2\n", "z = 3\n"), execution_counts=(1, None, 3),
                cell=2, line=1),
    ]

    def finish(self) -> None:
        cell_map = self.context.unit.cell_map
        if cell_map is None:
            return
        spans = [s for s in cell_map.spans if s.line_count]
        highest: CellSpan | None = None  #: the executed cell with the highest count so far
        never_run: CellSpan | None = None  #: the first non-empty cell above that never ran
        for span in spans:
            count = span.execution_count
            if count is None:
                if never_run is None and self._has_code(span):
                    never_run = span
                continue
            if highest is not None and highest.execution_count is not None and count <= highest.execution_count:
                why = (
                    f"cell {span.index + 1} ran as [{count}] after cell {highest.index + 1} "
                    f"ran as [{highest.execution_count}]"
                )
            elif never_run is not None:
                why = f"cell {span.index + 1} ran as [{count}] but cell {never_run.index + 1} above it never ran"
            else:
                highest = span
                continue
            self.report_line(
                span.first_line,
                f"Cells were executed out of order {_counts(spans)}: {why}; the outputs depend on "
                "hidden state, restart the kernel and run all cells before saving",
            )
            return

    def _has_code(self, span: CellSpan) -> bool:
        unit = self.context.unit
        lines = range(span.first_line, span.first_line + span.line_count)
        return any(unit.line_text(line).strip() for line in lines) or bool(span.magics)
