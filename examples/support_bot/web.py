"""The bot's small web dashboard: each risky handler sits next to its fixed twin."""

import sqlite3
import subprocess

from flask import Flask, abort, redirect, request

app = Flask(__name__)
SORT_COLUMNS = {"newest": "created DESC", "oldest": "created ASC"}


def _tickets_db() -> sqlite3.Connection:
    return sqlite3.connect("tickets.db")


def _query(sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with _tickets_db() as db:
        return db.execute(sql, params).fetchall()  # expect: RV110


@app.route("/tickets")
def search_tickets():
    customer = request.args.get("customer", "")
    return {"rows": _query(f"SELECT * FROM tickets WHERE customer = '{customer}'")}  # expect: B608


@app.route("/tickets/sorted")
def sorted_tickets():
    order = SORT_COLUMNS.get(request.args.get("sort", ""), "created DESC")
    with _tickets_db() as db:
        rows = db.execute(f"SELECT * FROM tickets ORDER BY {order}").fetchall()  # ok: RV110, B608 (one of the constants: superseded by RV110)
    return {"rows": rows}


@app.route("/tickets/by-id")
def ticket_by_id():
    with _tickets_db() as db:
        rows = db.execute("SELECT * FROM tickets WHERE id = ?", (request.args["id"],)).fetchall()  # ok: RV110
    return {"rows": rows}


@app.route("/logs/<name>")
def tail_log(name):
    return subprocess.check_output(f"tail -n 50 /var/log/bot/{name}.log", shell=True)  # expect: RV111


@app.route("/after-login")
def after_login():
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        abort(400)
    return redirect(target)  # ok: RV116
