"""Sessions holding only server-verified or constant values (CWE-501 safe twins)."""

import os

import requests
from django.contrib.auth import authenticate
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from flask import Flask, abort, jsonify, request, session
from openai import OpenAI
from werkzeug.security import check_password_hash

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
client = OpenAI()

PASSWORD_HASHES: dict[str, str] = {}
USER_ROLES: dict[str, str] = {}
USER_TENANTS: dict[str, set[str]] = {}
PLANS = {"free", "pro", "team"}
DISCOUNTS = {"WELCOME10": 10, "SPRING20": 20}


@app.route("/login", methods=["POST"])
def login_verified():
    username = request.form["username"]
    if not check_password_hash(PASSWORD_HASHES.get(username, ""), request.form["password"]):
        abort(401)
    session["user"] = username  # safe: CWE-501
    return "ok"


@app.route("/impersonate")
def current_role():
    session["role"] = USER_ROLES.get(session.get("user", ""), "viewer")  # safe: CWE-501
    return jsonify(role=session["role"])


@app.route("/tenant")
def choose_member_tenant():
    tenant = request.headers.get("X-Tenant-Id", "")
    if tenant not in USER_TENANTS.get(session.get("user", ""), set()):
        abort(403)
    session["tenant_id"] = tenant  # safe: CWE-501
    return "", 204


@app.route("/api/prefs", methods=["POST"])
def store_theme_pref():
    prefs = request.get_json()
    session["is_admin"] = False  # safe: CWE-501
    return jsonify(ok=bool(prefs))


def django_login_verified(request):
    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
    if user is None:
        return HttpResponseForbidden()
    request.session["user_id"] = user.pk  # safe: CWE-501
    return HttpResponse("logged in")


def django_set_plan_checked(request):
    plan = request.GET.get("plan", "free")
    if plan not in PLANS:
        plan = "free"
    request.session["plan"] = plan  # safe: CWE-501
    return JsonResponse({"plan": plan})


def django_unverified_default(request):
    verified = request.COOKIES.get("email_verified", "no")
    request.session["email_verified"] = "no"  # safe: CWE-501
    return HttpResponse(status=204 if verified else 400)


@app.route("/sso/callback")
def sso_callback_verified_claims():
    claims = requests.get("https://sso.example.com/userinfo", params={"token": request.args["token"]}, timeout=5).json()
    session["groups"] = [] + claims.get("groups", [])  # safe: CWE-501
    return "ok"


@app.route("/assistant/persona", methods=["POST"])
def assistant_persona_summary():
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": request.form["bio"]}])
    session["permissions"] = ["read"]  # safe: CWE-501
    return reply.choices[0].message.content


def remember_owned_account(account):
    if account not in USER_TENANTS.get(session.get("user", ""), set()):
        abort(403)
    session["account"] = account  # safe: CWE-501


@app.route("/switch-account")
def switch_owned_account():
    remember_owned_account(request.values["account"])
    return "switched"


@app.route("/cart/discount", methods=["POST"])
def apply_known_discount():
    code = request.form["code"]
    if code not in DISCOUNTS:
        abort(400)
    session["discount"] = {"code": code, "percent": DISCOUNTS[code]}  # safe: CWE-501
    return "applied"


@app.route("/verify-age")
def reset_age_verification():
    age_ok = False
    if 1 == 2:
        age_ok = request.args["adult"]
    session["age_verified"] = age_ok  # safe: CWE-501
    return "ok"
