"""Safe twins of CWE-89 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

import sqlite3
from flask import Flask, request

app = Flask(__name__)


@app.route("/safe_const_cond")
def safe_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = "fixed"
    else:
        v = request.args.get("name", "")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"


@app.route("/safe_ternary")
def safe_ternary():
    num = 106
    v = "fixed" if (7 * 18) + num > 200 else request.args.get("name", "")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"


@app.route("/safe_in_text")
def safe_in_text():
    v = "fixed" if "should" in "This should happen" else request.args.get("name", "")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"


@app.route("/safe_match")
def safe_match():
    guess = "ABC"
    match guess[1]:
        case "A":
            v = request.args.get("name", "")
        case _:
            v = "fixed"
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"


@app.route("/safe_list")
def safe_list():
    values = ["fixed"]
    values.append(request.args.get("name", ""))
    values.append("other")
    values.pop(0)
    v = values[1]
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"


@app.route("/safe_dict")
def safe_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("name", "")
    v = options.get("a")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"


@app.route("/safe_unpack")
def safe_unpack():
    v, second = "fixed", request.args.get("name", "")
    sqlite3.connect("app.db").execute("SELECT * FROM users WHERE name = '" + v + "'")  # safe: CWE-89
    return "ok"
