"""Vulnerable twins of CWE-89 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_const_cond")
def vuln_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = request.args.get("name", "")
    else:
        v = "fixed"
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"


@app.route("/vuln_ternary")
def vuln_ternary():
    num = 106
    v = request.args.get("name", "") if (7 * 18) + num > 200 else "fixed"
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"


@app.route("/vuln_in_text")
def vuln_in_text():
    v = request.args.get("name", "") if "should" in "This should happen" else "fixed"
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"


@app.route("/vuln_match")
def vuln_match():
    guess = "ABC"
    match guess[0]:
        case "A":
            v = request.args.get("name", "")
        case _:
            v = "fixed"
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"


@app.route("/vuln_list")
def vuln_list():
    values = ["fixed"]
    values.append(request.args.get("name", ""))
    values.append("other")
    values.pop(0)
    v = values[0]
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"


@app.route("/vuln_dict")
def vuln_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("name", "")
    v = options.get("b")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"


@app.route("/vuln_unpack")
def vuln_unpack():
    first, v = "fixed", request.args.get("name", "")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # vuln: CWE-89
    return "ok"
