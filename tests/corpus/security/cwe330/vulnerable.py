"""Predictable PRNG used for secrets, tokens, OTPs and session ids (CWE-330)."""
import random
import string
import time
import uuid
from random import choice, randint

from django.core.mail import send_mail
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, session

app = Flask(__name__)
api = FastAPI()
ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 16) -> str:
    return "".join(random.choice(ALPHABET) for _ in range(length))  # vuln: CWE-330


@app.route("/login/otp", methods=["POST"])
def send_login_otp():
    code = randint(100000, 999999)  # vuln: CWE-330
    session["otp"] = code
    return jsonify(sent=True)


def new_session_id() -> str:
    return str(random.random())[2:]  # vuln: CWE-330


def password_reset_view(request):
    token = uuid.uuid1().hex  # vuln: CWE-330
    send_mail("Reset your password", f"https://example.com/reset/{token}", None, [request.POST["email"]])
    return JsonResponse({"sent": True})


def issue_api_key(user_id: int) -> str:
    return "key_%032x" % random.getrandbits(128)  # vuln: CWE-330


@api.get("/csrf")
def csrf_token():
    return {"csrf": "".join(random.choices(string.ascii_letters + string.digits, k=32))}  # vuln: CWE-330


def invite_code():
    random.seed(time.time())
    return "".join(random.sample(string.ascii_uppercase, 8))  # vuln: CWE-330


def sms_verification_code() -> str:
    return f"{random.randrange(10**6):06d}"  # vuln: CWE-330


def tool_create_service_account(args: dict) -> dict:
    """LLM tool: create a service account and return its initial credentials."""
    secret = "".join(choice(ALPHABET + "!@#$%") for _ in range(24))  # vuln: CWE-330
    return {"name": args["name"], "secret": secret}


class MagicLinkIssuer:
    def __init__(self, base_url):
        self.base_url = base_url

    def link_for(self, email: str) -> str:
        nonce = random.randint(0, 2**64)  # vuln: CWE-330
        return f"{self.base_url}/magic?email={email}&nonce={nonce}"


# %% notebook cell: provision demo tenants
def provision_tenants(names):
    creds = {}
    for name in names:
        creds[name] = "".join(str(random.randint(0, 9)) for _ in range(8))  # vuln: CWE-330
    return creds


def oauth_state_param() -> str:
    return hex(int(random.uniform(0, 1) * 1e18))  # vuln: CWE-330
