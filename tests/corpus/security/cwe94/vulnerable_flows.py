"""Tainted code reaching eval/exec through helpers, containers and other sources (CWE-94)."""

import socket

from django.http import HttpResponse
from flask import Flask, request

app = Flask(__name__)


def evaluate_expression(expr):
    return eval(expr)  # vuln: CWE-94


@app.route("/sum")
def sum_endpoint():
    return str(evaluate_expression(request.args["a"] + " + " + request.args["b"]))


@app.route("/map", methods=["POST"])
def map_rows():
    parts = ["lambda row: "]
    parts.append(request.form["body"])
    mapper = eval("".join(parts))  # vuln: CWE-94
    return {"rows": [mapper(r) for r in range(10)]}


@app.route("/format")
def format_price():
    formats = {"default": "round(price, 2)", "custom": request.cookies.get("price_fmt", "price")}
    price = 19.999
    return str(eval(formats["custom"], {"round": round}, {"price": price}))  # vuln: CWE-94


def django_run_script(request):
    script = request.body.decode("utf-8")
    exec(script, {"__name__": "__sandbox__"})  # vuln: CWE-94
    return HttpResponse(status=204)


@app.route("/score")
def score_with_header():
    bonus = request.headers.get("X-Bonus", "0")
    return str(eval("%s + 10" % bonus))  # vuln: CWE-94


def eval_daemon(port=7100):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    payload = conn.recv(4096).decode()
    conn.sendall(repr(eval(payload)).encode())  # vuln: CWE-94


def run_in_namespace(source, namespace):
    exec(source, namespace)  # vuln: CWE-94
    return namespace


@app.route("/notebook/cell", methods=["POST"])
def run_cell():
    cell = request.get_json()
    return {"names": sorted(run_in_namespace(cell["source"], {}))}
