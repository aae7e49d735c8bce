"""Safe twins of CWE-90 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

import ldap3
from flask import Flask, request

app = Flask(__name__)


@app.route("/safe_const_cond")
def safe_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = "fixed"
    else:
        v = request.args.get("uid", "")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"


@app.route("/safe_ternary")
def safe_ternary():
    num = 106
    v = "fixed" if (7 * 18) + num > 200 else request.args.get("uid", "")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"


@app.route("/safe_in_text")
def safe_in_text():
    v = "fixed" if "should" in "This should happen" else request.args.get("uid", "")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"


@app.route("/safe_match")
def safe_match():
    guess = "ABC"
    match guess[1]:
        case "A":
            v = request.args.get("uid", "")
        case _:
            v = "fixed"
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"


@app.route("/safe_list")
def safe_list():
    values = ["fixed"]
    values.append(request.args.get("uid", ""))
    values.append("other")
    values.pop(0)
    v = values[1]
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"


@app.route("/safe_dict")
def safe_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("uid", "")
    v = options.get("a")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"


@app.route("/safe_unpack")
def safe_unpack():
    v, second = "fixed", request.args.get("uid", "")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # safe: CWE-90
    return "ok"
