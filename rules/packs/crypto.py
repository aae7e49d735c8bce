"""Fixture of the crypto pack: `# expect: CODE` lines must be flagged, `# ok: CODE` lines not."""

import hashlib
import os
import random
import secrets
import smtplib

import jwt

SECRET = os.environ["JWT_SECRET"]


def store(password: str, salt: bytes) -> str:
    fast = hashlib.sha256(salt + password.encode()).hexdigest()  # expect: RV127
    slow = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)  # ok: RV127
    weak = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)  # expect: RV127
    digest = hashlib.sha256(b"file contents").hexdigest()  # ok: RV127
    return fast + slow.hex() + weak.hex() + digest


def reset_token() -> str:
    return "".join(random.choice("abcdef0123456789") for _ in range(32))  # expect: RV128


def shuffled_quiz(questions: list[str]) -> list[str]:
    return random.sample(questions, k=len(questions))  # ok: RV128


def api_key() -> str:
    return secrets.token_urlsafe(32)  # ok: RV128


def reset_board() -> list[float]:
    return [random.uniform(1.0, 5.0) for _ in range(8)]  # ok: RV128


def new_invite_code() -> str:
    return str(random.randint(100000, 999999))  # expect: RV128


def claims(token: str) -> dict:
    unverified = jwt.decode(token, options={"verify_signature": False})  # expect: RV129
    verified = jwt.decode(token, SECRET, algorithms=["HS256"])  # ok: RV129
    return {**unverified, **verified}


def sign(payload: dict) -> str:
    return jwt.encode(payload, "s3cr3t-signing-key-2024", algorithm="HS256")  # expect: RV132


def sign_ok(payload: dict) -> str:
    return jwt.encode(payload, SECRET, algorithm="HS256")  # ok: RV132


def alert(body: str) -> None:
    with smtplib.SMTP_SSL("smtp.mail.test", 465) as smtp:
        smtp.login("alerts", "your-password-here")  # ok: RV132
        smtp.send_message(body)
