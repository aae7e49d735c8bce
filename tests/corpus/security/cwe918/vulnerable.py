"""Server-side requests to URLs or hosts chosen by the caller (CWE-918)."""

import os
import sys
import urllib.request
from urllib.parse import urljoin

import aiohttp
import httpx
import requests
import urllib3
from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI
from flask import Flask, jsonify, request

app = Flask(__name__)
api = FastAPI()
pool = urllib3.PoolManager()

API_BASE = "https://api.example.com"


@app.route("/preview")
def link_preview():
    url = request.args["url"]
    page = requests.get(url, timeout=5)  # vuln: CWE-918
    return jsonify(title=page.text[:200])


@api.get("/fetch")
async def fetch_proxy(target: str):
    async with httpx.AsyncClient() as http:
        response = await http.get(target, timeout=10)  # vuln: CWE-918
    return {"status": response.status_code, "body": response.text}


def django_webhook_test(request):
    hook = request.POST["webhook_url"]
    resp = requests.post(hook, json={"ping": True}, timeout=5)  # vuln: CWE-918
    return JsonResponse({"status": resp.status_code})


@app.route("/avatar-import", methods=["POST"])
def import_avatar():
    image_url = request.get_json()["image"]
    with urllib.request.urlopen(image_url, timeout=10) as remote:  # vuln: CWE-918
        data = remote.read()
    return {"bytes": len(data)}


@app.route("/status/<service>")
def service_status(service):
    host = request.headers.get("X-Service-Host", "status.internal")
    resp = httpx.get(f"http://{host}/health/{service}", timeout=3)  # vuln: CWE-918
    return resp.text


@app.route("/docs")
def docs_proxy():
    path = request.args.get("path", "/")
    resp = requests.get(urljoin(API_BASE, path), timeout=5)  # vuln: CWE-918
    return resp.content


@app.route("/api-proxy")
def api_proxy():
    path = request.args.get("p", "")
    resp = requests.get(API_BASE + path, timeout=5)  # vuln: CWE-918
    return resp.content


def django_feed_reader(request):
    feed = request.GET.get("feed")
    body = pool.request("GET", feed, timeout=5.0).data  # vuln: CWE-918
    return HttpResponse(body, content_type="application/xml")


async def crawl_page(url: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:  # vuln: CWE-918
            return await resp.text()


@api.get("/crawl")
async def crawl_endpoint(url: str):
    return {"html": await crawl_page(url)}


def health_check_cli():
    endpoint = sys.argv[1]
    print(requests.head(endpoint, timeout=5).status_code)  # vuln: CWE-918


def metadata_from_env():
    base = os.environ["METADATA_URL"]
    return requests.get(base + "/latest/meta-data/iam", timeout=2).text  # vuln: CWE-918
