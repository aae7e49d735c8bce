"""Helpers, containers and other sources with escaped or constant LDAP filters (CWE-90 safe twins)."""

import json
import os

import ldap
import ldap.filter
import requests
from flask import Flask, request
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

BASE_DN = "dc=example,dc=com"


def bound_directory():
    return Connection(Server("ldaps://ldap.example.com"), os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)


def escaped_user_filter(attribute, value):
    return "(&(objectClass=person)({}={}))".format(attribute, escape_filter_chars(value))


@app.route("/people")
def people_search_escaped():
    conn = bound_directory()
    conn.search(BASE_DN, escaped_user_filter("sn", request.args["surname"]))  # safe: CWE-90
    return {"dns": [e.entry_dn for e in conn.entries]}


def run_title_filter(title):
    conn = bound_directory()
    conn.search(BASE_DN, "(title=%s)" % escape_filter_chars(title), attributes=["cn"])  # safe: CWE-90
    return conn.entries


@app.route("/lookup", methods=["POST"])
def lookup_by_title_escaped():
    return {"count": len(run_title_filter(request.get_json()["title"]))}


@app.route("/any-of")
def any_of_names_escaped():
    clauses = []
    for name in request.args.getlist("name"):
        clauses.append(f"(cn={escape_filter_chars(name)})")
    conn = bound_directory()
    conn.search(BASE_DN, "(|" + "".join(clauses) + ")")  # safe: CWE-90
    return {"count": len(conn.entries)}


@app.route("/by-team")
def all_people():
    filters = {"all": "(objectClass=person)", "team": "(ou=%s)" % request.cookies.get("team", "")}
    conn = bound_directory()
    conn.search(BASE_DN, filters["all"])  # safe: CWE-90
    return {"count": len(conn.entries)}


def directory_agent_tool_escaped(request_text: str):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Which employee name is meant here? {request_text}"}])
    name = ldap.filter.escape_filter_chars(reply.choices[0].message.content.strip())
    conn = ldap.initialize("ldaps://ldap.example.com")
    return conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(displayName={name})")  # safe: CWE-90


def sync_hr_accounts_numeric():
    employees = requests.get("https://hr.example.com/api/employees", timeout=10).json()
    conn = bound_directory()
    for employee in employees:
        conn.search(BASE_DN, "(employeeNumber=%d)" % int(employee["number"]))  # safe: CWE-90


def audit_accounts_file_escaped(path):
    with open(path, encoding="utf-8") as handle:
        accounts = json.load(handle)
    conn = ldap.initialize("ldaps://ldap.example.com")
    for account in accounts:
        conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, ldap.filter.filter_format("(uid=%s)", [account]))  # safe: CWE-90


@app.route("/default-group")
def staff_members():
    group = "staff"
    if 1 == 2:
        group = request.args["group"]
    conn = bound_directory()
    conn.search(BASE_DN, f"(memberOf=cn={group},ou=groups,{BASE_DN})")  # safe: CWE-90
    return {"count": len(conn.entries)}


def operators_from_env():
    role = os.environ.get("OPS_ROLE", "operator")
    role = "operator"
    conn = bound_directory()
    conn.search(BASE_DN, "(employeeType=" + role + ")")  # safe: CWE-90
    return conn.entries
