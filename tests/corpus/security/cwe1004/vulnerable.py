"""Session/auth cookies set without the HttpOnly flag (CWE-1004)."""
import secrets

from django.http import HttpResponseRedirect, JsonResponse
from fastapi import FastAPI, Response
from flask import Flask, make_response, redirect, request
from starlette.responses import JSONResponse, RedirectResponse

app = Flask(__name__)
app.config["SESSION_COOKIE_HTTPONLY"] = False  # vuln: CWE-1004
api = FastAPI()


@app.route("/signin", methods=["POST"])
def flask_signin():
    sid = secrets.token_urlsafe(32)
    resp = make_response(redirect("/dashboard"))
    resp.set_cookie("session_id", sid, secure=True)  # vuln: CWE-1004
    return resp


@app.route("/api/jwt", methods=["POST"])
def issue_jwt_cookie():
    token = secrets.token_urlsafe(32)
    resp = make_response({"ok": True})
    resp.set_cookie("jwt", token, secure=True, samesite="None", max_age=3600)  # vuln: CWE-1004
    return resp


@app.route("/oauth/done")
def oauth_done_both_missing():
    resp = make_response(redirect("/"))
    resp.set_cookie("session", request.args["sid"])  # vuln: CWE-1004
    return resp


def django_signin(request):
    resp = HttpResponseRedirect("/home")
    resp.set_cookie("auth_token", request.session["token"], secure=True, samesite="Strict")  # vuln: CWE-1004
    return resp


def django_api_signin_both_missing(request):
    resp = JsonResponse({"ok": True})
    resp.set_cookie("auth", request.POST["jwt"], max_age=86400)  # vuln: CWE-1004
    return resp


def django_signed_uid(request, user_id):
    resp = JsonResponse({"user": user_id})
    resp.set_signed_cookie("uid", str(user_id), salt="uid", secure=True)  # vuln: CWE-1004
    return resp


@api.post("/session/start")
def fastapi_start_session(response: Response):
    access = secrets.token_urlsafe(32)
    response.set_cookie(key="access_token", value=access, secure=True)  # vuln: CWE-1004
    return {"ok": True}


@api.post("/session/refresh")
def fastapi_rotate_refresh(response: Response):
    refresh = secrets.token_urlsafe(48)
    response.set_cookie("refresh_token", refresh, secure=True, httponly=False, samesite="strict")  # vuln: CWE-1004
    return {"ok": True}


def starlette_signin(request):
    resp = RedirectResponse(url="/app", status_code=303)
    resp.set_cookie("session", secrets.token_hex(32), secure=True, path="/")  # vuln: CWE-1004
    return resp


def starlette_impersonation_cookie(request):
    resp = JSONResponse({"ok": True})
    resp.set_cookie(key="impersonate_session", value=secrets.token_hex(16), secure=True, httponly=False)  # vuln: CWE-1004
    return resp


def create_support_app():
    support = Flask("support")
    support.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=False)  # vuln: CWE-1004
    return support
