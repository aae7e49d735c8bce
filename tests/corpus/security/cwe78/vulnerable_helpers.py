"""Request data reaching a shell inside the project's own helper (shop/store.py) (CWE-78)."""

from flask import Flask, request

from shop.store import convert

app = Flask(__name__)


@app.route("/convert")
def convert_named():
    return {"status": convert(request.args["name"])}  # vuln: CWE-78


@app.route("/convert-form", methods=["POST"])
def convert_form_file():
    name = request.form.get("file", "image.jpg")
    return {"status": convert(name)}  # vuln: CWE-78
