"""Unsafe deserialization of untrusted bytes (CWE-502)."""
import base64
import marshal
import pickle
import shelve
import socket

import _pickle as cPickle
import jsonpickle
import pandas as pd
import requests
import torch
import yaml
from django.http import JsonResponse
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/models/upload", methods=["POST"])
def upload_model():
    blob = request.files["model"].read()
    model = pickle.loads(blob)  # vuln: CWE-502
    return jsonify({"type": type(model).__name__})


def serve_worker_jobs(port: int = 9100):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    conn, _ = srv.accept()
    payload = conn.recv(65536)
    job = cPickle.loads(payload)  # vuln: CWE-502
    return job


def fetch_plugin_code(url):
    resp = requests.get(url, timeout=10)
    code_obj = marshal.loads(resp.content)  # vuln: CWE-502
    return code_obj


@app.route("/prefs")
def read_prefs():
    db_path = request.args["profile"]
    with shelve.open(db_path) as db:  # vuln: CWE-502
        return jsonify(dict(db))


@app.post("/pipeline/config")
def load_pipeline_config():
    text = request.get_data(as_text=True)
    cfg = yaml.load(text, Loader=yaml.Loader)  # vuln: CWE-502
    return jsonify(cfg)


def import_recipe(path):
    with open(path) as fh:
        recipe = yaml.unsafe_load(fh)  # vuln: CWE-502
    return recipe["steps"]


# %% notebook cell: pull a community checkpoint
def load_community_checkpoint(hub_url):
    local = "checkpoint.pt"
    with open(local, "wb") as fh:
        fh.write(requests.get(hub_url, timeout=60).content)
    state = torch.load(local, weights_only=False)  # vuln: CWE-502
    return state


def restore_session_state(request):
    raw = request.COOKIES.get("state", "")
    state = pickle.loads(base64.b64decode(raw))  # vuln: CWE-502
    return JsonResponse({"step": state.get("step")})


@app.route("/api/objects", methods=["POST"])
def restore_object():
    obj = jsonpickle.decode(request.data.decode("utf-8"))  # vuln: CWE-502
    return jsonify(repr(obj))


@app.route("/datasets/import", methods=["POST"])
def import_dataset():
    upload = request.files["dataset"]
    df = pd.read_pickle(upload)  # vuln: CWE-502
    return jsonify({"rows": len(df)})


def tool_resume_agent(args: dict) -> str:
    """LLM tool: resume an agent from a serialized snapshot supplied in the tool call."""
    snapshot = base64.b64decode(args["snapshot"])
    agent = pickle.loads(snapshot)  # vuln: CWE-502
    return f"resumed agent with {len(agent.memory)} memories"


def load_yaml_legacy(stream):
    config = yaml.load(stream)  # vuln: CWE-502
    return config


def load_downloaded_weights(path_from_cli):
    with open(path_from_cli, "rb") as fh:
        weights = pickle.load(fh)  # vuln: CWE-502
    return weights


def load_hub_model(checkpoint_path):
    model = torch.load(checkpoint_path, map_location="cpu")  # vuln: CWE-502
    return model
