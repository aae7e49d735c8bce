"""Safe twins for CWE-732: owner-only or conventional non-writable-by-others modes."""
import os
import stat
import sys
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/uploads"


@app.route("/upload-v2", methods=["POST"])
def upload_v2():
    f = request.files["file"]
    dest = os.path.join(UPLOAD_DIR, "latest.bin")
    f.save(dest)
    os.chmod(dest, 0o640)  # safe: CWE-732
    return "", 201


def write_config_v2(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o644)  # safe: CWE-732


def write_secret_file_v2(path: str, secret: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)  # safe: CWE-732
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)


def ensure_cache_dir_v2(base):
    os.makedirs(os.path.join(base, "cache"), mode=0o700, exist_ok=True)  # safe: CWE-732


def make_group_shared(path):
    st = os.stat(path)
    os.chmod(path, st.st_mode | stat.S_IRGRP)  # safe: CWE-732


def install_hook_v2(repo):
    hook = Path(repo, ".git", "hooks", "pre-commit")
    hook.write_text("#!/bin/sh\nmake lint\n")
    hook.chmod(0o755)  # safe: CWE-732


def daemon_main_v2():
    os.umask(0o077)  # safe: CWE-732
    with open("/var/lib/agentd/state.json", "w") as fh:
        fh.write("{}")


def create_spool_v2(spool_root):
    os.mkdir(os.path.join(spool_root, "outgoing"), 0o750)  # safe: CWE-732


# %% notebook cell: make the results folder
def results_folder_v2(run_name):
    out = Path("results") / run_name
    out.mkdir(parents=True, mode=0o755, exist_ok=True)  # safe: CWE-732
    return out


def save_ssh_key_v2(path, private_key_pem: str):
    Path(path).write_text(private_key_pem)
    os.chmod(path, 0o600)  # safe: CWE-732


def open_control_socket_v2(sock_path):
    os.chmod(sock_path, stat.S_IRUSR | stat.S_IWUSR)  # safe: CWE-732


def write_token_cache_v2(token: str):
    fd = os.open(os.path.expanduser("~/.mytool/token"), os.O_CREAT | os.O_WRONLY)
    os.fchmod(fd, 0o600)  # safe: CWE-732
    os.write(fd, token.encode())
    os.close(fd)


if __name__ == "__main__":
    os.chmod(sys.argv[1], 0o700)  # safe: CWE-732
