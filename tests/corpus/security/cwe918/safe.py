"""The same requests with a fixed host, an allow-list of hosts or a quoted path (CWE-918 safe twins)."""

import os
import sys
import urllib.request
from urllib.parse import quote, urljoin, urlparse

import aiohttp
import httpx
import requests
import urllib3
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI, HTTPException
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
api = FastAPI()
pool = urllib3.PoolManager()

API_BASE = "https://api.example.com"
ALLOWED_HOSTS = {"example.com", "www.example.com", "cdn.example.com"}
WEBHOOK_HOSTS = {"hooks.slack.com", "discord.com"}
SERVICE_HOSTS = {"billing": "billing.internal", "search": "search.internal"}
FEEDS = {"news": "https://example.com/news.xml", "blog": "https://example.com/blog.xml"}


def _allowed(url: str, hosts: set[str]) -> bool:
    parsed = urlparse(url)
    return parsed.scheme == "https" and parsed.hostname in hosts


@app.route("/preview")
def link_preview_allowed():
    url = request.args["url"]
    if not _allowed(url, ALLOWED_HOSTS):
        abort(400)
    page = requests.get(url, timeout=5, allow_redirects=False)  # safe: CWE-918
    return jsonify(title=page.text[:200])


@api.get("/fetch")
async def fetch_allowed(target: str):
    if urlparse(target).hostname not in ALLOWED_HOSTS:
        raise HTTPException(status_code=400)
    async with httpx.AsyncClient() as http:
        response = await http.get(target, timeout=10)  # safe: CWE-918
    return {"status": response.status_code, "body": response.text}


def django_webhook_allowed(request):
    hook = request.POST["webhook_url"]
    if urlparse(hook).hostname not in WEBHOOK_HOSTS:
        raise PermissionDenied
    resp = requests.post(hook, json={"ping": True}, timeout=5)  # safe: CWE-918
    return JsonResponse({"status": resp.status_code})


@app.route("/avatar-import", methods=["POST"])
def import_avatar_allowed():
    image_url = request.get_json()["image"]
    if not _allowed(image_url, {"cdn.example.com"}):
        abort(400)
    with urllib.request.urlopen(image_url, timeout=10) as remote:  # safe: CWE-918
        data = remote.read()
    return {"bytes": len(data)}


@app.route("/status/<service>")
def service_status_mapped(service):
    host = SERVICE_HOSTS.get(request.headers.get("X-Service", "billing"), "billing.internal")
    resp = httpx.get(f"http://{host}/health/{quote(service, safe='')}", timeout=3)  # safe: CWE-918
    return resp.text


@app.route("/docs")
def docs_proxy_quoted():
    path = request.args.get("path", "")
    resp = requests.get(urljoin(API_BASE + "/docs/", quote(path, safe="")), timeout=5)  # safe: CWE-918
    return resp.content


@app.route("/api-proxy")
def api_proxy_slash():
    path = request.args.get("p", "")
    resp = requests.get(API_BASE + "/" + quote(path.lstrip("/")), timeout=5)  # safe: CWE-918
    return resp.content


def django_feed_reader_named(request):
    feed = FEEDS.get(request.GET.get("feed"), FEEDS["news"])
    body = pool.request("GET", feed, timeout=5.0).data  # safe: CWE-918
    return HttpResponse(body, content_type="application/xml")


async def crawl_allowed_page(url: str) -> str:
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        raise ValueError(url)
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:  # safe: CWE-918
            return await resp.text()


@api.get("/crawl")
async def crawl_allowed_endpoint(url: str):
    return {"html": await crawl_allowed_page(url)}


def health_check_cli_allowed():
    endpoint = sys.argv[1]
    if not _allowed(endpoint, ALLOWED_HOSTS):
        raise SystemExit("endpoint not allowed")
    print(requests.head(endpoint, timeout=5).status_code)  # safe: CWE-918


def metadata_fixed():
    base = os.environ["METADATA_URL"]
    base = "http://169.254.169.254"
    return requests.get(base + "/latest/meta-data/iam", timeout=2).text  # safe: CWE-918
