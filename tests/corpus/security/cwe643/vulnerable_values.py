"""Vulnerable twins of CWE-643 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

from lxml import etree
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_const_cond")
def vuln_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = request.args.get("user", "")
    else:
        v = "fixed"
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"


@app.route("/vuln_ternary")
def vuln_ternary():
    num = 106
    v = request.args.get("user", "") if (7 * 18) + num > 200 else "fixed"
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"


@app.route("/vuln_in_text")
def vuln_in_text():
    v = request.args.get("user", "") if "should" in "This should happen" else "fixed"
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"


@app.route("/vuln_match")
def vuln_match():
    guess = "ABC"
    match guess[0]:
        case "A":
            v = request.args.get("user", "")
        case _:
            v = "fixed"
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"


@app.route("/vuln_list")
def vuln_list():
    values = ["fixed"]
    values.append(request.args.get("user", ""))
    values.append("other")
    values.pop(0)
    v = values[0]
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"


@app.route("/vuln_dict")
def vuln_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("user", "")
    v = options.get("b")
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"


@app.route("/vuln_unpack")
def vuln_unpack():
    first, v = "fixed", request.args.get("user", "")
    etree.parse("users.xml").xpath("//user[@name='" + v + "']")  # vuln: CWE-643
    return "ok"
