"""Passwords stored/verified with a fast hash (CWE-916)."""
import getpass
import hashlib
import hmac
import os
from hashlib import sha256

from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from pydantic import BaseModel
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

app = Flask(__name__)
api = FastAPI()
Base = declarative_base()
PEPPER = os.environ.get("PASSWORD_PEPPER", "")


@app.route("/register", methods=["POST"])
def register():
    form = request.form
    pw_hash = hashlib.sha256(form["password"].encode()).hexdigest()  # vuln: CWE-916
    save_user(form["email"], pw_hash)
    return jsonify(created=True)


def save_user(email, pw_hash):
    pass


def hash_password_salted(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.sha256(salt + password.encode()).hexdigest()  # vuln: CWE-916
    return salt.hex() + "$" + digest


def legacy_login(db, username, password):
    row = db.execute("SELECT pw FROM users WHERE name = ?", (username,)).fetchone()
    candidate = hashlib.md5(password.encode()).hexdigest()  # vuln: CWE-916
    return row is not None and hmac.compare_digest(row[0], candidate)


def peppered_hash(password):
    return hashlib.sha512((password + PEPPER).encode("utf-8")).hexdigest()  # vuln: CWE-916


def signup_view(request):
    pw = request.POST["password"]
    stored = sha256(pw.encode()).hexdigest()  # vuln: CWE-916
    return JsonResponse({"stored": bool(stored)})


def derive_password_hash_low_cost(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)  # vuln: CWE-916


def create_admin_cli():
    password = getpass.getpass("Admin password: ")
    h = hashlib.new("sha1", password.encode())  # vuln: CWE-916
    print(f"INSERT INTO admins VALUES ('admin', '{h.hexdigest()}');")


def hash_pw_blake(password: str, salt: bytes) -> str:
    return hashlib.blake2b(password.encode(), salt=salt[:16]).hexdigest()  # vuln: CWE-916


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String, unique=True)
    password_hash = Column(String)

    def set_password(self, raw: str) -> None:
        self.password_hash = hashlib.sha256(("s@lt" + raw).encode()).hexdigest()  # vuln: CWE-916


class SignupBody(BaseModel):
    email: str
    password: str


@api.post("/signup")
def api_signup(body: SignupBody):
    digest = hashlib.sha3_256(body.password.encode()).hexdigest()  # vuln: CWE-916
    return {"email": body.email, "hash_len": len(digest)}


def keyed_password_hash(password: str, server_key: bytes) -> str:
    return hmac.new(server_key, password.encode(), hashlib.sha256).hexdigest()  # vuln: CWE-916


def check_password(stored_hex: str, salt: str, attempt: str) -> bool:
    return hashlib.sha256((salt + attempt).encode()).hexdigest() == stored_hex  # vuln: CWE-916
