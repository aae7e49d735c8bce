"""Helpers, containers and other sources without eval of untrusted text (CWE-94 safe twins)."""

import ast
import json
import socket

from django.http import HttpResponse
from flask import Flask, request

app = Flask(__name__)

MAPPERS = {"double": lambda row: row * 2, "square": lambda row: row * row}


def evaluate_number(expr):
    return float(expr)  # safe: CWE-94


@app.route("/sum")
def sum_endpoint_numbers():
    return str(evaluate_number(request.args["a"]) + evaluate_number(request.args["b"]))


@app.route("/map", methods=["POST"])
def map_rows_table():
    parts = ["double"]
    parts.append(request.form["body"])
    mapper = MAPPERS.get(parts[-1], MAPPERS["double"])  # safe: CWE-94
    return {"rows": [mapper(r) for r in range(10)]}


@app.route("/format")
def format_price_default():
    formats = {"default": "round(price, 2)", "custom": request.cookies.get("price_fmt", "price")}
    price = 19.999
    return str(eval(formats["default"], {"round": round}, {"price": price}))  # safe: CWE-94


def django_load_settings(request):
    script = request.body.decode("utf-8")
    settings = json.loads(script)  # safe: CWE-94
    return HttpResponse(status=204 if settings else 400)


@app.route("/score")
def score_with_int_header():
    bonus = int(request.headers.get("X-Bonus", "0"))
    return str(eval("%d + 10" % bonus))  # safe: CWE-94


def literal_daemon(port=7100):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    payload = conn.recv(4096).decode()
    conn.sendall(repr(ast.literal_eval(payload)).encode())  # safe: CWE-94


def parse_in_namespace(source, namespace):
    namespace.update(json.loads(source))  # safe: CWE-94
    return namespace


@app.route("/notebook/cell", methods=["POST"])
def load_cell_metadata():
    cell = request.get_json()
    return {"names": sorted(parse_in_namespace(cell["metadata"], {}))}
