"""RV502 trust-remote-code: `trust_remote_code=True` runs Python from a hub repository, which
whoever controls the repository can change, unless a commit is pinned."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.analysis.model_hub import pinned, repository
from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity


class TrustRemoteCode(Rule):
    """Code from a model or dataset repository is run with `trust_remote_code=True`.

    ## What it does
    Flags calls that pass `trust_remote_code=True` (transformers' `from_pretrained()` and
    `pipeline()`, `datasets.load_dataset()`, `SentenceTransformer()`, any other call) unless the
    same call pins `revision=` to a 40-character commit hash. A local directory or a name held in
    a variable is not a download and stays quiet.

    ## Why is this bad?
    The repository's Python files (modeling code, dataset scripts) run in your process with your
    credentials. Anyone who can push to that repository, or take over its owner's account, runs
    code on every machine that loads it next (CWE-494, CWE-829). Pin the commit you reviewed, or
    vendor the code.
    """

    CODE = "RV502"
    NAME = "trust-remote-code"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    CWE = (829, 494)
    MESSAGE = "`trust_remote_code=True` runs the repository's code: pin `revision=` to a reviewed commit"
    TRIGGERS = ("trust_remote_code",)

    VALID: ClassVar[list[Valid]] = [
        Valid('from transformers import AutoModel\n\n'
              'm = AutoModel.from_pretrained("microsoft/phi-2", trust_remote_code=True,\n'
              '                              revision="ef382358ec9e382308935a992d908de099b64c23")\n'),
        Valid('from transformers import AutoModel\n\nm = AutoModel.from_pretrained("./phi", trust_remote_code=True)\n'),
        Valid('from transformers import AutoModel\n\nm = AutoModel.from_pretrained("microsoft/phi-2", trust_remote_code=False)\n'),
        Valid('from transformers import AutoModel\n\nm = AutoModel.from_pretrained(path, trust_remote_code=True)\n'),
        Valid(cells=("from transformers import AutoModel\nREVISION = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'\n",
                     'model = AutoModel.from_pretrained("org/custom-arch", trust_remote_code=True, revision=REVISION)\n')),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid('from transformers import AutoModelForCausalLM\n\n'
                'm = AutoModelForCausalLM.from_pretrained("microsoft/phi-2", trust_remote_code=True)\n', line=3),
        Invalid('import datasets\n\nds = datasets.load_dataset("org/data", trust_remote_code=True, revision="main")\n',
                line=3),
        Invalid(cells=("from transformers import AutoModel\n",
                       'model = AutoModel.from_pretrained("org/custom-arch", trust_remote_code=True)\n'), cell=1, line=1),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        trusted = any(
            a.keyword is not None and a.keyword.value == "trust_remote_code"
            and isinstance(a.value, cst.Name) and a.value.value == "True"
            for a in node.args
        )
        if not trusted:
            return
        found = repository(node, self.context.qualified_name(node.func), self.context.module)
        if found is None:
            return
        if pinned(node, found[1]) is False:
            self.report(node, f"`trust_remote_code=True` runs the Python files of `{found[0]}` as they are "
                              "today: pin `revision=` to the commit you reviewed")
