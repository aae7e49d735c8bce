"""Shell commands built from untrusted input (CWE-78)."""

import asyncio
import os
import subprocess
import subprocess as sp
import sys
from subprocess import check_output, run

from django.http import HttpResponse
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/ping")
def ping_host():
    host = request.args.get("host", "127.0.0.1")
    output = subprocess.check_output(f"ping -c 1 {host}", shell=True)  # vuln: CWE-78
    return output.decode()


@app.route("/convert", methods=["POST"])
def convert_image():
    name = request.form["filename"]
    os.system("convert uploads/" + name + " -resize 200x200 thumbs/" + name)  # vuln: CWE-78
    return "ok"


@api.get("/dns")
def dns_lookup(domain: str):
    stream = os.popen("nslookup %s" % domain)  # vuln: CWE-78
    return {"answer": stream.read()}


def django_git_log(request):
    branch = request.GET.get("branch", "main")
    log = sp.run("git log --oneline -n 20 {}".format(branch), shell=True, capture_output=True, text=True)  # vuln: CWE-78
    return HttpResponse(log.stdout, content_type="text/plain")


def archive_directory():
    target = sys.argv[1]
    run(f"tar czf backup.tgz {target}", shell=True, check=True)  # vuln: CWE-78


def disk_usage_cli():
    path = input("Directory to measure: ")
    print(check_output("du -sh " + path, shell=True).decode())  # vuln: CWE-78


@app.route("/tools/whois", methods=["POST"])
def whois_tool():
    domain = request.get_json()["domain"]
    proc = subprocess.Popen("whois " + domain, shell=True, stdout=subprocess.PIPE)  # vuln: CWE-78
    return proc.communicate()[0]


def django_wc(request):
    upload_name = request.POST["name"]
    result = subprocess.getoutput(f"wc -l /srv/uploads/{upload_name}")  # vuln: CWE-78
    return HttpResponse(result)


async def traceroute_tool(target: str) -> str:
    proc = await asyncio.create_subprocess_shell(f"traceroute {target}", stdout=asyncio.subprocess.PIPE)  # vuln: CWE-78
    stdout, _ = await proc.communicate()
    return stdout.decode()
