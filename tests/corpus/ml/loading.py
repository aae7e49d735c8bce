"""Model files loaded from disk or downloads: which loaders run code."""

import joblib
import numpy as np
import pickle
import torch
from huggingface_hub import hf_hub_download
from tensorflow import keras


def restore(checkpoint_path):
    state = torch.load(checkpoint_path)  # bug: loading
    weights = torch.load(checkpoint_path, weights_only=True)  # fine: loading
    return state, weights


def load_sklearn(model_path):
    model = joblib.load(model_path)  # bug: loading
    with open(model_path, "rb") as handle:
        other = pickle.load(handle)  # bug: loading
    return model, other


def embeddings(path):
    unsafe = np.load(path, allow_pickle=True)  # bug: loading
    safe = np.load(path)  # fine: loading
    return unsafe, safe


def keras_model(path):
    lambdas = keras.models.load_model(path, safe_mode=False)  # bug: loading
    plain = keras.models.load_model(path)  # fine: loading
    return lambdas, plain


def downloaded():
    path = hf_hub_download("org/model", "pytorch_model.bin", revision="0123456789abcdef0123456789abcdef01234567")
    return torch.load(path, map_location="cpu")  # bug: loading


def serialize(model, path):
    torch.save(model.state_dict(), path)  # fine: loading
    pickle.dumps(model)  # fine: loading
