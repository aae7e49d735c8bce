"""Safe twins for CWE-916: slow, salted password hashing (bcrypt, argon2, scrypt, PBKDF2)."""
import getpass
import hashlib
import os

import bcrypt
from argon2 import PasswordHasher
from django.contrib.auth.hashers import make_password
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request
from pydantic import BaseModel
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
api = FastAPI()
Base = declarative_base()
ph = PasswordHasher()
PEPPER = os.environ.get("PASSWORD_PEPPER", "")


@app.route("/register-v2", methods=["POST"])
def register_v2():
    form = request.form
    pw_hash = bcrypt.hashpw(form["password"].encode(), bcrypt.gensalt())  # safe: CWE-916
    store_user(form["email"], pw_hash)
    return jsonify(created=True)


def store_user(email, pw_hash):
    pass


def hash_password_salted_v2(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)  # safe: CWE-916
    return salt.hex() + "$" + digest.hex()


def modern_login(db, username, password):
    row = db.execute("SELECT pw FROM users WHERE name = ?", (username,)).fetchone()
    return row is not None and bcrypt.checkpw(password.encode(), row[0])  # safe: CWE-916


def peppered_hash_v2(password):
    return ph.hash(password + PEPPER)  # safe: CWE-916


def signup_view_v2(request):
    pw = request.POST["password"]
    stored = make_password(pw)  # safe: CWE-916
    return JsonResponse({"stored": bool(stored)})


def derive_password_hash_high_cost(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)  # safe: CWE-916


def create_admin_cli_v2():
    password = getpass.getpass("Admin password: ")
    h = ph.hash(password)  # safe: CWE-916
    print("store this hash in the admins table:", h)


def hash_pw_argon(password: str) -> str:
    return PasswordHasher(time_cost=3, memory_cost=65536).hash(password)  # safe: CWE-916


class Account(Base):
    __tablename__ = "accounts"
    id = Column(Integer, primary_key=True)
    email = Column(String, unique=True)
    password_hash = Column(String)

    def set_password(self, raw: str) -> None:
        self.password_hash = generate_password_hash(raw)  # safe: CWE-916


class SignupBodyV2(BaseModel):
    email: str
    password: str


@api.post("/signup-v2")
def api_signup_v2(body: SignupBodyV2):
    digest = bcrypt.hashpw(body.password.encode(), bcrypt.gensalt(rounds=12))  # safe: CWE-916
    return {"email": body.email, "hash_len": len(digest)}


def keyed_password_hash_v2(password: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations=210_000).hex()  # safe: CWE-916


def check_password_v2(stored_hash: str, attempt: str) -> bool:
    return check_password_hash(stored_hash, attempt)  # safe: CWE-916
