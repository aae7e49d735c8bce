"""Queries built by formatting request data into SQL text (CWE-89)."""

import sqlite3

import pandas as pd
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest, JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
api = FastAPI()
engine = create_engine("sqlite:///app.db")


@app.route("/users")
def search_users():
    name = request.args.get("name", "")
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute(f"SELECT id, email FROM users WHERE name = '{name}'")  # vuln: CWE-89
    return jsonify(cur.fetchall())


@app.route("/orders", methods=["POST"])
def order_lookup():
    order_id = request.form["order_id"]
    with sqlite3.connect("shop.db") as db:
        rows = db.execute("SELECT * FROM orders WHERE id = " + order_id).fetchall()  # vuln: CWE-89
    return jsonify(rows)


@api.get("/products")
def list_products(category: str, sort: str = "name"):
    with engine.connect() as conn:
        result = conn.execute(text("SELECT * FROM products WHERE category = '%s' ORDER BY %s" % (category, sort)))  # vuln: CWE-89
        return [dict(row._mapping) for row in result]


def export_sales_report():
    region = input("Region: ")
    query = "SELECT * FROM sales WHERE region = '{}'".format(region)
    conn = sqlite3.connect("sales.db")
    return pd.read_sql(query, conn)  # vuln: CWE-89


def django_user_search(request: HttpRequest) -> JsonResponse:
    term = request.GET.get("q", "")
    users = User.objects.raw("SELECT * FROM auth_user WHERE username LIKE '%%" + term + "%%'")  # vuln: CWE-89
    return JsonResponse({"ids": [u.id for u in users]})


def django_active_staff(request):
    order = request.GET["order"]
    staff = User.objects.filter(is_staff=True).extra(order_by=[order], where=[f"last_login > '{request.GET['since']}'"])  # vuln: CWE-89
    return JsonResponse({"names": [u.username for u in staff]})


def django_audit_log(request):
    actor = request.POST["actor"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT action, created FROM audit WHERE actor = '%s'" % actor)  # vuln: CWE-89
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


@app.route("/api/reports/<report_name>")
def report_by_name(report_name):
    session_db = sqlite3.connect("reports.db")
    frame = pd.read_sql_query(f"SELECT * FROM reports WHERE name = '{report_name}'", session_db)  # vuln: CWE-89
    return frame.to_json()


@app.route("/api/bulk-delete", methods=["POST"])
def bulk_delete():
    payload = request.get_json()
    ids = ", ".join(payload["ids"])
    conn = sqlite3.connect("app.db")
    conn.executescript(f"DELETE FROM sessions WHERE user_id IN ({ids});")  # vuln: CWE-89
    conn.commit()
    return "", 204
