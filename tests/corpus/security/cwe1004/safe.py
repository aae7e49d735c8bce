"""Safe twins for CWE-1004: session/auth cookies marked HttpOnly."""
import secrets

from django.http import HttpResponseRedirect, JsonResponse
from fastapi import FastAPI, Response
from flask import Flask, make_response, redirect, request
from starlette.responses import JSONResponse, RedirectResponse

app = Flask(__name__)
app.config["SESSION_COOKIE_HTTPONLY"] = True  # safe: CWE-1004
api = FastAPI()


@app.route("/signin-v2", methods=["POST"])
def flask_signin_v2():
    sid = secrets.token_urlsafe(32)
    resp = make_response(redirect("/dashboard"))
    resp.set_cookie("session_id", sid, secure=True, httponly=True)  # safe: CWE-1004
    return resp


@app.route("/api/jwt-v2", methods=["POST"])
def issue_jwt_cookie_v2():
    token = secrets.token_urlsafe(32)
    resp = make_response({"ok": True})
    resp.set_cookie("jwt", token, secure=True, httponly=True, samesite="None", max_age=3600)  # safe: CWE-1004
    return resp


@app.route("/oauth/done-v2")
def oauth_done_v2():
    resp = make_response(redirect("/"))
    resp.set_cookie("session", request.args["sid"], secure=True, httponly=True)  # safe: CWE-1004
    return resp


def django_signin_v2(request):
    resp = HttpResponseRedirect("/home")
    resp.set_cookie("auth_token", request.session["token"], secure=True, httponly=True, samesite="Strict")  # safe: CWE-1004
    return resp


def django_api_signin_v2(request):
    resp = JsonResponse({"ok": True})
    resp.set_cookie("auth", request.POST["jwt"], max_age=86400, httponly=True, secure=True)  # safe: CWE-1004
    return resp


def django_signed_uid_v2(request, user_id):
    resp = JsonResponse({"user": user_id})
    resp.set_signed_cookie("uid", str(user_id), salt="uid", secure=True, httponly=True)  # safe: CWE-1004
    return resp


@api.post("/session/start-v2")
def fastapi_start_session_v2(response: Response):
    access = secrets.token_urlsafe(32)
    response.set_cookie(key="access_token", value=access, secure=True, httponly=True)  # safe: CWE-1004
    return {"ok": True}


@api.post("/session/refresh-v2")
def fastapi_rotate_refresh_v2(response: Response):
    refresh = secrets.token_urlsafe(48)
    response.set_cookie("refresh_token", refresh, secure=True, httponly=True, samesite="strict")  # safe: CWE-1004
    return {"ok": True}


def starlette_signin_v2(request):
    resp = RedirectResponse(url="/app", status_code=303)
    resp.set_cookie("session", secrets.token_hex(32), secure=True, httponly=True, path="/")  # safe: CWE-1004
    return resp


def starlette_impersonation_cookie_v2(request):
    resp = JSONResponse({"ok": True})
    resp.set_cookie(key="impersonate_session", value=secrets.token_hex(16), secure=True, httponly=True)  # safe: CWE-1004
    return resp


def create_support_app_v2():
    support = Flask("support")
    support.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)  # safe: CWE-1004
    return support
