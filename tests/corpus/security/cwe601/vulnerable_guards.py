"""Vulnerable twins of redirect guards: the parse is checked for the wrong part."""

from urllib.parse import urlparse
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/vuln_scheme_only")
def vuln_scheme_only():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.scheme == "javascript":
        return redirect("/")
    return redirect(target)  # vuln: CWE-601


@app.route("/vuln_other_parsed")
def vuln_other_parsed():
    target = request.args.get("next", "/")
    parsed = urlparse(request.args.get("back", "/"))
    if parsed.netloc:
        return redirect("/")
    return redirect(target)  # vuln: CWE-601
