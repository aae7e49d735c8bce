"""Safe twins for CWE-502: data-only formats and restricted loaders."""
import base64
import json
import socket

import pandas as pd
import requests
import torch
import yaml
from django.http import JsonResponse
from flask import Flask, abort, jsonify, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
PREFS_DIR = "/srv/app/prefs"


@app.route("/models/upload-json", methods=["POST"])
def upload_model_params():
    blob = request.files["model"].read()
    params = json.loads(blob)  # safe: CWE-502
    return jsonify({"keys": sorted(params)})


def serve_worker_jobs_json(port: int = 9100):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    conn, _ = srv.accept()
    payload = conn.recv(65536)
    job = json.loads(payload.decode("utf-8"))  # safe: CWE-502
    return job


def fetch_plugin_manifest(url):
    resp = requests.get(url, timeout=10)
    manifest = json.loads(resp.content)  # safe: CWE-502
    return manifest


@app.route("/prefs-json")
def read_prefs_json():
    name = secure_filename(request.args["profile"])
    if not name:
        abort(400)
    with open(f"{PREFS_DIR}/{name}.json") as fh:
        prefs = json.load(fh)  # safe: CWE-502
    return jsonify(prefs)


@app.post("/pipeline/config-safe")
def load_pipeline_config_safe():
    text = request.get_data(as_text=True)
    cfg = yaml.load(text, Loader=yaml.SafeLoader)  # safe: CWE-502
    return jsonify(cfg)


def import_recipe_safe(path):
    with open(path) as fh:
        recipe = yaml.safe_load(fh)  # safe: CWE-502
    return recipe["steps"]


# %% notebook cell: pull a community checkpoint (tensors only)
def load_community_checkpoint_safe(hub_url):
    local = "checkpoint.pt"
    with open(local, "wb") as fh:
        fh.write(requests.get(hub_url, timeout=60).content)
    state = torch.load(local, weights_only=True)  # safe: CWE-502
    return state


def restore_session_state_json(request):
    raw = request.COOKIES.get("state", "")
    state = json.loads(base64.b64decode(raw))  # safe: CWE-502
    return JsonResponse({"step": state.get("step")})


@app.route("/api/objects-json", methods=["POST"])
def restore_object_json():
    obj = json.loads(request.data.decode("utf-8"))  # safe: CWE-502
    return jsonify(obj)


@app.route("/datasets/import-csv", methods=["POST"])
def import_dataset_csv():
    upload = request.files["dataset"]
    df = pd.read_csv(upload)  # safe: CWE-502
    return jsonify({"rows": len(df)})


def tool_resume_agent_json(args: dict) -> str:
    """LLM tool: resume an agent from a JSON snapshot supplied in the tool call."""
    snapshot = base64.b64decode(args["snapshot"])
    agent_state = json.loads(snapshot)  # safe: CWE-502
    return f"resumed agent with {len(agent_state['memory'])} memories"


def load_yaml_modern(stream):
    config = yaml.safe_load(stream)  # safe: CWE-502
    return config


def load_downloaded_weights_json(path_from_cli):
    with open(path_from_cli, "rb") as fh:
        weights = json.load(fh)  # safe: CWE-502
    return weights


def load_hub_model_safe(checkpoint_path):
    model = torch.load(checkpoint_path, map_location="cpu", weights_only=True)  # safe: CWE-502
    return model
