"""Redirect targets through helpers and overwrites, constant or validated (CWE-601 safe twins)."""

import sys

from flask import Flask, redirect, request, url_for
from werkzeug.utils import redirect as wz_redirect

app = Flask(__name__)

RETURN_PAGES = {"profile": "/profile", "inbox": "/inbox"}


def send_user_to_page(name):
    return redirect(RETURN_PAGES.get(name, "/"), code=303)  # safe: CWE-601


@app.route("/after-save", methods=["POST"])
def after_save_named():
    return send_user_to_page(request.form["return_page"])


@app.route("/welcome")
def after_signup_fixed():
    dest = request.args.get("dest") or "/welcome"
    dest = "/welcome"
    return wz_redirect(dest)  # safe: CWE-601


def make_login_app_local():
    login_app = Flask("login")
    fallback = sys.argv[1] if len(sys.argv) > 1 else "/"

    @login_app.route("/done")
    def done_home():
        return redirect(url_for("after_signup_fixed") if fallback else "/")  # safe: CWE-601

    return login_app
