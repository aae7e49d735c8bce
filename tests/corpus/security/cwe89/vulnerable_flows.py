"""Tainted values reaching SQL through helpers, containers and other sources (CWE-89)."""

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


def build_owner_filter(column, value):
    return f"SELECT * FROM items WHERE {column} = '{value}'"


@app.route("/items")
def items_by_owner():
    sql = build_owner_filter("owner", request.args["owner"])
    cur = sqlite3.connect("items.db").cursor()
    cur.execute(sql)  # vuln: CWE-89
    return {"items": cur.fetchall()}


def run_report_query(sql):
    conn = sqlite3.connect("warehouse.db")
    return conn.execute(sql).fetchall()  # vuln: CWE-89


@app.route("/warehouse")
def warehouse_stock():
    sku = request.values.get("sku", "")
    return {"rows": run_report_query("SELECT qty FROM stock WHERE sku = '" + sku + "'")}


@app.route("/logs")
def filter_logs():
    level = request.args.get("level", "INFO")
    parts = ["SELECT ts, message FROM logs WHERE 1 = 1"]
    parts.append(f"AND level = '{level}'")
    conn = sqlite3.connect("logs.db")
    return {"logs": conn.execute(" ".join(parts)).fetchall()}  # vuln: CWE-89


@app.route("/count", methods=["POST"])
def count_rows():
    tables = {"default": "events", "requested": request.json["table"]}
    conn = sqlite3.connect("metrics.db")
    total = conn.execute("SELECT COUNT(*) FROM " + tables["requested"]).fetchone()  # vuln: CWE-89
    return {"total": total[0]}


def ask_database(question: str):
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Write one SQLite query for: {question}"}])
    generated_sql = reply.choices[0].message.content
    conn = sqlite3.connect("analytics.db")
    return conn.execute(generated_sql).fetchall()  # vuln: CWE-89


def purge_customer():
    customer = sys.argv[1]
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn.cursor() as cur:
        cur.execute("DELETE FROM customers WHERE email = '%s'" % customer)  # vuln: CWE-89
    conn.commit()


def tenant_schema_stats():
    schema = os.getenv("TENANT_SCHEMA", "public")
    with Session(engine) as session:
        return session.execute(text(f"SELECT COUNT(*) FROM {schema}.invoices")).scalar()  # vuln: CWE-89


def import_usernames(path):
    conn = sqlite3.connect("users.db")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            conn.execute("INSERT INTO users (name) VALUES ('%s')" % line.strip())  # vuln: CWE-89
    conn.commit()


def serve_lookups(port=9000):
    server = socket.socket()
    server.bind(("127.0.0.1", port))
    server.listen()
    peer, _ = server.accept()
    key = peer.recv(1024).decode()
    conn = sqlite3.connect("kv.db")
    row = conn.execute("SELECT value FROM kv WHERE key = '{}'".format(key)).fetchone()  # vuln: CWE-89
    peer.sendall(str(row).encode())


def sync_remote_tags():
    tags = requests.get("https://tags.example.com/api/latest", timeout=10).json()
    conn = sqlite3.connect("tags.db")
    for tag in tags:
        conn.execute("INSERT OR IGNORE INTO tags VALUES ('" + tag["name"] + "')")  # vuln: CWE-89
    conn.commit()


@app.route("/legacy-search")
def legacy_search_where():
    clause = "archived = 0"
    if request.args.get("where"):
        clause = request.args["where"]
    conn = sqlite3.connect("legacy.db")
    return {"rows": conn.execute("SELECT * FROM documents WHERE " + clause).fetchall()}  # vuln: CWE-89


@app.route("/columns")
def requested_column_stats():
    columns = ["created_at", request.args.get("column", "id")]
    conn = sqlite3.connect("metrics.db")
    return {"max": conn.execute(f"SELECT MAX({columns[1]}) FROM events").fetchone()}  # vuln: CWE-89
