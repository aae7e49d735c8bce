"""Vulnerable Flask views: request text returned or sent as HTML."""

from flask import Flask, Response, make_response, request

app = Flask(__name__)


@app.route("/vuln_echo")
def vuln_echo():
    said = request.args.get("q", "")
    return said  # vuln: CWE-79


@app.route("/vuln_greeting")
def vuln_greeting():
    return "Hello " + request.args.get("name", "")  # vuln: CWE-79


@app.route("/vuln_html_mimetype")
def vuln_html_mimetype():
    return Response(request.args.get("q", ""), mimetype="text/html")  # vuln: CWE-79


@app.route("/vuln_header_elsewhere")
def vuln_header_elsewhere():
    page = make_response(request.args.get("q", ""))  # vuln: CWE-79
    other = make_response("{}")
    other.mimetype = "application/json"
    return page
