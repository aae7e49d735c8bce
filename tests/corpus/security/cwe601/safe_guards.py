"""Safe twins of redirect guards: a target whose parse has no host stays on this site."""

from urllib.parse import urlparse
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/safe_no_netloc")
def safe_no_netloc():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.netloc:
        return redirect("/")
    return redirect(target)  # safe: CWE-601


@app.route("/safe_scheme_or_netloc")
def safe_scheme_or_netloc():
    target = request.args.get("next", "/")
    parts = urlparse(target)
    if parts.scheme or parts.netloc:
        return redirect("/")
    return redirect(target)  # safe: CWE-601
