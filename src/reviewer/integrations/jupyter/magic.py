"""`%load_ext reviewer`, then `%review` (the current notebook), `%review path.py|nb.ipynb`, or
`%%review` (the cell's own code). Shows the ipywidgets view; text when ipywidgets is missing."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from IPython.core.magic import Magics, line_cell_magic, magics_class

from reviewer.integrations.jupyter.content import review_content
from reviewer.model import Report


class MagicError(RuntimeError):
    """Shown to the user as a one-line message, not a traceback."""


def current_notebook(namespace: dict[str, Any]) -> Path:
    """The notebook this kernel belongs to: VS Code tells the namespace, jupyter_server the env."""
    candidates = [namespace.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME")]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.endswith(".ipynb"):
            path = Path(candidate)
            if not path.is_absolute():
                path = Path.cwd() / path
            if path.is_file():
                return path
    raise MagicError("cannot tell which notebook this is; use %review path/to/notebook.ipynb")


def review_file(path: Path) -> Report:
    path = path.resolve()
    if not path.is_file():
        raise MagicError(f"{path}: no such file")
    cwd = Path.cwd().resolve()
    root = cwd if path.is_relative_to(cwd) else path.parent
    return review_content(str(root), path.relative_to(root).as_posix())


def review_cell(code: str, execution_count: int | None = None) -> Report:
    """Review a `%%review` cell's code as `In[N].py` (N: the prompt number the cell runs as).
    IPython hands over the code without the magic's own line: a blank first line puts every
    finding on the line the editor shows."""
    name = f"In[{execution_count}].py" if execution_count else "In[ ].py"
    return review_content(str(Path.cwd().resolve()), name, content="\n" + code)


def display_report(report: Report) -> Any:
    try:
        from reviewer.integrations.jupyter.widget import show
    except ImportError:  # no ipywidgets: plain text works everywhere
        from reviewer.report import render

        print(render("text", report))
        return None
    return show(report)


@magics_class
class ReviewMagics(Magics):
    @line_cell_magic
    def review(self, line: str, cell: str | None = None) -> Any:
        """%review [PATH] reviews a file or the current notebook; %%review reviews the cell."""
        try:
            if cell is not None:
                report = review_cell(cell, getattr(self.shell, "execution_count", None))
            elif line.strip():
                report = review_file(Path(os.path.expanduser(line.strip())))
            else:
                report = review_file(current_notebook(self.shell.user_ns if self.shell else {}))
        except MagicError as exc:
            print(f"reviewer: {exc}")
            return None
        return display_report(report)


def register(ipython: Any) -> None:
    ipython.register_magics(ReviewMagics)
