"""Tainted redirect targets through helpers and overwrites (CWE-601)."""

import sys

from flask import Flask, redirect, request
from werkzeug.utils import redirect as wz_redirect

app = Flask(__name__)


def send_user_to(target):
    return redirect(target, code=303)  # vuln: CWE-601


@app.route("/after-save", methods=["POST"])
def after_save():
    return send_user_to(request.form["return_url"])


@app.route("/welcome")
def after_signup():
    dest = request.args.get("dest") or "/welcome"
    return wz_redirect(dest)  # vuln: CWE-601


def make_login_app():
    login_app = Flask("login")
    fallback = sys.argv[1] if len(sys.argv) > 1 else "/"

    @login_app.route("/done")
    def done():
        return redirect("%s" % fallback)  # vuln: CWE-601

    return login_app
