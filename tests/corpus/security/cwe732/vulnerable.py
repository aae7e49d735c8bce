"""World-writable / world-readable permissions on files, dirs and sockets (CWE-732)."""
import os
import stat
import sys
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
UPLOAD_DIR = "/srv/app/uploads"


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    dest = os.path.join(UPLOAD_DIR, "latest.bin")
    f.save(dest)
    os.chmod(dest, 0o777)  # vuln: CWE-732
    return "", 201


def write_config(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o666)  # vuln: CWE-732


def write_secret_file(path: str, secret: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o777)  # vuln: CWE-732
    with os.fdopen(fd, "wb") as fh:
        fh.write(secret)


def ensure_cache_dir(base):
    os.makedirs(os.path.join(base, "cache"), mode=0o777, exist_ok=True)  # vuln: CWE-732


def make_shared(path):
    st = os.stat(path)
    os.chmod(path, st.st_mode | stat.S_IWOTH)  # vuln: CWE-732


def install_hook(repo):
    hook = Path(repo, ".git", "hooks", "pre-commit")
    hook.write_text("#!/bin/sh\nmake lint\n")
    hook.chmod(0o777)  # vuln: CWE-732


def daemon_main():
    os.umask(0)  # vuln: CWE-732
    with open("/var/lib/agentd/state.json", "w") as fh:
        fh.write("{}")


def create_spool(spool_root):
    os.mkdir(os.path.join(spool_root, "outgoing"), 0o777)  # vuln: CWE-732


# %% notebook cell: make the results folder
def results_folder(run_name):
    out = Path("results") / run_name
    out.mkdir(parents=True, mode=0o777, exist_ok=True)  # vuln: CWE-732
    return out


def save_ssh_key(path, private_key_pem: str):
    Path(path).write_text(private_key_pem)
    os.chmod(path, 0o644)  # vuln: CWE-732


def open_control_socket(sock_path):
    os.chmod(sock_path, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)  # vuln: CWE-732


def write_token_cache(token: str):
    fd = os.open(os.path.expanduser("~/.mytool/token"), os.O_CREAT | os.O_WRONLY)
    os.fchmod(fd, 0o666)  # vuln: CWE-732
    os.write(fd, token.encode())
    os.close(fd)


if __name__ == "__main__":
    os.chmod(sys.argv[1], 0o777)  # vuln: CWE-732
