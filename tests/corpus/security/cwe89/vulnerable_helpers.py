"""Request data reaching SQL inside the project's own helpers (shop/store.py) (CWE-89)."""

from flask import Flask, request

from shop import store
from shop.store import run

app = Flask(__name__)


@app.route("/search")
def search_text():
    return {"rows": run("SELECT * FROM items WHERE name = '" + request.args["q"] + "'")}  # vuln: CWE-89


@app.route("/table")
def table_named():
    return {"rows": store.find(request.args["table"], "x")}  # vuln: CWE-89


@app.route("/by-owner")
def by_owner_text():
    owner = request.args.get("owner", "")
    sql = f"SELECT * FROM items WHERE owner = '{owner}'"
    return {"rows": store.run(sql)}  # vuln: CWE-89
