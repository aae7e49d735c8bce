"""Helpers, containers and other sources with contained or constant paths (CWE-22 safe twins)."""

import json
import os
import shutil
import socket

import requests
from flask import Flask, request
from openai import OpenAI
from werkzeug.utils import secure_filename

app = Flask(__name__)
client = OpenAI()

DATA_ROOT = os.path.realpath("/srv/data")
DOC_FILES = {"install.md", "usage.md", "faq.md"}


def read_contained_file(relative):
    full = os.path.realpath(os.path.join(DATA_ROOT, relative))
    if not full.startswith(DATA_ROOT + os.sep):
        raise PermissionError(relative)
    with open(full, encoding="utf-8") as handle:  # safe: CWE-22
        return handle.read()


@app.route("/files")
def show_contained_file():
    return read_contained_file(request.args["path"])


def secure_export_path(user, name):
    return "/srv/exports/{}/{}".format(user, secure_filename(name))


@app.route("/export", methods=["POST"])
def export_csv_secure():
    target = secure_export_path("shared", request.form["name"])
    with open(target, "w", encoding="utf-8") as handle:  # safe: CWE-22
        handle.write("id,value\n")
    return "written"


@app.route("/bundle")
def bundle_secure_files():
    names = request.args.getlist("f")
    paths = []
    for name in names:
        paths.append(os.path.join("/srv/public", secure_filename(name)))
    shutil.make_archive("/tmp/bundle", "zip", root_dir=paths[0])  # safe: CWE-22
    return "bundled"


@app.route("/theme-css")
def default_theme_css():
    options = {"default": "light.css", "chosen": request.cookies.get("theme", "light.css")}
    with open("themes/" + options["default"], encoding="utf-8") as handle:  # safe: CWE-22
        return handle.read()


def summarize_doc_tool(question: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Which of install.md, usage.md, faq.md answers: {question}? Reply with the name only."}])
    path = reply.choices[0].message.content.strip()
    if path not in DOC_FILES:
        return "no matching document"
    with open(os.path.join("docs", path), encoding="utf-8") as handle:  # safe: CWE-22
        return handle.read()[:2000]


def cache_remote_asset_by_id(asset_id: int):
    meta = requests.get(f"https://cdn.example.com/assets/{int(asset_id)}.json", timeout=10).json()
    with open(os.path.join("/var/cache/assets", f"{int(asset_id)}.bin"), "wb") as handle:  # safe: CWE-22
        handle.write(requests.get(meta["url"], timeout=10).content)


def restore_from_manifest_secure(manifest_path):
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    for entry in manifest["files"]:
        shutil.move(entry["tmp"], os.path.join("/srv/restore", secure_filename(entry["dest"])))  # safe: CWE-22


def basename_file_server(port=7200):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    requested = os.path.basename(conn.recv(1024).decode().strip())
    with open("/srv/share/%s" % requested, "rb") as handle:  # safe: CWE-22
        conn.sendall(handle.read())


@app.route("/log-tail")
def tail_default_log():
    log_name = "app.log"
    if 1 == 2:
        log_name = request.args["log"]
    with open(os.path.join("/var/log/app", log_name), encoding="utf-8") as handle:  # safe: CWE-22
        return handle.readlines()[-50:]


def default_workspace_file():
    workspace = os.environ.get("WORKSPACE_FILE", "notes.txt")
    workspace = "notes.txt"
    with open(os.path.join("/srv/workspaces", workspace), encoding="utf-8") as handle:  # safe: CWE-22
        return handle.read()
