"""The same commands as argument lists, quoted or validated (CWE-78 safe twins)."""

import asyncio
import ipaddress
import os
import re
import shlex
import subprocess
import subprocess as sp
import sys
from subprocess import check_output, run

from django.http import HttpResponse
from fastapi import FastAPI, HTTPException
from flask import Flask, abort, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()

DOMAIN = re.compile(r"^[A-Za-z0-9.-]{1,253}$")


@app.route("/ping")
def ping_host_args():
    host = str(ipaddress.ip_address(request.args.get("host", "127.0.0.1")))
    output = subprocess.check_output(["ping", "-c", "1", host])  # safe: CWE-78
    return output.decode()


@app.route("/convert", methods=["POST"])
def convert_image_quoted():
    name = shlex.quote(secure_filename(request.form["filename"]))
    os.system("convert uploads/" + name + " -resize 200x200 thumbs/" + name)  # safe: CWE-78
    return "ok"


@api.get("/dns")
def dns_lookup_checked(domain: str):
    if not DOMAIN.fullmatch(domain):
        raise HTTPException(status_code=400)
    stream = os.popen("nslookup %s" % shlex.quote(domain))  # safe: CWE-78
    return {"answer": stream.read()}


def django_git_log_args(request):
    branch = request.GET.get("branch", "main")
    log = sp.run(["git", "log", "--oneline", "-n", "20", "--end-of-options", branch], capture_output=True, text=True)  # safe: CWE-78
    return HttpResponse(log.stdout, content_type="text/plain")


def archive_directory_args():
    target = sys.argv[1]
    run(["tar", "czf", "backup.tgz", "--", target], check=True)  # safe: CWE-78


def disk_usage_cli_args():
    path = input("Directory to measure: ")
    print(check_output(["du", "-sh", "--", path]).decode())  # safe: CWE-78


@app.route("/tools/whois", methods=["POST"])
def whois_tool_args():
    domain = request.get_json()["domain"]
    if not DOMAIN.fullmatch(domain):
        abort(400)
    proc = subprocess.Popen(["whois", domain], stdout=subprocess.PIPE)  # safe: CWE-78
    return proc.communicate()[0]


def django_wc_quoted(request):
    upload_name = secure_filename(request.POST["name"])
    result = subprocess.getoutput(f"wc -l /srv/uploads/{shlex.quote(upload_name)}")  # safe: CWE-78
    return HttpResponse(result)


async def traceroute_tool_exec(target: str) -> str:
    proc = await asyncio.create_subprocess_exec("traceroute", target, stdout=asyncio.subprocess.PIPE)  # safe: CWE-78
    stdout, _ = await proc.communicate()
    return stdout.decode()
