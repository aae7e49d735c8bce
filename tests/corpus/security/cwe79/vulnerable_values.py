"""Vulnerable twins of CWE-79 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""

from flask import make_response
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_const_cond")
def vuln_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = request.args.get("who", "")
    else:
        v = "fixed"
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79


@app.route("/vuln_ternary")
def vuln_ternary():
    num = 106
    v = request.args.get("who", "") if (7 * 18) + num > 200 else "fixed"
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79


@app.route("/vuln_in_text")
def vuln_in_text():
    v = request.args.get("who", "") if "should" in "This should happen" else "fixed"
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79


@app.route("/vuln_match")
def vuln_match():
    guess = "ABC"
    match guess[0]:
        case "A":
            v = request.args.get("who", "")
        case _:
            v = "fixed"
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79


@app.route("/vuln_list")
def vuln_list():
    values = ["fixed"]
    values.append(request.args.get("who", ""))
    values.append("other")
    values.pop(0)
    v = values[0]
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79


@app.route("/vuln_dict")
def vuln_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("who", "")
    v = options.get("b")
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79


@app.route("/vuln_unpack")
def vuln_unpack():
    first, v = "fixed", request.args.get("who", "")
    return make_response("<p>" + v + "</p>")  # vuln: CWE-79
