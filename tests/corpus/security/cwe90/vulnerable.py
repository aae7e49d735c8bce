"""LDAP filters and DNs built from untrusted input (CWE-90)."""

import os
import sys

import ldap
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from ldap3 import ALL, SUBTREE, Connection, Server

app = Flask(__name__)
api = FastAPI()

LDAP_URL = "ldaps://ldap.example.com"
BASE_DN = "dc=example,dc=com"


def ldap3_connection():
    server = Server(LDAP_URL, get_info=ALL)
    return Connection(server, user=os.environ["LDAP_BIND_DN"], password=os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)


@app.route("/directory/user")
def find_user():
    username = request.args["username"]
    conn = ldap3_connection()
    conn.search(BASE_DN, f"(&(objectClass=person)(uid={username}))", attributes=["cn", "mail"])  # vuln: CWE-90
    return jsonify([str(e) for e in conn.entries])


@app.route("/login", methods=["POST"])
def ldap_login():
    user = request.form["user"]
    password = request.form["password"]
    conn = ldap3_connection()
    conn.search(search_base=BASE_DN, search_filter="(&(uid=" + user + ")(userPassword=" + password + "))", search_scope=SUBTREE)  # vuln: CWE-90
    return {"ok": bool(conn.entries)}


@api.get("/groups")
def groups_of(member: str):
    conn = ldap3_connection()
    conn.search("ou=groups," + BASE_DN, "(member=uid=%s,ou=people,%s)" % (member, BASE_DN), attributes=["cn"])  # vuln: CWE-90
    return [e.cn.value for e in conn.entries]


def django_phonebook(request):
    name = request.GET.get("name", "")
    conn = ldap.initialize(LDAP_URL)
    conn.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(cn=*%s*)" % name, ["telephoneNumber"])  # vuln: CWE-90
    return JsonResponse({"results": [dn for dn, _ in results]})


def django_department(request):
    dept = request.POST["department"]
    conn = ldap.initialize(LDAP_URL)
    results = conn.search_s(f"ou={dept},{BASE_DN}", ldap.SCOPE_ONELEVEL, "(objectClass=person)")  # vuln: CWE-90
    return JsonResponse({"count": len(results)})


def lookup_mail_cli():
    mail = sys.argv[1]
    conn = ldap.initialize(LDAP_URL)
    print(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(mail={})".format(mail)))  # vuln: CWE-90


@app.route("/directory/manager")
def manager_of():
    employee = request.args.get("employee", "")
    conn = ldap3_connection()
    conn.search(BASE_DN, "(&(objectClass=person)(cn=" + employee + "))", attributes=["manager"])  # vuln: CWE-90
    return jsonify([str(e.manager) for e in conn.entries])


def interactive_search():
    term = input("Search directory: ")
    conn = ldap.initialize(LDAP_URL)
    return conn.search_st(BASE_DN, ldap.SCOPE_SUBTREE, "(|(cn=%s)(sn=%s))" % (term, term), timeout=10)  # vuln: CWE-90
