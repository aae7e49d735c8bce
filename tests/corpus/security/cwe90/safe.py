"""The same LDAP searches with escaped filter values and DNs (CWE-90 safe twins)."""

import os
import sys

import ldap
import ldap.dn
import ldap.filter
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from ldap3 import ALL, SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

app = Flask(__name__)
api = FastAPI()

LDAP_URL = "ldaps://ldap.example.com"
BASE_DN = "dc=example,dc=com"


def bound_ldap3_connection():
    server = Server(LDAP_URL, get_info=ALL)
    return Connection(server, user=os.environ["LDAP_BIND_DN"], password=os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)


@app.route("/directory/user")
def find_user_escaped():
    username = escape_filter_chars(request.args["username"])
    conn = bound_ldap3_connection()
    conn.search(BASE_DN, f"(&(objectClass=person)(uid={username}))", attributes=["cn", "mail"])  # safe: CWE-90
    return jsonify([str(e) for e in conn.entries])


@app.route("/login", methods=["POST"])
def ldap_login_bind():
    user = escape_filter_chars(request.form["user"])
    conn = bound_ldap3_connection()
    conn.search(search_base=BASE_DN, search_filter="(&(objectClass=person)(uid=" + user + "))", search_scope=SUBTREE)  # safe: CWE-90
    if len(conn.entries) != 1:
        return {"ok": False}
    user_conn = Connection(Server(LDAP_URL), user=conn.entries[0].entry_dn, password=request.form["password"])
    return {"ok": user_conn.bind()}


@api.get("/groups")
def groups_of_escaped(member: str):
    conn = bound_ldap3_connection()
    conn.search("ou=groups," + BASE_DN, "(member=uid=%s,ou=people,%s)" % (escape_filter_chars(escape_rdn(member)), BASE_DN), attributes=["cn"])  # safe: CWE-90
    return [e.cn.value for e in conn.entries]


def django_phonebook_escaped(request):
    name = request.GET.get("name", "")
    conn = ldap.initialize(LDAP_URL)
    conn.simple_bind_s(os.environ["LDAP_BIND_DN"], os.environ["LDAP_BIND_PASSWORD"])
    results = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, ldap.filter.filter_format("(cn=*%s*)", [name]), ["telephoneNumber"])  # safe: CWE-90
    return JsonResponse({"results": [dn for dn, _ in results]})


def django_department_escaped(request):
    dept = ldap.dn.escape_dn_chars(request.POST["department"])
    conn = ldap.initialize(LDAP_URL)
    results = conn.search_s(f"ou={dept},{BASE_DN}", ldap.SCOPE_ONELEVEL, "(objectClass=person)")  # safe: CWE-90
    return JsonResponse({"count": len(results)})


def lookup_mail_cli_escaped():
    mail = ldap.filter.escape_filter_chars(sys.argv[1])
    conn = ldap.initialize(LDAP_URL)
    print(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(mail={})".format(mail)))  # safe: CWE-90


@app.route("/directory/manager")
def manager_of_escaped():
    employee = request.args.get("employee", "")
    conn = bound_ldap3_connection()
    conn.search(BASE_DN, "(&(objectClass=person)(cn=" + escape_filter_chars(employee) + "))", attributes=["manager"])  # safe: CWE-90
    return jsonify([str(e.manager) for e in conn.entries])


def interactive_search_escaped():
    term = ldap.filter.escape_filter_chars(input("Search directory: "))
    conn = ldap.initialize(LDAP_URL)
    return conn.search_st(BASE_DN, ldap.SCOPE_SUBTREE, "(|(cn=%s)(sn=%s))" % (term, term), timeout=10)  # safe: CWE-90
