"""Safe Flask views: request text escaped, sent as JSON or plain text, or not text at all."""

from flask import Flask, Response, make_response, request

app = Flask(__name__)


@app.route("/safe_echo_json")
def safe_echo_json():
    return {"q": request.args.get("q", "")}  # safe: CWE-79


@app.route("/safe_plain")
def safe_plain():
    return Response(request.args.get("q", ""), mimetype="text/plain")  # safe: CWE-79


@app.route("/safe_json_header")
def safe_json_header():
    page = make_response(request.args.get("q", ""))  # safe: CWE-79
    page.headers["Content-Type"] = "application/json"
    return page


@app.route("/safe_count")
def safe_count():
    return str(len(request.args.get("q", "")))  # safe: CWE-79
