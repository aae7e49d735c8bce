"""Tainted values reaching LDAP searches through helpers, containers and other sources (CWE-90)."""

import json
import os

import ldap
import requests
from flask import Flask, request
from ldap3 import Connection, Server
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

BASE_DN = "dc=example,dc=com"


def directory():
    return Connection(Server("ldaps://ldap.example.com"), os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)


def user_filter(attribute, value):
    return "(&(objectClass=person)({}={}))".format(attribute, value)


@app.route("/people")
def people_search():
    conn = directory()
    conn.search(BASE_DN, user_filter("sn", request.args["surname"]))  # vuln: CWE-90
    return {"dns": [e.entry_dn for e in conn.entries]}


def run_ldap_filter(search_filter):
    conn = directory()
    conn.search(BASE_DN, search_filter, attributes=["cn"])  # vuln: CWE-90
    return conn.entries


@app.route("/lookup", methods=["POST"])
def lookup_by_title():
    return {"count": len(run_ldap_filter("(title=" + request.get_json()["title"] + ")"))}


@app.route("/any-of")
def any_of_names():
    clauses = []
    for name in request.args.getlist("name"):
        clauses.append(f"(cn={name})")
    conn = directory()
    conn.search(BASE_DN, "(|" + "".join(clauses) + ")")  # vuln: CWE-90
    return {"count": len(conn.entries)}


@app.route("/by-team")
def by_team():
    filters = {"all": "(objectClass=person)", "team": "(ou=%s)" % request.cookies.get("team", "")}
    conn = directory()
    conn.search(BASE_DN, filters["team"])  # vuln: CWE-90
    return {"count": len(conn.entries)}


def directory_agent_tool(request_text: str):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Which employee name is meant here? {request_text}"}])
    name = reply.choices[0].message.content.strip()
    conn = ldap.initialize("ldaps://ldap.example.com")
    return conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(displayName={name})")  # vuln: CWE-90


def sync_hr_accounts():
    employees = requests.get("https://hr.example.com/api/employees", timeout=10).json()
    conn = directory()
    for employee in employees:
        conn.search(BASE_DN, "(employeeNumber=%s)" % employee["number"])  # vuln: CWE-90


def audit_accounts_file(path):
    with open(path, encoding="utf-8") as handle:
        accounts = json.load(handle)
    conn = ldap.initialize("ldaps://ldap.example.com")
    for account in accounts:
        conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=" + account + ")")  # vuln: CWE-90


@app.route("/default-group")
def group_members():
    group = "staff"
    if request.args.get("group"):
        group = request.args["group"]
    conn = directory()
    conn.search(BASE_DN, f"(memberOf=cn={group},ou=groups,{BASE_DN})")  # vuln: CWE-90
    return {"count": len(conn.entries)}


def roles_from_env():
    role = os.environ.get("OPS_ROLE", "operator")
    conn = directory()
    conn.search(BASE_DN, "(employeeType=" + role + ")")  # vuln: CWE-90
    return conn.entries
