"""Untrusted request data stored into the server-side session (CWE-501)."""

import os

import requests
from django.http import HttpResponse, JsonResponse
from flask import Flask, jsonify, request, session
from openai import OpenAI

app = Flask(__name__)
app.secret_key = os.environ["FLASK_SECRET_KEY"]
client = OpenAI()


@app.route("/login", methods=["POST"])
def login_with_role():
    session["user"] = request.form["username"]  # vuln: CWE-501
    return "ok"


@app.route("/impersonate")
def impersonate():
    session["role"] = request.args.get("role", "viewer")  # vuln: CWE-501
    return jsonify(role=session["role"])


@app.route("/tenant")
def choose_tenant():
    tenant = request.headers.get("X-Tenant-Id", "")
    session["tenant_id"] = tenant  # vuln: CWE-501
    return "", 204


@app.route("/api/prefs", methods=["POST"])
def store_prefs():
    prefs = request.get_json()
    session["is_admin"] = prefs.get("is_admin", False)  # vuln: CWE-501
    return jsonify(ok=True)


def django_login(request):
    request.session["user_id"] = request.POST["user_id"]  # vuln: CWE-501
    return HttpResponse("logged in")


def django_set_plan(request):
    plan = request.GET.get("plan", "free")
    request.session["plan"] = plan  # vuln: CWE-501
    return JsonResponse({"plan": plan})


def django_trust_cookie(request):
    verified = request.COOKIES.get("email_verified", "no")
    request.session["email_verified"] = f"{verified}"  # vuln: CWE-501
    return HttpResponse(status=204)


@app.route("/sso/callback")
def sso_callback_claims():
    claims = requests.get("https://sso.example.com/userinfo", params={"token": request.args["token"]}, timeout=5).json()
    session["groups"] = request.args.getlist("group") + claims.get("groups", [])  # vuln: CWE-501
    return "ok"


@app.route("/assistant/persona", methods=["POST"])
def assistant_persona():
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": request.form["bio"]}])
    session["permissions"] = reply.choices[0].message.content.split(",")  # vuln: CWE-501
    return "ok"


def remember_account(account):
    session["account"] = account  # vuln: CWE-501


@app.route("/switch-account")
def switch_account():
    remember_account(request.values["account"])
    return "switched"


@app.route("/cart/discount", methods=["POST"])
def apply_discount():
    discount = {"code": request.form["code"], "percent": request.form["percent"]}
    session["discount"] = discount  # vuln: CWE-501
    return "applied"


@app.route("/verify-age")
def verify_age():
    age_ok = False
    if request.args.get("adult"):
        age_ok = request.args["adult"]
    session["age_verified"] = age_ok  # vuln: CWE-501
    return "ok"
