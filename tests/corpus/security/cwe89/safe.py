"""The same queries, parameterized, converted or allow-listed (CWE-89 safe twins)."""

import sqlite3

import pandas as pd
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest, JsonResponse
from fastapi import FastAPI, HTTPException
from flask import Flask, abort, jsonify, request
from sqlalchemy import create_engine, text

app = Flask(__name__)
api = FastAPI()
engine = create_engine("sqlite:///app.db")

SORTABLE = {"name", "price", "created_at"}


@app.route("/users")
def search_users_bound():
    name = request.args.get("name", "")
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT id, email FROM users WHERE name = ?", (name,))  # safe: CWE-89
    return jsonify(cur.fetchall())


@app.route("/orders", methods=["POST"])
def order_lookup_int():
    order_id = int(request.form["order_id"])
    with sqlite3.connect("shop.db") as db:
        rows = db.execute("SELECT * FROM orders WHERE id = " + str(order_id)).fetchall()  # safe: CWE-89
    return jsonify(rows)


@api.get("/products")
def list_products_checked(category: str, sort: str = "name"):
    if sort not in SORTABLE:
        raise HTTPException(status_code=400, detail="bad sort column")
    with engine.connect() as conn:
        result = conn.execute(text("SELECT * FROM products WHERE category = :cat ORDER BY %s" % sort), {"cat": category})  # safe: CWE-89
        return [dict(row._mapping) for row in result]


def export_sales_report_bound():
    region = input("Region: ")
    query = "SELECT * FROM sales WHERE region = ?"
    conn = sqlite3.connect("sales.db")
    return pd.read_sql(query, conn, params=(region,))  # safe: CWE-89


def django_user_search_bound(request: HttpRequest) -> JsonResponse:
    term = request.GET.get("q", "")
    users = User.objects.raw("SELECT * FROM auth_user WHERE username LIKE %s", [f"%{term}%"])  # safe: CWE-89
    return JsonResponse({"ids": [u.id for u in users]})


def django_active_staff_params(request):
    order = request.GET["order"] if request.GET["order"] in ("username", "-last_login") else "username"
    staff = User.objects.filter(is_staff=True).extra(order_by=[order], where=["last_login > %s"], params=[request.GET["since"]])  # safe: CWE-89
    return JsonResponse({"names": [u.username for u in staff]})


def django_audit_log_bound(request):
    actor = request.POST["actor"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT action, created FROM audit WHERE actor = %s", [actor])  # safe: CWE-89
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


@app.route("/api/reports/<report_name>")
def report_by_name_bound(report_name):
    session_db = sqlite3.connect("reports.db")
    frame = pd.read_sql_query("SELECT * FROM reports WHERE name = :name", session_db, params={"name": report_name})  # safe: CWE-89
    return frame.to_json()


@app.route("/api/bulk-delete", methods=["POST"])
def bulk_delete_ints():
    payload = request.get_json()
    ids = ", ".join(str(int(value)) for value in payload["ids"])
    if not ids:
        abort(400)
    conn = sqlite3.connect("app.db")
    conn.executescript(f"DELETE FROM sessions WHERE user_id IN ({ids});")  # safe: CWE-89
    conn.commit()
    return "", 204
