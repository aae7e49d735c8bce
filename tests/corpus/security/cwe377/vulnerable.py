"""Insecure temporary files: mktemp races and predictable /tmp paths (CWE-377)."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from tempfile import mktemp

import pandas as pd
import torch
from flask import Flask, request, send_file

app = Flask(__name__)


def render_pdf(html: str) -> bytes:
    path = tempfile.mktemp(suffix=".pdf")  # vuln: CWE-377
    subprocess.run(["wkhtmltopdf", "-", path], input=html.encode(), check=True)
    with open(path, "rb") as fh:
        return fh.read()


@app.route("/export")
def export_report():
    rows = request.args.getlist("row")
    with open("/tmp/report.csv", "w") as fh:  # vuln: CWE-377
        fh.write("\n".join(rows))
    return send_file("/tmp/report.csv")


def scratch_file_legacy():
    name = os.tempnam("/var/tmp", "job")  # vuln: CWE-377
    return open(name, "w")


def stage_upload(data: bytes) -> str:
    staging = mktemp(prefix="upload_")  # vuln: CWE-377
    with open(staging, "wb") as fh:
        fh.write(data)
    return staging


@app.route("/avatar", methods=["POST"])
def save_avatar():
    f = request.files["avatar"]
    Path("/tmp/avatar_" + f.filename).write_bytes(f.read())  # vuln: CWE-377
    return "", 204


# %% notebook cell: hand the dataframe to the plotting service
def export_for_plotting(df: pd.DataFrame) -> str:
    df.to_csv("/tmp/export.csv", index=False)  # vuln: CWE-377
    return "/tmp/export.csv"


def cache_user_json(user: str, payload: str) -> None:
    with open(f"/tmp/{user}.json", "w") as fh:  # vuln: CWE-377
        fh.write(payload)


def backup_database(db_path):
    shutil.copy(db_path, "/tmp/backup.db")  # vuln: CWE-377


def acquire_lock():
    fd = os.open("/tmp/app.lock", os.O_WRONLY | os.O_CREAT)  # vuln: CWE-377
    os.write(fd, str(os.getpid()).encode())
    return fd


def checkpoint(model):
    torch.save(model.state_dict(), "/tmp/model.pt")  # vuln: CWE-377


class ReportBuilder:
    def __init__(self):
        self.workdir = tempfile.mktemp(dir="/var/tmp")  # vuln: CWE-377
        os.mkdir(self.workdir)

    def add(self, name, text):
        Path(self.workdir, name).write_text(text)


def tool_write_scratchpad(args: dict) -> str:
    """LLM tool: persist the agent's scratchpad between steps."""
    with open("/tmp/agent_scratchpad.txt", "a") as fh:  # vuln: CWE-377
        fh.write(args["text"] + "\n")
    return "saved"
