"""Session/auth cookies set without the Secure flag (CWE-614)."""
import secrets

from django.http import HttpResponseRedirect, JsonResponse
from fastapi import FastAPI, Response
from flask import Flask, make_response, redirect, request
from starlette.responses import JSONResponse, RedirectResponse

app = Flask(__name__)
app.config["SESSION_COOKIE_SECURE"] = False  # vuln: CWE-614
api = FastAPI()


@app.route("/login", methods=["POST"])
def flask_login():
    sid = secrets.token_urlsafe(32)
    resp = make_response(redirect("/dashboard"))
    resp.set_cookie("session_id", sid, httponly=True)  # vuln: CWE-614
    return resp


@app.route("/api/token", methods=["POST"])
def issue_auth_cookie():
    token = secrets.token_urlsafe(32)
    resp = make_response({"ok": True})
    resp.set_cookie("auth_token", token, httponly=True, samesite="Lax", max_age=3600)  # vuln: CWE-614
    return resp


@app.route("/remember", methods=["POST"])
def remember_me():
    resp = make_response("", 204)
    resp.set_cookie("remember_token", request.form["token"], secure=False, httponly=True)  # vuln: CWE-614
    return resp


@app.route("/sso/callback")
def sso_callback_both_missing():
    resp = make_response(redirect("/"))
    resp.set_cookie("session", request.args["sid"])  # vuln: CWE-614
    return resp


def django_login(request):
    resp = HttpResponseRedirect("/home")
    resp.set_cookie("sessionid", request.session.session_key, httponly=True, samesite="Lax")  # vuln: CWE-614
    return resp


def django_api_login_both_missing(request):
    resp = JsonResponse({"ok": True})
    resp.set_cookie("auth", request.POST["jwt"], max_age=86400)  # vuln: CWE-614
    return resp


def django_signed_user_cookie(request, user_id):
    resp = JsonResponse({"user": user_id})
    resp.set_signed_cookie("user_id", str(user_id), salt="uid", httponly=True)  # vuln: CWE-614
    return resp


@api.post("/auth/login")
def fastapi_login(response: Response):
    access = secrets.token_urlsafe(32)
    response.set_cookie(key="access_token", value=access, httponly=True)  # vuln: CWE-614
    return {"ok": True}


@api.post("/auth/refresh")
def fastapi_refresh(response: Response):
    refresh = secrets.token_urlsafe(48)
    response.set_cookie("refresh_token", refresh, httponly=True, secure=False, samesite="strict")  # vuln: CWE-614
    return {"ok": True}


def starlette_login(request):
    resp = RedirectResponse(url="/app", status_code=303)
    resp.set_cookie("session", secrets.token_hex(32), httponly=True, path="/")  # vuln: CWE-614
    return resp


def starlette_api_key_cookie(request):
    resp = JSONResponse({"ok": True})
    resp.set_cookie(key="api_session", value=secrets.token_hex(16), httponly=True, max_age=900)  # vuln: CWE-614
    return resp


def create_admin_app():
    admin = Flask("admin")
    admin.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SECURE=False)  # vuln: CWE-614
    return admin
