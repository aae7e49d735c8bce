"""Vulnerable twins of CWE-90 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

import ldap3
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_const_cond")
def vuln_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = request.args.get("uid", "")
    else:
        v = "fixed"
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"


@app.route("/vuln_ternary")
def vuln_ternary():
    num = 106
    v = request.args.get("uid", "") if (7 * 18) + num > 200 else "fixed"
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"


@app.route("/vuln_in_text")
def vuln_in_text():
    v = request.args.get("uid", "") if "should" in "This should happen" else "fixed"
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"


@app.route("/vuln_match")
def vuln_match():
    guess = "ABC"
    match guess[0]:
        case "A":
            v = request.args.get("uid", "")
        case _:
            v = "fixed"
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"


@app.route("/vuln_list")
def vuln_list():
    values = ["fixed"]
    values.append(request.args.get("uid", ""))
    values.append("other")
    values.pop(0)
    v = values[0]
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"


@app.route("/vuln_dict")
def vuln_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("uid", "")
    v = options.get("b")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"


@app.route("/vuln_unpack")
def vuln_unpack():
    first, v = "fixed", request.args.get("uid", "")
    ldap3.Connection("ldap://dir").search("dc=corp", "(uid=" + v + ")")  # vuln: CWE-90
    return "ok"
