"""The project's own helpers that views call: each passes a parameter to a sink. Not a labelled
file; the views in cwe*/vulnerable_helpers.py and cwe*/safe_helpers.py call them."""

import sqlite3
import subprocess
from pathlib import Path

UPLOADS = Path("/srv/uploads")


def run(sql, params=()):
    return sqlite3.connect("shop.db").execute(sql, params).fetchall()


def find(table, name):
    return run("SELECT * FROM " + table + " WHERE name = ?", (name,))


def convert(name):
    return subprocess.run("convert " + name + " out.png", shell=True, check=False).returncode


def thumbnail(name):
    return subprocess.run(["convert", name, "out.png"], check=False).returncode


def read_upload(name):
    return (UPLOADS / name).read_bytes()


def read_checked(name):
    path = (UPLOADS / name).resolve()
    if not path.is_relative_to(UPLOADS):
        raise ValueError("outside the upload directory")
    return path.read_bytes()
