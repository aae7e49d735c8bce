"""Safe twins of path guards: an early return on a parent-directory step ends the flow."""

import os
from flask import Flask, abort, request

app = Flask(__name__)


@app.route("/safe_dotdot_return")
def safe_dotdot_return():
    name = request.args.get("file", "")
    if ".." in name or name.startswith("/"):
        return "bad", 400
    with open(os.path.join("/srv/files", name)) as handle:  # safe: CWE-22
        return handle.read()


@app.route("/safe_dotdot_abort")
def safe_dotdot_abort():
    name = request.args.get("file", "")
    if "../" in name:
        abort(400)
    with open("/srv/files/" + name) as handle:  # safe: CWE-22
        return handle.read()
