"""Models and datasets fetched from a hub."""

import torch
from datasets import load_dataset
from huggingface_hub import snapshot_download
from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer, pipeline

SHA = "0123456789abcdef0123456789abcdef01234567"
BASE = "bert-base-uncased"


def models(local_dir, name):
    a = AutoModel.from_pretrained("bert-base-uncased")  # bug: pinning
    b = AutoTokenizer.from_pretrained(BASE)  # bug: pinning
    c = AutoModel.from_pretrained("roberta-base", revision="main")  # bug: pinning
    d = AutoModel.from_pretrained("roberta-base", revision=SHA)  # fine: pinning
    e = AutoModel.from_pretrained(local_dir)  # fine: pinning
    f = AutoModel.from_pretrained("./outputs/checkpoint-500")  # fine: pinning
    g = AutoModelForCausalLM.from_pretrained("org/coder", trust_remote_code=True)  # bug: pinning
    h = AutoModel.from_pretrained(name, revision=SHA)  # fine: pinning
    return a, b, c, d, e, f, g, h


def data():
    imdb = load_dataset("imdb")  # bug: pinning
    local = load_dataset("json", data_files="train.jsonl")  # fine: pinning
    pinned = load_dataset("imdb", revision=SHA)  # fine: pinning
    return imdb, local, pinned


def other_hubs():
    repo = snapshot_download("org/weights")  # bug: pinning
    hub = torch.hub.load("pytorch/vision:v0.10.0", "resnet18")  # bug: pinning
    fixed = torch.hub.load("pytorch/vision:" + SHA, "resnet18")
    clf = pipeline("sentiment-analysis", model="distilbert-base-uncased")  # bug: pinning
    return repo, hub, fixed, clf
