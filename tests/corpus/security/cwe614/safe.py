"""Safe twins for CWE-614: session/auth cookies marked Secure."""
import secrets

from django.http import HttpResponseRedirect, JsonResponse
from fastapi import FastAPI, Response
from flask import Flask, make_response, redirect, request
from starlette.responses import JSONResponse, RedirectResponse

app = Flask(__name__)
app.config["SESSION_COOKIE_SECURE"] = True  # safe: CWE-614
api = FastAPI()


@app.route("/login-v2", methods=["POST"])
def flask_login_v2():
    sid = secrets.token_urlsafe(32)
    resp = make_response(redirect("/dashboard"))
    resp.set_cookie("session_id", sid, secure=True, httponly=True)  # safe: CWE-614
    return resp


@app.route("/api/token-v2", methods=["POST"])
def issue_auth_cookie_v2():
    token = secrets.token_urlsafe(32)
    resp = make_response({"ok": True})
    resp.set_cookie("auth_token", token, secure=True, httponly=True, samesite="Lax", max_age=3600)  # safe: CWE-614
    return resp


@app.route("/remember-v2", methods=["POST"])
def remember_me_v2():
    resp = make_response("", 204)
    resp.set_cookie("remember_token", request.form["token"], secure=True, httponly=True)  # safe: CWE-614
    return resp


@app.route("/sso/callback-v2")
def sso_callback_v2():
    resp = make_response(redirect("/"))
    resp.set_cookie("session", request.args["sid"], secure=True, httponly=True, samesite="Lax")  # safe: CWE-614
    return resp


def django_login_v2(request):
    resp = HttpResponseRedirect("/home")
    resp.set_cookie("sessionid", request.session.session_key, secure=True, httponly=True, samesite="Lax")  # safe: CWE-614
    return resp


def django_api_login_v2(request):
    resp = JsonResponse({"ok": True})
    resp.set_cookie("auth", request.POST["jwt"], max_age=86400, secure=True, httponly=True)  # safe: CWE-614
    return resp


def django_signed_user_cookie_v2(request, user_id):
    resp = JsonResponse({"user": user_id})
    resp.set_signed_cookie("user_id", str(user_id), salt="uid", secure=True, httponly=True)  # safe: CWE-614
    return resp


@api.post("/auth/login-v2")
def fastapi_login_v2(response: Response):
    access = secrets.token_urlsafe(32)
    response.set_cookie(key="access_token", value=access, httponly=True, secure=True)  # safe: CWE-614
    return {"ok": True}


@api.post("/auth/refresh-v2")
def fastapi_refresh_v2(response: Response):
    refresh = secrets.token_urlsafe(48)
    response.set_cookie("refresh_token", refresh, httponly=True, secure=True, samesite="strict")  # safe: CWE-614
    return {"ok": True}


def starlette_login_v2(request):
    resp = RedirectResponse(url="/app", status_code=303)
    resp.set_cookie("session", secrets.token_hex(32), httponly=True, secure=True, path="/")  # safe: CWE-614
    return resp


def starlette_api_key_cookie_v2(request):
    resp = JSONResponse({"ok": True})
    resp.set_cookie(key="api_session", value=secrets.token_hex(16), httponly=True, secure=True, max_age=900)  # safe: CWE-614
    return resp


def create_admin_app_v2():
    admin = Flask("admin")
    admin.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SECURE=True)  # safe: CWE-614
    return admin
