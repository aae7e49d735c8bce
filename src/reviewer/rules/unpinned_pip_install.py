"""RV403 unpinned-pip-install: `%pip install pkg` in a notebook without a version pin."""

from __future__ import annotations

import re
from typing import ClassVar

from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity
from reviewer.sources.pip_install import install_commands, requirement_words

_PINNED = ("==", "~=", "@")
_LOCAL = re.compile(r"^(?:\.|/|~|[A-Za-z]:\\)|://|\.(?:whl|zip|tar\.gz|tgz)$")


def unpinned_packages(args: str) -> list[str]:
    """Package requirements in `pip install` arguments that pin no version."""
    return [
        word
        for word in requirement_words(args)
        if not any(marker in word for marker in _PINNED)
        and not _LOCAL.search(word)
        and "$" not in word and "{" not in word  # IPython variable expansion: unknown here
    ]


class UnpinnedPipInstall(Rule):
    """Notebook installs a package without pinning its version.

    ## What it does
    Flags `%pip install`, `!pip install` (and `python -m pip`, `uv pip`) lines in notebook code
    cells, including inside a `%%bash` cell, that install a package without an exact version:
    no `==`, `~=` or `name @ url`. Requirements files (`-r requirements.txt`), constraints,
    editable and local installs, and IPython variables (`$pkg`) are left alone. A lower bound
    (`>=`) is not a pin.

    ## Why is this bad?
    The notebook installs whatever is newest on the day it runs: a result that reproduced
    yesterday breaks when a dependency ships a new major version (AI assistants suggest package
    APIs as they were at training time). Pin the versions you tested with, or install from a
    requirements file.
    """

    CODE = "RV403"
    NAME = "unpinned-pip-install"
    CATEGORY = Category.NOTEBOOK
    SEVERITY = Severity.NOTE
    CONFIDENCE = Confidence.HIGH
    MESSAGE = "Package installed without a version pin; the notebook will not reproduce"
    NOTEBOOK_ONLY = True

    VALID: ClassVar[list[Valid]] = [
        Valid(cells=("%pip install -q openai==1.40.0 tiktoken~=0.7\n", "import openai\n")),
        Valid(cells=("!pip install -r requirements.txt\n", "import pandas as pd\n")),
        Valid(cells=("%pip install 'mylib @ git+https://github.com/org/mylib@v1.2'\n",)),
        Valid(cells=("!pip install -e .\n", "!pip list\n", "%pip install $PKG\n")),
        Valid(cells=("# pip install pandas\nimport pandas as pd\n",)),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(cells=("%pip install openai\n", "import openai\n"), cell=0, line=1),
        Invalid(cells=("import os\n", "!pip install -q langchain==0.2.1 chromadb\n"), cell=1, line=1),
        Invalid(cells=("%%capture\n%pip install -U transformers>=4.40\n",), cell=0, line=2),
        Invalid(cells=("import sys\n!{sys.executable} -m pip install numpy\n!python -m pip install torch\n",),
                cell=0, line=3),
        Invalid(cells=("%%bash\npip install scikit-learn\n",), cell=0, line=2),
    ]

    def finish(self) -> None:
        cell_map = self.context.unit.cell_map
        if cell_map is None:
            return
        for span in cell_map.spans:
            for number, text, args in install_commands(span.magics):
                packages = unpinned_packages(args)
                if not packages:
                    continue
                names = ", ".join(f"`{p}`" for p in packages[:5])
                self.report_line(
                    span.first_line + number - 1,
                    f"Package{'s' if len(packages) > 1 else ''} {names} installed without a "
                    "version pin (`==`); pin the tested version so the notebook reproduces",
                    len(text),
                )
