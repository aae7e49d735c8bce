"""Which calls fetch a model or dataset from a hub by name, and whether they pin a commit
(shared by RV501 unpinned-model-download and RV502 trust-remote-code)."""

from __future__ import annotations

import re

import libcst as cst

from reviewer.analysis.bindings import module_assignments, string_value

#: Hub downloads by qualified name -> the keyword that names the repository.
_DOWNLOADS = {
    "huggingface_hub.hf_hub_download": "repo_id",
    "huggingface_hub.snapshot_download": "repo_id",
    "datasets.load_dataset": "path",
    "transformers.pipeline": "model",
    "sentence_transformers.SentenceTransformer": "model_name_or_path",
    "torch.hub.load": "repo_or_dir",
}
#: A hub repository id: `name` or `owner/name` (not a path, a URL or a file).
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
#: `load_dataset` builders that read local files, not a hub repository.
_LOCAL_BUILDERS = frozenset({
    "csv", "json", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder", "videofolder",
    "webdataset", "sql", "xml",
})
#: Hub ids without an owner are the canonical models (`gpt2`, `bert-base-uncased`, `t5-small`):
#: they have a hyphen or a digit; a plain word (`model`, `output`, `best_model`) is a directory.
_CANONICAL = re.compile(r"[-0-9]")
#: Loaders whose bare names are hub datasets (`load_dataset("imdb")`) or repositories.
_DATASET_LOADERS = frozenset({"datasets.load_dataset", "huggingface_hub.hf_hub_download",
                              "huggingface_hub.snapshot_download", "torch.hub.load"})
_FILE_SUFFIX = re.compile(r"\.(pt|pth|bin|safetensors|ckpt|onnx|h5|pkl|json|csv|txt|parquet|gguf)$")


def repository(call: cst.Call, qualified: str | None,
               module: cst.Module | None = None) -> tuple[str, str | None] | None:
    """(repository id, the call's pinned ref or None) when `call` fetches a named hub repository
    (a string, or a constant of `module` holding one); None for local paths, names held in
    variables, and calls that are not downloads."""
    if qualified is None:
        return None
    if qualified.endswith(".from_pretrained"):
        keyword = "pretrained_model_name_or_path"
    else:
        keyword = _DOWNLOADS.get(qualified, "")
        if not keyword:
            return None
    args = [a for a in call.args if a.keyword is None and not a.star]
    named = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    # `pipeline("sentiment-analysis")`: the first argument is the task, the model is `model=`.
    position = 1 if qualified == "transformers.pipeline" else 0
    value = named if named is not None else (args[position].value if len(args) > position else None)
    if isinstance(value, cst.Name) and module is not None:
        # `BASE_MODEL = "bert-base-uncased"` at module level
        value = _module_constants(module).get(value.value, value)
    text = string_value(value) if value is not None else None
    if text is None:
        return None  # a variable: a local directory as often as a hub name
    ref: str | None = None
    if qualified == "torch.hub.load":
        if keyword_value(call, "source") == "local":
            return None
        text, _, ref = text.partition(":")
        ref = ref or None
    if not _REPO_ID.match(text) or _FILE_SUFFIX.search(text) or text in _LOCAL_BUILDERS:
        return None
    if keyword_value(call, "local_files_only") is True:
        return None
    if "/" not in text and qualified not in _DATASET_LOADERS and not _CANONICAL.search(text):
        return None  # `from_pretrained("output")`: a word like that names a local directory
    return text, ref


#: The last module's constants: RV501 and RV502 ask about the same module, call after call.
_last_constants: tuple[cst.Module, dict[str, cst.BaseExpression]] | None = None


def _module_constants(module: cst.Module) -> dict[str, cst.BaseExpression]:
    global _last_constants
    cached = _last_constants  # one read: another thread may replace it meanwhile
    if cached is not None and cached[0] is module:
        return cached[1]
    constants = module_assignments(module)
    _last_constants = (module, constants)
    return constants


def pinned(call: cst.Call, ref: str | None) -> bool | None:
    """True when the call pins a commit, False when it names a branch or tag (or nothing),
    None when the revision is computed (a variable: someone decided, we cannot tell what)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "revision":
            text = string_value(arg.value)
            return None if text is None else bool(_COMMIT.match(text))
    return bool(ref and _COMMIT.match(ref))


def keyword_value(call: cst.Call, name: str) -> object:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            if isinstance(arg.value, cst.Name) and arg.value.value in ("True", "False"):
                return arg.value.value == "True"
            return string_value(arg.value)
    return None
