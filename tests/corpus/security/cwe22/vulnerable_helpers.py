"""Request data naming a file inside the project's own helper (shop/store.py) (CWE-22)."""

from flask import Flask, request

from shop import store

app = Flask(__name__)


@app.route("/download")
def download_named():
    return store.read_upload(request.args["name"])  # vuln: CWE-22
