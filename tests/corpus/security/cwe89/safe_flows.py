"""Helpers, containers and other sources with bound parameters or constant SQL (CWE-89 safe twins)."""

import os
import socket
import sqlite3
import sys

import psycopg2
import requests
from flask import Flask, request
from openai import OpenAI
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

app = Flask(__name__)
client = OpenAI()
engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///app.db"))


def build_owner_query(column):
    if column not in ("owner", "team"):
        raise ValueError(column)
    return f"SELECT * FROM items WHERE {column} = ?"


@app.route("/items")
def items_by_owner_bound():
    sql = build_owner_query("owner")
    cur = sqlite3.connect("items.db").cursor()
    cur.execute(sql, (request.args["owner"],))  # safe: CWE-89
    return {"items": cur.fetchall()}


def run_bound_report_query(sql, params):
    conn = sqlite3.connect("warehouse.db")
    return conn.execute(sql, params).fetchall()  # safe: CWE-89


@app.route("/warehouse")
def warehouse_stock_bound():
    sku = request.values.get("sku", "")
    return {"rows": run_bound_report_query("SELECT qty FROM stock WHERE sku = ?", (sku,))}


@app.route("/logs")
def filter_logs_bound():
    level = request.args.get("level", "INFO")
    parts = ["SELECT ts, message FROM logs WHERE 1 = 1"]
    parts.append("AND level = ?")
    conn = sqlite3.connect("logs.db")
    return {"logs": conn.execute(" ".join(parts), (level,)).fetchall()}  # safe: CWE-89


@app.route("/count", methods=["POST"])
def count_default_rows():
    tables = {"default": "events", "requested": request.json["table"]}
    conn = sqlite3.connect("metrics.db")
    total = conn.execute("SELECT COUNT(*) FROM " + tables["default"]).fetchone()  # safe: CWE-89
    return {"total": total[0]}


def ask_database_bound(question: str):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Name the one product category meant by: {question}"}])
    category = reply.choices[0].message.content
    conn = sqlite3.connect("analytics.db")
    return conn.execute("SELECT name, price FROM products WHERE category = ?", (category,)).fetchall()  # safe: CWE-89


def purge_customer_bound():
    customer = sys.argv[1]
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn.cursor() as cur:
        cur.execute("DELETE FROM customers WHERE email = %s", (customer,))  # safe: CWE-89
    conn.commit()


def default_schema_stats():
    schema = os.getenv("TENANT_SCHEMA", "public")
    schema = "public"
    with Session(engine) as session:
        return session.execute(text(f"SELECT COUNT(*) FROM {schema}.invoices")).scalar()  # safe: CWE-89


def import_usernames_bound(path):
    conn = sqlite3.connect("users.db")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            conn.execute("INSERT INTO users (name) VALUES (?)", (line.strip(),))  # safe: CWE-89
    conn.commit()


def serve_bound_lookups(port=9000):
    server = socket.socket()
    server.bind(("127.0.0.1", port))
    server.listen()
    peer, _ = server.accept()
    key = peer.recv(1024).decode()
    conn = sqlite3.connect("kv.db")
    row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()  # safe: CWE-89
    peer.sendall(str(row).encode())


def sync_remote_tags_bound():
    tags = requests.get("https://tags.example.com/api/latest", timeout=10).json()
    conn = sqlite3.connect("tags.db")
    for tag in tags:
        conn.execute("INSERT OR IGNORE INTO tags VALUES (?)", (tag["name"],))  # safe: CWE-89
    conn.commit()


@app.route("/legacy-search")
def legacy_search():
    clause = "archived = 0"
    if 1 == 2:
        clause = request.args["where"]
    conn = sqlite3.connect("legacy.db")
    return {"rows": conn.execute("SELECT * FROM documents WHERE " + clause).fetchall()}  # safe: CWE-89


@app.route("/columns")
def first_column_stats():
    columns = ["created_at", request.args.get("column", "id")]
    conn = sqlite3.connect("metrics.db")
    return {"max": conn.execute(f"SELECT MAX({columns[0]}) FROM events").fetchone()}  # safe: CWE-89
