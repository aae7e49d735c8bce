"""Vulnerable twins of CWE-22 in Flask handlers: constant conditions, match, and containers decide which value reaches the sink."""
from flask import Flask, request

app = Flask(__name__)


@app.route("/vuln_const_cond")
def vuln_const_cond():
    num = 86
    if 7 * 42 - num > 200:
        v = request.args.get("file", "")
    else:
        v = "fixed"
    return open("/srv/files/" + v).read()  # vuln: CWE-22


@app.route("/vuln_ternary")
def vuln_ternary():
    num = 106
    v = request.args.get("file", "") if (7 * 18) + num > 200 else "fixed"
    return open("/srv/files/" + v).read()  # vuln: CWE-22


@app.route("/vuln_in_text")
def vuln_in_text():
    v = request.args.get("file", "") if "should" in "This should happen" else "fixed"
    return open("/srv/files/" + v).read()  # vuln: CWE-22


@app.route("/vuln_match")
def vuln_match():
    guess = "ABC"
    match guess[0]:
        case "A":
            v = request.args.get("file", "")
        case _:
            v = "fixed"
    return open("/srv/files/" + v).read()  # vuln: CWE-22


@app.route("/vuln_list")
def vuln_list():
    values = ["fixed"]
    values.append(request.args.get("file", ""))
    values.append("other")
    values.pop(0)
    v = values[0]
    return open("/srv/files/" + v).read()  # vuln: CWE-22


@app.route("/vuln_dict")
def vuln_dict():
    options = {}
    options["a"] = "fixed"
    options["b"] = request.args.get("file", "")
    v = options.get("b")
    return open("/srv/files/" + v).read()  # vuln: CWE-22


@app.route("/vuln_unpack")
def vuln_unpack():
    first, v = "fixed", request.args.get("file", "")
    return open("/srv/files/" + v).read()  # vuln: CWE-22
