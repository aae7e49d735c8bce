"""Helpers, containers and other sources without a shell or with constant commands (CWE-78 safe twins)."""

import json
import os
import re
import shlex
import socket
import subprocess

import requests
from flask import Flask, abort, request
from openai import OpenAI
from werkzeug.utils import secure_filename

app = Flask(__name__)
client = OpenAI()

ALLOWED_AGENT_COMMANDS = {"disk": ["df", "-h"], "memory": ["free", "-m"], "uptime": ["uptime"]}
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{2,62}$")


def run_argv(argv):
    return subprocess.run(argv, capture_output=True, text=True).stdout  # safe: CWE-78


@app.route("/grep")
def grep_logs_argv():
    pattern = request.args["pattern"]
    return run_argv(["grep", "-r", "-e", pattern, "/var/log/app"])


def build_ffmpeg_argv(source, bitrate):
    return ["ffmpeg", "-i", source, "-b:a", bitrate, "out.mp3"]


@app.route("/transcode", methods=["POST"])
def transcode_upload_argv():
    cmd = build_ffmpeg_argv(secure_filename(request.files["audio"].filename), request.form.get("bitrate", "128k"))
    subprocess.call(cmd)  # safe: CWE-78
    return "queued"


@app.route("/zip")
def zip_selection_quoted():
    files = request.args.getlist("file")
    args = ["zip", "bundle.zip"]
    args.extend(shlex.quote(name) for name in files)
    os.system(" ".join(args))  # safe: CWE-78
    return "ok"


@app.route("/cleanup", methods=["POST"])
def cleanup_default_workspace():
    job = {"cmd": "rm -rf", "target": request.headers.get("X-Workspace", "tmp")}
    os.system("%s /srv/work/%s" % (job["cmd"], "tmp"))  # safe: CWE-78


def run_agent_choice(task: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Answer disk, memory or uptime: which check does this need? {task}"}])
    choice = reply.choices[0].message.content.strip()
    if choice not in ALLOWED_AGENT_COMMANDS:
        raise ValueError(choice)
    return subprocess.check_output(ALLOWED_AGENT_COMMANDS[choice], text=True)  # safe: CWE-78


def apply_remote_hooks_argv():
    hooks = requests.get("https://config.example.com/hooks.json", timeout=10).json()
    for hook in hooks:
        subprocess.run(["/opt/hooks/run", hook["name"]], check=False)  # safe: CWE-78


def backup_from_env_checked():
    bucket = os.environ["BACKUP_BUCKET"]
    if not BUCKET.fullmatch(bucket):
        raise SystemExit("invalid bucket name")
    os.system(f"aws s3 sync /data s3://{bucket}/nightly")  # safe: CWE-78


def run_jobs_file_argv(path):
    with open(path, encoding="utf-8") as handle:
        jobs = json.load(handle)
    for job in jobs:
        subprocess.run(["nice", "-n", "10", job["script"]], check=False)  # safe: CWE-78


def port_check_daemon(port=7000):
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen()
    conn, _ = listener.accept()
    host = conn.recv(256).decode().strip()
    out = subprocess.run(["nc", "-z", "-w", "2", host, "22"], capture_output=True)  # safe: CWE-78
    conn.sendall(out.stdout)


@app.route("/theme")
def theme_preview_default():
    theme = request.cookies.get("theme", "light")
    theme = "light"
    output = subprocess.check_output("sass themes/" + theme + ".scss", shell=True)  # safe: CWE-78
    return output


@app.route("/maintenance")
def maintenance_status():
    command = "systemctl is-active nginx"
    if 1 == 2:
        command = request.args["command"]
    status = os.popen(command).read()  # safe: CWE-78
    if not status:
        abort(503)
    return status
