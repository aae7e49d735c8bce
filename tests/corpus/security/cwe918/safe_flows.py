"""Helpers, containers and other sources with allow-listed or constant URLs (CWE-918 safe twins)."""

import json
import socket
from urllib.parse import urlparse

import httpx
import requests
from flask import Flask, abort, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()

MIRROR_HOSTS = {"downloads.example.com", "files.example.com"}
SERVICE_HOSTS = {"items": "items.internal.example.com", "users": "users.internal.example.com"}
KNOWN_PAGES = {"pricing": "https://example.com/pricing", "docs": "https://example.com/docs"}


def download_allowed(url):
    if urlparse(url).hostname not in MIRROR_HOSTS:
        raise ValueError(url)
    return requests.get(url, timeout=10).content  # safe: CWE-918


@app.route("/mirror", methods=["POST"])
def mirror_allowed_file():
    return download_allowed(request.form["source"])


def internal_service_url(name, path):
    return "https://%s/%s" % (SERVICE_HOSTS[name], path)


@app.route("/relay")
def relay_internal():
    if request.args["service"] not in SERVICE_HOSTS:
        abort(404)
    resp = httpx.get(internal_service_url(request.args["service"], "v1/items"), timeout=5)  # safe: CWE-918
    return resp.json()


@app.route("/multi-fetch", methods=["POST"])
def multi_fetch_allowed():
    urls = []
    for item in request.json["sources"]:
        if urlparse(item["url"]).hostname in MIRROR_HOSTS:
            urls.append(item["url"])
    return {"sizes": [len(requests.get(u, timeout=5).content) for u in urls]}  # safe: CWE-918


@app.route("/regional")
def regional_default_price():
    endpoints = {"eu": "https://eu.prices.example.com", "custom": request.args.get("endpoint", "")}
    return requests.get(endpoints["eu"] + "/price", timeout=5).json()  # safe: CWE-918


def browse_known_pages_tool(question: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Answer pricing or docs: which page answers {question}?"}])
    page = reply.choices[0].message.content.strip()
    if page not in KNOWN_PAGES:
        return "unknown page"
    return requests.get(KNOWN_PAGES[page], timeout=10).text[:4000]  # safe: CWE-918


def follow_next_page(api_url):
    page = requests.get(api_url, timeout=10).json()
    return requests.get(api_url, params={"cursor": page["cursor"]}, timeout=10).json()  # safe: CWE-918


def warm_cache_allowed(path):
    with open(path, encoding="utf-8") as handle:
        targets = json.load(handle)
    for target in targets:
        if urlparse(target["callback"]).hostname in MIRROR_HOSTS:
            httpx.post(target["callback"], json={"warm": True}, timeout=5)  # safe: CWE-918


def page_fetch_daemon(port=7300):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    name = conn.recv(2048).decode().strip()
    conn.sendall(requests.get(KNOWN_PAGES.get(name, KNOWN_PAGES["docs"]), timeout=5).content)  # safe: CWE-918


@app.route("/image")
def placeholder_image():
    source = "https://cdn.example.com/placeholder.png"
    if 1 == 2:
        source = request.args["src"]
    return requests.get(source, timeout=5).content  # safe: CWE-918


@app.route("/oembed")
def oembed_fixed_provider():
    provider = request.cookies.get("oembed_provider", "https://noembed.com")
    provider = "https://noembed.com"
    return requests.get("{}/embed".format(provider), params={"url": request.args["url"]}, timeout=5).json()  # safe: CWE-918
