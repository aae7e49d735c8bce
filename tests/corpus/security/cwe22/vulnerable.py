"""File paths built from untrusted names without containment (CWE-22)."""

import os
import shutil
import sys
import tarfile
from pathlib import Path

from django.http import FileResponse, HttpResponse
from fastapi import FastAPI
from fastapi.responses import FileResponse as StarletteFile
from flask import Flask, request, send_file

app = Flask(__name__)
api = FastAPI()

UPLOAD_DIR = "/srv/app/uploads"
REPORTS = Path("/srv/app/reports")


@app.route("/download")
def download():
    name = request.args["file"]
    return send_file(os.path.join(UPLOAD_DIR, name))  # vuln: CWE-22


@app.route("/avatar/<path:filename>")
def avatar(filename):
    with open(f"static/avatars/{filename}", "rb") as handle:  # vuln: CWE-22
        return handle.read()


@api.get("/reports/{name}")
def get_report(name: str):
    return StarletteFile(REPORTS / name)  # vuln: CWE-22


def django_attachment(request):
    attachment = request.GET.get("name", "")
    return FileResponse(open(os.path.join("/srv/attachments", attachment), "rb"))  # vuln: CWE-22


@app.route("/upload", methods=["POST"])
def save_upload():
    upload = request.files["document"]
    upload.save(os.path.join(UPLOAD_DIR, upload.filename))  # vuln: CWE-22
    return "saved"


@app.route("/projects/delete", methods=["POST"])
def delete_project():
    project = request.form["project"]
    shutil.rmtree(os.path.join("/srv/projects", project))  # vuln: CWE-22
    return "deleted"


def copy_template_cli():
    template = sys.argv[1]
    shutil.copy(os.path.join("templates", template), "build/")  # vuln: CWE-22


def django_read_note(request):
    note = request.POST["note"]
    text = (Path("/srv/notes") / note).read_text(encoding="utf-8")  # vuln: CWE-22
    return HttpResponse(text, content_type="text/plain")


@app.route("/import", methods=["POST"])
def import_archive():
    upload = request.files["archive"]
    with tarfile.open(fileobj=upload.stream) as archive:
        archive.extractall("/srv/imports")  # vuln: CWE-22
    return "imported"


@app.route("/logs/remove", methods=["POST"])
def remove_log():
    log_name = request.get_json()["log"]
    os.remove("/var/log/app/" + log_name)  # vuln: CWE-22
    return "", 204
