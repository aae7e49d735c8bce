"""RV501 unpinned-model-download: a model or dataset fetched from a hub by name, without a
revision pinned to a commit, runs whatever the repository holds on the day it is fetched."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from reviewer.analysis.model_hub import keyword_value, pinned, repository
from reviewer.engine import Invalid, Rule, Valid
from reviewer.model import Category, Confidence, Severity


class UnpinnedModelDownload(Rule):
    """A model, tokenizer or dataset downloaded from a hub without pinning a commit.

    ## What it does
    Flags `from_pretrained("org/name")` (transformers, diffusers, peft, any class), Hugging
    Face `hf_hub_download()` / `snapshot_download()`, `datasets.load_dataset()`,
    `transformers.pipeline(model=...)`, `SentenceTransformer(...)` and `torch.hub.load()` when the
    repository is named by a string and no `revision=` (or `owner/repo:ref`) pins a 40-character
    commit hash; a branch or tag name (`revision="main"`, `:v1.0`) is flagged too. Local paths,
    `local_files_only=True`, a model named by a plain word (`"output"`, `"best_model"`: a
    directory; canonical hub models have a hyphen or a digit), local dataset builders (`"csv"`,
    `"json"`...) and names or revisions held in variables are left alone, and so are test files
    (test suites fetch tiny public models by name on purpose).

    ## Why is this bad?
    A hub repository is mutable: whoever controls it can replace the weights, the tokenizer or
    the code (`trust_remote_code`) your program runs, and results stop being reproducible even
    without an attacker. Pin `revision="<commit sha>"` (CWE-494, download of code without an
    integrity check); bandit's B615 is the same check without these exclusions.
    """

    CODE = "RV501"
    NAME = "unpinned-model-download"
    CATEGORY = Category.SECURITY
    SEVERITY = Severity.WARNING
    CONFIDENCE = Confidence.HIGH
    CWE = (494,)
    MESSAGE = "Downloaded from the hub without a pinned commit: pass `revision=` with a commit hash"
    EQUIVALENT = ("B615",)
    SUPERSEDES = ("B615",)
    #: Test suites fetch tiny public models by name on purpose; the risk is in shipped code.
    NOT_IN_TESTS = True
    TRIGGERS = ("from_pretrained", "hf_hub_download", "snapshot_download", "load_dataset", "pipeline",
                "SentenceTransformer", "hub.load")

    VALID: ClassVar[list[Valid]] = [
        Valid('from transformers import AutoModel\n\n'
              'model = AutoModel.from_pretrained("bert-base-uncased", revision="a265f773a47193eed794233aa2a0f0bb6d3eaa63")\n'),
        Valid('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("./checkpoints/best")\n'),
        Valid('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained(args.model_dir)\n'),
        Valid('from transformers import AutoModel\n\n'
              'model = AutoModel.from_pretrained("bert-base-uncased", local_files_only=True)\n'),
        Valid('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("gpt2", revision=REVISION)\n'),
        Valid('from datasets import load_dataset\n\nds = load_dataset("csv", data_files="train.csv")\n'),
        Valid('import torch\n\nm = torch.hub.load("./hubconf_dir", "resnet18", source="local")\n'),
        Valid('class Cache:\n    def from_pretrained(self, name):\n        return name\n\nCache().from_pretrained(x)\n'),
        Valid('from transformers import pipeline\n\nclf = pipeline("sentiment-analysis", model=MODEL_DIR)\n'),
        Valid('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("best_model")\n'),
        Valid(cells=("from transformers import AutoModel\nSHA = 'a265f773a47193eed794233aa2a0f0bb6d3eaa63'\n",
                     'model = AutoModel.from_pretrained("bert-base-uncased", revision=SHA)\n')),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid('from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("bert-base-uncased")\n',
                line=3),
        Invalid('from transformers import AutoTokenizer as T\n\n'
                'tok = T.from_pretrained("meta-llama/Llama-2-7b-hf", revision="main")\n', line=3),
        Invalid('from huggingface_hub import hf_hub_download\n\n'
                'path = hf_hub_download(repo_id="org/model", filename="model.safetensors")\n', line=3),
        Invalid('import datasets\n\nds = datasets.load_dataset("imdb")\n', line=3),
        Invalid('from transformers import AutoModel\n\nNAME = "gpt2"\nmodel = AutoModel.from_pretrained(NAME)\n', line=4),
        Invalid('import torch\n\nmodel = torch.hub.load("pytorch/vision:v0.10.0", "resnet18", pretrained=True)\n',
                line=3),
        Invalid(cells=("from transformers import pipeline\n",
                       'clf = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")\n'),
                cell=1, line=1),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        found = repository(node, self.context.qualified_name(node.func), self.context.module)
        if found is None:
            return
        name, ref = found
        verdict = pinned(node, ref)
        if verdict is None or verdict:
            return
        moving = ref or keyword_value(node, "revision")
        where = f"`{name}`" + (f" at `{moving}`, a branch or tag that can move," if moving else "")
        self.report(node, f"{where} is downloaded from the hub without a pinned commit: pass "
                          "`revision=` with the commit hash you reviewed")
