"""Tainted path parts reaching file operations through helpers, containers and other sources (CWE-22)."""

import json
import os
import shutil
import socket

import requests
from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

DATA_ROOT = "/srv/data"


def read_user_file(relative):
    with open(os.path.join(DATA_ROOT, relative), encoding="utf-8") as handle:  # vuln: CWE-22
        return handle.read()


@app.route("/files")
def show_file():
    return read_user_file(request.args["path"])


def export_path(user, name):
    return "/srv/exports/{}/{}".format(user, name)


@app.route("/export", methods=["POST"])
def export_csv():
    target = export_path("shared", request.form["name"])
    with open(target, "w", encoding="utf-8") as handle:  # vuln: CWE-22
        handle.write("id,value\n")
    return "written"


@app.route("/bundle")
def bundle_files():
    names = request.args.getlist("f")
    paths = []
    for name in names:
        paths.append(os.path.join("/srv/public", name))
    shutil.make_archive("/tmp/bundle", "zip", root_dir=paths[0])  # vuln: CWE-22
    return "bundled"


@app.route("/theme-css")
def theme_css():
    options = {"default": "light.css", "chosen": request.cookies.get("theme", "light.css")}
    with open("themes/" + options["chosen"], encoding="utf-8") as handle:  # vuln: CWE-22
        return handle.read()


def summarize_file_tool(question: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Which file in the docs folder answers: {question}? Reply with the path only."}])
    path = reply.choices[0].message.content.strip()
    with open(os.path.join("docs", path), encoding="utf-8") as handle:  # vuln: CWE-22
        return handle.read()[:2000]


def cache_remote_asset(asset_id):
    meta = requests.get(f"https://cdn.example.com/assets/{asset_id}.json", timeout=10).json()
    with open(os.path.join("/var/cache/assets", meta["filename"]), "wb") as handle:  # vuln: CWE-22
        handle.write(requests.get(meta["url"], timeout=10).content)


def restore_from_manifest(manifest_path):
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    for entry in manifest["files"]:
        shutil.move(entry["tmp"], os.path.join("/srv/restore", entry["dest"]))  # vuln: CWE-22


def file_server(port=7200):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    requested = conn.recv(1024).decode().strip()
    with open("/srv/share/%s" % requested, "rb") as handle:  # vuln: CWE-22
        conn.sendall(handle.read())


@app.route("/log-tail")
def tail_log():
    log_name = "app.log"
    if request.args.get("log"):
        log_name = request.args["log"]
    with open(os.path.join("/var/log/app", log_name), encoding="utf-8") as handle:  # vuln: CWE-22
        return handle.readlines()[-50:]


def workspace_file():
    workspace = os.environ.get("WORKSPACE_FILE", "notes.txt")
    with open(os.path.join("/srv/workspaces", workspace), encoding="utf-8") as handle:  # vuln: CWE-22
        return handle.read()
