"""The same file access with secure_filename, basename or a containment check (CWE-22 safe twins)."""

import os
import shutil
import sys
import tarfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse as StarletteFile
from flask import Flask, abort, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()

UPLOAD_DIR = "/srv/app/uploads"
REPORTS = Path("/srv/app/reports")
TEMPLATES = {"invoice.html", "receipt.html", "welcome.html"}


@app.route("/download")
def download_contained():
    name = secure_filename(request.args["file"])
    return send_file(os.path.join(UPLOAD_DIR, name))  # safe: CWE-22


@app.route("/avatar/<path:filename>")
def avatar_from_directory(filename):
    return send_from_directory("static/avatars", filename)  # safe: CWE-22


@api.get("/reports/{name}")
def get_report_contained(name: str):
    path = (REPORTS / name).resolve()
    if not path.is_relative_to(REPORTS):
        raise HTTPException(status_code=404)
    return StarletteFile(path)  # safe: CWE-22


def django_attachment_contained(request):
    attachment = os.path.basename(request.GET.get("name", ""))
    if not attachment:
        raise Http404
    return FileResponse(open(os.path.join("/srv/attachments", attachment), "rb"))  # safe: CWE-22


@app.route("/upload", methods=["POST"])
def save_upload_secure():
    upload = request.files["document"]
    upload.save(os.path.join(UPLOAD_DIR, secure_filename(upload.filename)))  # safe: CWE-22
    return "saved"


@app.route("/projects/delete", methods=["POST"])
def delete_project_contained():
    root = os.path.realpath("/srv/projects")
    target = os.path.realpath(os.path.join(root, request.form["project"]))
    if os.path.commonpath([root, target]) != root or target == root:
        abort(400)
    shutil.rmtree(target)  # safe: CWE-22
    return "deleted"


def copy_template_cli_checked():
    template = sys.argv[1]
    if template not in TEMPLATES:
        raise SystemExit(f"unknown template {template!r}")
    shutil.copy(os.path.join("templates", template), "build/")  # safe: CWE-22


def django_read_note_contained(request):
    base = Path("/srv/notes").resolve()
    note = (base / request.POST["note"]).resolve()
    if base not in note.parents:
        raise Http404
    text = note.read_text(encoding="utf-8")  # safe: CWE-22
    return HttpResponse(text, content_type="text/plain")


@app.route("/import", methods=["POST"])
def import_archive_filtered():
    upload = request.files["archive"]
    with tarfile.open(fileobj=upload.stream) as archive:
        archive.extractall("/srv/imports", filter="data")  # safe: CWE-22
    return "imported"


@app.route("/logs/remove", methods=["POST"])
def remove_log_basename():
    log_name = os.path.basename(request.get_json()["log"])
    if not log_name.endswith(".log"):
        abort(400)
    os.remove("/var/log/app/" + log_name)  # safe: CWE-22
    return "", 204
