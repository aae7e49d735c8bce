"""Safe twins for CWE-377: mkstemp / NamedTemporaryFile / TemporaryDirectory."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from tempfile import NamedTemporaryFile, mkstemp

import pandas as pd
import torch
from flask import Flask, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)


def render_pdf_v2(html: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.pdf")  # safe: CWE-377
        subprocess.run(["wkhtmltopdf", "-", path], input=html.encode(), check=True)
        with open(path, "rb") as fh:
            return fh.read()


@app.route("/export-v2")
def export_report_v2():
    rows = request.args.getlist("row")
    with NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:  # safe: CWE-377
        fh.write("\n".join(rows))
    return send_file(fh.name)


def scratch_file_v2():
    return tempfile.TemporaryFile("w+", dir="/var/tmp", prefix="job")  # safe: CWE-377


def stage_upload_v2(data: bytes) -> str:
    fd, staging = mkstemp(prefix="upload_")  # safe: CWE-377
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return staging


@app.route("/avatar-v2", methods=["POST"])
def save_avatar_v2():
    f = request.files["avatar"]
    tmpdir = tempfile.mkdtemp(prefix="avatars_")
    Path(tmpdir, secure_filename(f.filename)).write_bytes(f.read())  # safe: CWE-377
    return "", 204


# %% notebook cell: hand the dataframe to the plotting service
def export_for_plotting_v2(df: pd.DataFrame) -> str:
    fd, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(fd, "w") as fh:
        df.to_csv(fh, index=False)  # safe: CWE-377
    return path


def cache_user_json_v2(user: str, payload: str) -> None:
    with tempfile.NamedTemporaryFile("w", prefix="user_", suffix=".json", delete=False) as fh:  # safe: CWE-377
        fh.write(payload)


def backup_database_v2(db_path):
    fd, dest = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    shutil.copy(db_path, dest)  # safe: CWE-377
    return dest


def acquire_lock_v2(run_dir):
    fd = os.open(os.path.join(run_dir, "app.lock"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # safe: CWE-377
    os.write(fd, str(os.getpid()).encode())
    return fd


def checkpoint_v2(model):
    with tempfile.NamedTemporaryFile(suffix=".pt", delete=False) as fh:
        torch.save(model.state_dict(), fh)  # safe: CWE-377
    return fh.name


class ReportBuilderV2:
    def __init__(self):
        self.workdir = tempfile.mkdtemp(dir="/var/tmp")  # safe: CWE-377

    def add(self, name, text):
        Path(self.workdir, name).write_text(text)


def tool_write_scratchpad_v2(args: dict, scratch_dir: str) -> str:
    """LLM tool: persist the agent's scratchpad between steps (scratch_dir from TemporaryDirectory)."""
    with open(os.path.join(scratch_dir, "agent_scratchpad.txt"), "a") as fh:  # safe: CWE-377
        fh.write(args["text"] + "\n")
    return "saved"
