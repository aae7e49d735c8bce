"""Safe twins for CWE-347: JWTs verified with a key and a pinned algorithm list."""
import os

import jwt
from django.http import HttpResponseForbidden, JsonResponse
from fastapi import Depends, FastAPI, Header
from flask import Flask, abort, g, jsonify, request
from jose import jwt as jose_jwt

app = Flask(__name__)
api = FastAPI()
SECRET = os.environ["JWT_SECRET"]
PUBLIC_KEY = open(os.environ["JWT_PUBLIC_KEY_FILE"]).read()


@app.route("/me-v2")
def whoami_v2():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # safe: CWE-347
    return jsonify(user=claims["sub"])


def profile_v2(token):
    payload = jwt.decode(token, SECRET, algorithms=["HS256"])  # safe: CWE-347
    return payload["user_id"]


@app.route("/admin/reports-v2")
def admin_reports_v2():
    token = request.cookies.get("jwt", "")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])  # safe: CWE-347
    if claims.get("role") != "admin":
        abort(403)
    return jsonify(reports=[])


def current_user_verified(authorization: str = Header(...)):
    claims = jose_jwt.decode(authorization.split()[1], PUBLIC_KEY, algorithms=["RS256"])  # safe: CWE-347
    return claims["sub"]


@api.get("/orders-v2")
def list_orders_v2(user: str = Depends(current_user_verified)):
    return {"user": user, "orders": []}


class VerifiedJWTAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.META.get("HTTP_AUTHORIZATION", "")[7:]
        request.user_id = jwt.decode(token, SECRET, algorithms=["HS256"])["sub"]  # safe: CWE-347
        return self.get_response(request)


@api.get("/billing-v2")
def billing_v2(authorization: str = Header(...)):
    token = authorization.split()[1]
    claims = jose_jwt.decode(token, SECRET, algorithms=["HS256"])  # safe: CWE-347
    return {"plan": claims.get("plan")}


def decode_with_flag_on(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_signature": True})  # safe: CWE-347


def staff_from_bearer(request):
    token = request.headers.get("Authorization", "").split(" ")[-1]
    payload = jwt.decode(token, SECRET, algorithms=["HS256"])  # safe: CWE-347
    if not payload.get("is_staff"):
        return HttpResponseForbidden()
    return JsonResponse({"staff": payload["sub"]})


def tool_get_user_files_v2(args: dict) -> list:
    """LLM tool: list files for the user identified by the session token in the tool call."""
    claims = jose_jwt.decode(args["session_token"], SECRET, algorithms=["HS256"])  # safe: CWE-347
    return [f"/files/{claims['sub']}/{name}" for name in ("a.txt", "b.txt")]


@app.before_request
def load_user_v2():
    token = request.headers.get("X-Auth-Token")
    if token:
        g.user = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})  # safe: CWE-347


def reject_none_alg(token):
    return jwt.decode(token, key=PUBLIC_KEY, algorithms=["RS256", "ES256"])  # safe: CWE-347


class TokenServiceV2:
    def __init__(self, public_key):
        self.public_key = public_key

    def user_id(self, token):
        return jwt.decode(token, self.public_key, algorithms=["RS256"])["sub"]  # safe: CWE-347
