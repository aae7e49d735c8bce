"""Fixture of the injection pack: `# expect: CODE` lines must be flagged, `# ok: CODE` lines not."""

import os
import shlex
import sqlite3
import subprocess
import sys
from urllib.parse import urlparse

import requests
from django.http import HttpResponse
from django.template import loader
from flask import Flask, Markup, Response, make_response, redirect, render_template_string, request, send_file, session, url_for
from ldap3.utils.conv import escape_filter_chars
from lxml import etree
from markupsafe import escape

app = Flask(__name__)
ALLOWED_HOSTS = {"api.partner.test"}
TABLES = {"users": "users", "orders": "orders"}


@app.route("/users")
def users():
    name = request.args["name"]
    db = sqlite3.connect("app.db")
    db.execute("SELECT * FROM users WHERE name = '%s'" % name)  # expect: RV110
    db.execute("SELECT * FROM users WHERE name = ?", (name,))  # ok: RV110
    table = TABLES.get(request.args["table"], "users")
    db.execute(f"SELECT * FROM {table}")  # ok: RV110
    name = "constant"
    db.execute(f"SELECT * FROM users WHERE name = '{name}'")  # ok: RV110


def run_report(query):
    return sqlite3.connect("app.db").execute(query)  # expect: RV110


@app.route("/report")
def report():
    return run_report("SELECT * FROM t WHERE x = " + request.args["x"])


def cli():
    target = sys.argv[1]
    os.system("ping -c1 " + target)  # expect: RV111
    subprocess.run(["ping", "-c1", target], check=True)  # ok: RV111
    subprocess.run("ping -c1 " + shlex.quote(target), shell=True, check=True)  # ok: RV111
    eval(input("expr: "))  # ok: RV112 (the operator's own input: RV104's case)
    if 1 == 2:
        eval(target)  # ok: RV112


@app.route("/files")
def files():
    name = request.args["name"]
    send_file(os.path.join("/srv/files", name))  # expect: RV113
    send_file(os.path.join("/srv/files", os.path.basename(name)))  # ok: RV113
    with open(os.path.join("/srv/files", name), encoding="utf-8") as handle:  # expect: RV113
        return handle.read()


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    requests.get(url, timeout=5)  # expect: RV114
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        return "no", 400
    return requests.get(url, timeout=5).text  # ok: RV114


@app.route("/hello")
def hello():
    who = request.args.get("who", "")
    if who == "admin":
        return Markup(f"<b>{who}</b>")  # ok: RV115
    Markup("<b>" + escape(who) + "</b>")  # ok: RV115
    return f"<h1>Hello {who}</h1>"  # expect: RV115


@app.route("/go")
def go():
    target = request.args["next"]
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)  # ok: RV116
    return redirect(request.args["next"])  # expect: RV116


@app.route("/calc")
def calc():
    return str(eval(request.args["expr"]))  # expect: RV112


@app.route("/back")
def back():
    page = request.args.get("page", "1")
    if request.args.get("to") == "profile":
        return redirect(url_for("profile") + "?page=" + page)  # ok: RV116
    return redirect(f"/items?page={page}")  # ok: RV116


@app.route("/away")
def away():
    return redirect(f"{request.args['host']}/items")  # expect: RV116


def find_user(conn, request_data):
    conn.search("dc=example,dc=test", f"(uid={request_data})")


@app.route("/ldap")
def ldap_lookup():
    conn = object()
    conn.search("dc=example,dc=test", "(uid=" + request.args["u"] + ")")  # expect: RV117
    conn.search("dc=example,dc=test", "(uid=" + escape_filter_chars(request.args["u"]) + ")")  # ok: RV117
    tree = etree.parse("users.xml")
    tree.xpath(f"//user[@name='{request.args['u']}']")  # expect: RV118
    tree.xpath("//user[@name=$name]", name=request.args["u"])  # ok: RV118
    session["role"] = request.args["role"]  # expect: RV119
    session["visits"] = 1  # ok: RV119
    return ""


def greet_view(request, name):
    page = loader.get_template("greet.html")
    HttpResponse(page.render({"name": name}, request))  # ok: RV115
    HttpResponse(f"Hi {name}", content_type="text/plain; charset=utf-8")  # ok: RV115
    with open("templates/page.html") as fh:
        HttpResponse(fh.read())  # ok: RV115
    return HttpResponse(f"<p>{name}</p>")  # expect: RV115


@app.route("/echo")
def echo():
    said = request.args.get("q", "")
    if said == "json":
        return {"q": request.args.get("q")}  # ok: RV115
    if said.isdigit():
        return said  # ok: RV115
    return said  # expect: RV115


@app.route("/typed")
def typed():
    body = make_response(request.args.get("q", ""))  # ok: RV115
    body.mimetype = "application/json"
    plain = Response(request.args.get("q", ""), mimetype="text/plain")  # ok: RV115
    page = make_response(request.args.get("q", ""))  # expect: RV115
    return body, plain, page


@app.route("/template")
def template():
    name = request.args.get("name", "")
    render_template_string("<p>{{ name }}</p>", name=name)  # ok: RV134
    return render_template_string("<p>" + name + "</p>")  # expect: RV134


@app.route("/file")
def read_named():
    name = request.args["file"]
    if ".." in name or name.startswith("/"):
        return "bad", 400
    with open(os.path.join("/srv/files", name)) as handle:  # ok: RV113
        return handle.read()


@app.route("/next")
def next_page():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.netloc:
        return redirect("/")
    return redirect(target)  # ok: RV116


@app.route("/computed")
def computed():
    param = request.args.get("id")
    num = 86
    bar = "fixed" if 7 * 42 - num > 200 else param
    values = ["safe", param]
    db = sqlite3.connect("app.db")
    db.execute("SELECT * FROM t WHERE n = '" + bar + "'")  # ok: RV110
    db.execute("SELECT * FROM t WHERE n = '" + values[0] + "'")  # ok: RV110
    db.execute("SELECT * FROM t WHERE n = '" + values[1] + "'")  # expect: RV110
