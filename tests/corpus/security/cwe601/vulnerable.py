"""Redirects to targets taken from the request (CWE-601)."""

import requests
from django.http import HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, redirect, request, session
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()


@app.route("/login", methods=["POST"])
def login():
    session["user"] = "authenticated-user-id"
    next_url = request.args.get("next", "/")
    return redirect(next_url)  # vuln: CWE-601


@app.route("/logout")
def logout():
    session.clear()
    return redirect(request.referrer or request.args["return_to"])  # vuln: CWE-601


def django_login_done(request):
    return HttpResponseRedirect(request.GET.get("next", "/"))  # vuln: CWE-601


def django_switch_language(request):
    target = request.POST.get("redirect_to", "/")
    return django_redirect(target)  # vuln: CWE-601


@api.get("/go")
def go(url: str):
    return RedirectResponse(url=url)  # vuln: CWE-601


@app.route("/out")
def outbound():
    destination = request.values["dest"]
    return redirect(f"{destination}?utm_source=app", code=302)  # vuln: CWE-601


def build_return_url(base):
    return base + "/dashboard"


@app.route("/sso/callback")
def sso_callback():
    return redirect(build_return_url(request.cookies.get("tenant_url", "")))  # vuln: CWE-601


@app.route("/continue")
def continue_flow():
    targets = {"home": "/", "next": request.args.get("next", "/")}
    return redirect(targets["next"])  # vuln: CWE-601


@app.route("/checkout/done")
def checkout_done():
    state = request.get_json(silent=True) or {}
    parts = [state.get("shop_url", ""), "/thanks"]
    return redirect("".join(parts))  # vuln: CWE-601


@app.route("/portal")
def portal():
    target = "/home"
    if request.args.get("target"):
        target = request.args["target"]
    return redirect(target)  # vuln: CWE-601


def django_referer_back(request):
    back = request.META.get("HTTP_REFERER", "/")
    return HttpResponseRedirect(back)  # vuln: CWE-601


@app.route("/ask-and-go", methods=["POST"])
def assistant_navigate():
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": request.form["question"]}])
    return redirect(reply.choices[0].message.content.strip())  # vuln: CWE-601


@app.route("/campaign/<campaign_id>")
def campaign_link(campaign_id):
    campaign = requests.get(f"https://crm.example.com/api/campaigns/{campaign_id}", timeout=5).json()
    return redirect(campaign["landing_url"])  # vuln: CWE-601
