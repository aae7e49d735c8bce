"""Tainted values reaching XPath through helpers, containers and other sources (CWE-643)."""

import os
import socket

from flask import Flask, request
from lxml import etree

app = Flask(__name__)

DOC = etree.parse("data/library.xml")


def member_query(name):
    return "//member[name='%s']" % name


@app.route("/member")
def member_lookup():
    return {"count": len(DOC.xpath(member_query(request.args["name"])))}  # vuln: CWE-643


def run_xpath(expression):
    return DOC.xpath(expression)  # vuln: CWE-643


@app.route("/loans", methods=["POST"])
def loans_for_member():
    return {"loans": [str(x) for x in run_xpath("//loan[member='" + request.json["member"] + "']/@id")]}


@app.route("/filter")
def filter_books():
    conditions = []
    for tag in request.args.getlist("tag"):
        conditions.append(f"tag='{tag}'")
    return {"count": len(DOC.xpath("//book[" + " or ".join(conditions) + "]"))}  # vuln: CWE-643


@app.route("/shelf")
def shelf_books():
    shelves = {"default": "A1", "chosen": request.headers.get("X-Shelf", "A1")}
    return {"count": len(DOC.xpath(f"//book[@shelf='{shelves['chosen']}']"))}  # vuln: CWE-643


def shelf_daemon(port=7400):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    shelf = conn.recv(64).decode().strip()
    conn.sendall(str(len(DOC.xpath("//book[@shelf='" + shelf + "']"))).encode())  # vuln: CWE-643


def branch_books():
    branch = os.environ.get("LIBRARY_BRANCH", "main")
    return DOC.xpath("//book[@branch='{}']/title/text()".format(branch))  # vuln: CWE-643


@app.route("/language")
def books_in_language():
    language = "en"
    if request.args.get("lang"):
        language = request.args["lang"]
    return {"count": len(DOC.xpath(f"//book[@lang='{language}']"))}  # vuln: CWE-643
