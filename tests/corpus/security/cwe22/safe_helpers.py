"""A helper that checks the path stays in its directory (CWE-22)."""

from flask import Flask, request

from shop import store

app = Flask(__name__)


@app.route("/download")
def download_checked():
    return store.read_checked(request.args["name"])  # safe: CWE-22
