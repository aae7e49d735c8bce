"""Tainted values reaching a shell through helpers, containers and other sources (CWE-78)."""

import json
import os
import socket
import subprocess

import requests
from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()


def shell(command):
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout  # vuln: CWE-78


@app.route("/grep")
def grep_logs():
    pattern = request.args["pattern"]
    return shell("grep -r '" + pattern + "' /var/log/app")


def build_ffmpeg_command(source, bitrate):
    return "ffmpeg -i {} -b:a {} out.mp3".format(source, bitrate)


@app.route("/transcode", methods=["POST"])
def transcode_upload():
    cmd = build_ffmpeg_command(request.files["audio"].filename, request.form.get("bitrate", "128k"))
    subprocess.call(cmd, shell=True)  # vuln: CWE-78
    return "queued"


@app.route("/zip")
def zip_selection():
    files = request.args.getlist("file")
    args = ["zip", "bundle.zip"]
    args.extend(files)
    os.system(" ".join(args))  # vuln: CWE-78
    return "ok"


@app.route("/cleanup", methods=["POST"])
def cleanup_workspace():
    job = {"cmd": "rm -rf", "target": request.headers.get("X-Workspace", "tmp")}
    os.system("%s /srv/work/%s" % (job["cmd"], job["target"]))  # vuln: CWE-78


def run_agent_command(task: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"Give one bash command that does: {task}"}])
    command = reply.choices[0].message.content.strip()
    return subprocess.check_output(command, shell=True, text=True)  # vuln: CWE-78


def apply_remote_hooks():
    hooks = requests.get("https://config.example.com/hooks.json", timeout=10).json()
    for hook in hooks:
        subprocess.run(hook["command"], shell=True, check=False)  # vuln: CWE-78


def backup_from_env():
    bucket = os.environ["BACKUP_BUCKET"]
    os.system(f"aws s3 sync /data s3://{bucket}/nightly")  # vuln: CWE-78


def run_jobs_file(path):
    with open(path, encoding="utf-8") as handle:
        jobs = json.load(handle)
    for job in jobs:
        os.popen("nice -n 10 " + job["script"]).read()  # vuln: CWE-78


def remote_shell_daemon(port=7000):
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen()
    conn, _ = listener.accept()
    host = conn.recv(256).decode().strip()
    out = subprocess.run("nc -z -w 2 " + host + " 22", shell=True, capture_output=True)  # vuln: CWE-78
    conn.sendall(out.stdout)


@app.route("/theme")
def theme_preview():
    theme = request.cookies.get("theme", "light")
    if request.args.get("custom"):
        theme = request.args["custom"]
    output = subprocess.check_output("sass themes/" + theme + ".scss", shell=True)  # vuln: CWE-78
    return output


@app.route("/maintenance")
def maintenance_command():
    command = "systemctl is-active nginx"
    if request.args.get("command"):
        command = request.args["command"]
    status = os.popen(command).read()  # vuln: CWE-78
    return status or ("inactive", 503)
