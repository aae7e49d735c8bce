"""The same helpers given bound parameters or constant text (CWE-89)."""

from flask import Flask, request

from shop import store
from shop.store import run

app = Flask(__name__)


@app.route("/search")
def search_bound():
    return {"rows": run("SELECT * FROM items WHERE name = ?", (request.args["q"],))}  # safe: CWE-89


@app.route("/table")
def table_constant():
    return {"rows": store.find("items", request.args["name"])}  # safe: CWE-89


@app.route("/by-owner")
def by_owner_bound():
    owner = request.args.get("owner", "")
    return {"rows": store.run("SELECT * FROM items WHERE owner = ?", (owner,))}  # safe: CWE-89
