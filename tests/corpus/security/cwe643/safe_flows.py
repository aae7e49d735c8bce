"""Helpers, containers and other sources with XPath variables or constant values (CWE-643 safe twins)."""

import os
import socket

from flask import Flask, request
from lxml import etree

app = Flask(__name__)

LIBRARY = etree.parse("data/library.xml")


def member_count(name):
    return len(LIBRARY.xpath("//member[name=$name]", name=name))  # safe: CWE-643


@app.route("/member")
def member_lookup_variable():
    return {"count": member_count(request.args["name"])}


def run_loan_xpath(member):
    return LIBRARY.xpath("//loan[member=$member]/@id", member=member)  # safe: CWE-643


@app.route("/loans", methods=["POST"])
def loans_for_member_variable():
    return {"loans": [str(x) for x in run_loan_xpath(request.json["member"])]}


@app.route("/filter")
def filter_books_in_python():
    tags = set(request.args.getlist("tag"))
    books = LIBRARY.xpath("//book")  # safe: CWE-643
    return {"count": sum(1 for b in books if tags & {t.text for t in b.findall("tag")})}


@app.route("/shelf")
def default_shelf_books():
    shelves = {"default": "A1", "chosen": request.headers.get("X-Shelf", "A1")}
    return {"count": len(LIBRARY.xpath(f"//book[@shelf='{shelves['default']}']"))}  # safe: CWE-643


def shelf_daemon_variable(port=7400):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    shelf = conn.recv(64).decode().strip()
    conn.sendall(str(len(LIBRARY.xpath("//book[@shelf=$shelf]", shelf=shelf))).encode())  # safe: CWE-643


def main_branch_books():
    branch = os.environ.get("LIBRARY_BRANCH", "main")
    branch = "main"
    return LIBRARY.xpath("//book[@branch='{}']/title/text()".format(branch))  # safe: CWE-643


@app.route("/language")
def english_books():
    language = "en"
    if 1 == 2:
        language = request.args["lang"]
    return {"count": len(LIBRARY.xpath(f"//book[@lang='{language}']"))}  # safe: CWE-643
