"""A helper that runs an argument list, and one given a constant (CWE-78)."""

from flask import Flask, request

from shop.store import convert, thumbnail

app = Flask(__name__)


@app.route("/convert")
def thumbnail_upload():
    return {"status": thumbnail(request.args["name"])}  # safe: CWE-78


@app.route("/convert-form", methods=["POST"])
def convert_constant():
    request.form.get("file", "image.jpg")
    return {"status": convert("image.jpg")}  # safe: CWE-78
