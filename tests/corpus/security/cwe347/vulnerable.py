"""JWTs accepted without signature verification (CWE-347)."""
import base64
import json
import os

import jwt
from django.http import HttpResponseForbidden, JsonResponse
from fastapi import Depends, FastAPI, Header
from flask import Flask, abort, g, jsonify, request
from jose import jwt as jose_jwt

app = Flask(__name__)
api = FastAPI()
SECRET = os.environ["JWT_SECRET"]


@app.route("/me")
def whoami():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})  # vuln: CWE-347
    return jsonify(user=claims["sub"])


def legacy_profile(token):
    payload = jwt.decode(token, verify=False)  # vuln: CWE-347
    return payload["user_id"]


@app.route("/admin/reports")
def admin_reports():
    token = request.cookies.get("jwt", "")
    claims = jwt.decode(token, SECRET, algorithms=["HS256", "none"])  # vuln: CWE-347
    if claims.get("role") != "admin":
        abort(403)
    return jsonify(reports=[])


def current_user_from_jose(authorization: str = Header(...)):
    claims = jose_jwt.get_unverified_claims(authorization.split()[1])  # vuln: CWE-347
    return claims["sub"]


@api.get("/orders")
def list_orders(user: str = Depends(current_user_from_jose)):
    return {"user": user, "orders": []}


class JWTAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.META.get("HTTP_AUTHORIZATION", "")[7:]
        request.user_id = jwt.decode(token, options={"verify_signature": False})["sub"]  # vuln: CWE-347
        return self.get_response(request)


@api.get("/billing")
def billing(authorization: str = Header(...)):
    token = authorization.split()[1]
    claims = jose_jwt.decode(token, SECRET, options={"verify_signature": False})  # vuln: CWE-347
    return {"plan": claims.get("plan")}


def decode_with_flag_off(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_signature": False})  # vuln: CWE-347


def user_from_bearer(request):
    token = request.headers.get("Authorization", "").split(" ")[-1]
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))  # vuln: CWE-347
    if not payload.get("is_staff"):
        return HttpResponseForbidden()
    return JsonResponse({"staff": payload["sub"]})


def tool_get_user_files(args: dict) -> list:
    """LLM tool: list files for the user identified by the session token in the tool call."""
    claims = jose_jwt.get_unverified_claims(args["session_token"])  # vuln: CWE-347
    return [f"/files/{claims['sub']}/{name}" for name in ("a.txt", "b.txt")]


@app.before_request
def load_user():
    token = request.headers.get("X-Auth-Token")
    if token:
        g.user = jwt.decode(token, options={"verify_signature": False, "verify_exp": False})  # vuln: CWE-347


def accept_none_alg(token):
    return jwt.decode(token, key="", algorithms=["none"])  # vuln: CWE-347


class TokenService:
    def __init__(self, public_key):
        self.public_key = public_key

    def user_id(self, token):
        return jwt.decode(token, self.public_key, algorithms=["RS256"], verify=False)["sub"]  # vuln: CWE-347
