"""Safe twins for CWE-330: secrets module / SystemRandom for security values."""
import random
import secrets
import string

from django.core.mail import send_mail
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, session

app = Flask(__name__)
api = FastAPI()
ALPHABET = string.ascii_letters + string.digits
sysrand = random.SystemRandom()


def generate_password_v2(length: int = 16) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))  # safe: CWE-330


@app.route("/login/otp-v2", methods=["POST"])
def send_login_otp_v2():
    code = 100000 + secrets.randbelow(900000)  # safe: CWE-330
    session["otp"] = code
    return jsonify(sent=True)


def new_session_id_v2() -> str:
    return secrets.token_urlsafe(32)  # safe: CWE-330


def password_reset_view_v2(request):
    token = secrets.token_urlsafe(32)  # safe: CWE-330
    send_mail("Reset your password", f"https://example.com/reset/{token}", None, [request.POST["email"]])
    return JsonResponse({"sent": True})


def issue_api_key_v2(user_id: int) -> str:
    return "key_" + secrets.token_hex(16)  # safe: CWE-330


@api.get("/csrf-v2")
def csrf_token_v2():
    return {"csrf": "".join(sysrand.choices(string.ascii_letters + string.digits, k=32))}  # safe: CWE-330


def invite_code_v2():
    return "".join(random.SystemRandom().sample(string.ascii_uppercase, 8))  # safe: CWE-330


def sms_verification_code_v2() -> str:
    return f"{secrets.randbelow(10**6):06d}"  # safe: CWE-330


def tool_create_service_account_v2(args: dict) -> dict:
    """LLM tool: create a service account and return its initial credentials."""
    secret = "".join(secrets.choice(ALPHABET + "!@#$%") for _ in range(24))  # safe: CWE-330
    return {"name": args["name"], "secret": secret}


class MagicLinkIssuerV2:
    def __init__(self, base_url):
        self.base_url = base_url

    def link_for(self, email: str) -> str:
        nonce = secrets.randbits(64)  # safe: CWE-330
        return f"{self.base_url}/magic?email={email}&nonce={nonce}"


# %% notebook cell: provision demo tenants
def provision_tenants_v2(names):
    creds = {}
    for name in names:
        creds[name] = "".join(str(sysrand.randint(0, 9)) for _ in range(8))  # safe: CWE-330
    return creds


def oauth_state_param_v2() -> str:
    return secrets.token_hex(16)  # safe: CWE-330
