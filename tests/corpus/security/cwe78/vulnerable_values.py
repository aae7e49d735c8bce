"""Vulnerable twins of CWE-78 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_const_cond")
def vuln_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = request.args.get("host", "")
    else:
        v = "fixed"
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"


@app.route("/vuln_ternary")
def vuln_ternary():
    num = 106
    v = request.args.get("host", "") if (7 * 18) + num > 200 else "fixed"
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"


@app.route("/vuln_in_text")
def vuln_in_text():
    v = request.args.get("host", "") if "should" in "This should happen" else "fixed"
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"


@app.route("/vuln_match")
def vuln_match():
    guess = "ABC"
    match guess[0]:
        case "A":
            v = request.args.get("host", "")
        case _:
            v = "fixed"
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"


@app.route("/vuln_list")
def vuln_list():
    values = ["fixed"]
    values.append(request.args.get("host", ""))
    values.append("other")
    values.pop(0)
    v = values[0]
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"


@app.route("/vuln_dict")
def vuln_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("host", "")
    v = options.get("b")
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"


@app.route("/vuln_unpack")
def vuln_unpack():
    first, v = "fixed", request.args.get("host", "")
    os.system("ping -c 1 " + v)  # vuln: CWE-78
    return "ok"
