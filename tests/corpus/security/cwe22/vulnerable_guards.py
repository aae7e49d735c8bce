"""Vulnerable twins of path guards: the check does not stop the bad branch."""

import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_dotdot_logged")
def vuln_dotdot_logged():
    name = request.args.get("file", "")
    if ".." in name:
        print("suspicious name", name)
    with open(os.path.join("/srv/files", name)) as handle:  # vuln: CWE-22
        return handle.read()


@app.route("/vuln_dotdot_other")
def vuln_dotdot_other():
    name = request.args.get("file", "")
    folder = request.args.get("dir", "")
    if ".." in folder:
        return "bad", 400
    with open(os.path.join("/srv/files", name)) as handle:  # vuln: CWE-22
        return handle.read()
