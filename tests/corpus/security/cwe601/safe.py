"""The same redirects checked against the own host, an allow-list or a named route (CWE-601 safe twins)."""

from urllib.parse import urlparse

import requests
from django.http import HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI, HTTPException
from fastapi.responses import RedirectResponse
from flask import Flask, redirect, request, session, url_for
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
client = OpenAI()

PAGES = {"dashboard": "/dashboard", "settings": "/settings", "billing": "/billing"}
PARTNER_HOSTS = {"partner.example.com", "shop.example.com"}
TENANTS = {"acme": "https://acme.example.com", "globex": "https://globex.example.com"}


def is_local_path(url: str) -> bool:
    parsed = urlparse(url)
    return not parsed.scheme and not parsed.netloc and url.startswith("/") and not url.startswith("//") and "\\" not in url


@app.route("/login", methods=["POST"])
def login_local_next():
    session["user"] = "authenticated-user-id"
    next_url = request.args.get("next", "/")
    if not is_local_path(next_url):
        next_url = "/"
    return redirect(next_url)  # safe: CWE-601


@app.route("/logout")
def logout_home():
    session.clear()
    return redirect(url_for("login_local_next"))  # safe: CWE-601


def django_login_done_checked(request):
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)  # safe: CWE-601


def django_switch_language_checked(request):
    target = request.POST.get("redirect_to", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return django_redirect(target)  # safe: CWE-601


@api.get("/go")
def go_named(page: str):
    if page not in PAGES:
        raise HTTPException(status_code=404)
    return RedirectResponse(url=PAGES[page])  # safe: CWE-601


@app.route("/out")
def outbound_partner():
    destination = request.values["dest"]
    if urlparse(destination).hostname not in PARTNER_HOSTS:
        return "unknown destination", 400
    return redirect(f"{destination}?utm_source=app", code=302)  # safe: CWE-601


def build_tenant_return_url(tenant):
    return TENANTS.get(tenant, TENANTS["acme"]) + "/dashboard"


@app.route("/sso/callback")
def sso_callback_tenant():
    return redirect(build_tenant_return_url(request.cookies.get("tenant", "acme")))  # safe: CWE-601


@app.route("/continue")
def continue_home():
    targets = {"home": "/", "next": request.args.get("next", "/")}
    return redirect(targets["home"])  # safe: CWE-601


@app.route("/checkout/done")
def checkout_done_local():
    state = request.get_json(silent=True) or {}
    parts = [url_for("continue_home"), "thanks"]
    return redirect("".join(parts) if state else "/")  # safe: CWE-601


@app.route("/portal")
def portal_home():
    target = "/home"
    if 1 == 2:
        target = request.args["target"]
    return redirect(target)  # safe: CWE-601


def django_referer_checked(request):
    back = request.META.get("HTTP_REFERER", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return HttpResponseRedirect(back)  # safe: CWE-601


@app.route("/ask-and-go", methods=["POST"])
def assistant_navigate_named():
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Answer dashboard, settings or billing: " + request.form["question"]}])
    return redirect(PAGES.get(reply.choices[0].message.content.strip(), "/"))  # safe: CWE-601


@app.route("/campaign/<campaign_id>")
def campaign_link_checked(campaign_id):
    campaign = requests.get(f"https://crm.example.com/api/campaigns/{campaign_id}", timeout=5).json()
    landing = campaign["landing_url"]
    return redirect(landing if urlparse(landing).hostname in PARTNER_HOSTS else "/")  # safe: CWE-601
