"""Tainted URLs reaching HTTP clients through helpers, containers and other sources (CWE-918)."""

import json
import socket

import httpx
import requests
from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()


def download(url):
    return requests.get(url, timeout=10).content  # vuln: CWE-918


@app.route("/mirror", methods=["POST"])
def mirror_file():
    return download(request.form["source"])


def service_url(host, path):
    return "https://%s/%s" % (host, path)


@app.route("/relay")
def relay():
    resp = httpx.get(service_url(request.args["host"], "v1/items"), timeout=5)  # vuln: CWE-918
    return resp.json()


@app.route("/multi-fetch", methods=["POST"])
def multi_fetch():
    urls = []
    for item in request.json["sources"]:
        urls.append(item["url"])
    return {"sizes": [len(requests.get(u, timeout=5).content) for u in urls]}  # vuln: CWE-918


@app.route("/regional")
def regional_price():
    endpoints = {"eu": "https://eu.prices.example.com", "custom": request.args.get("endpoint", "")}
    return requests.get(endpoints["custom"] + "/price", timeout=5).json()  # vuln: CWE-918


def browse_tool(question: str) -> str:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": f"Give the one URL to read to answer: {question}"}])
    url = reply.choices[0].message.content.strip()
    return requests.get(url, timeout=10).text[:4000]  # vuln: CWE-918


def follow_next_link(api_url):
    page = requests.get(api_url, timeout=10).json()
    return requests.get(page["next"], timeout=10).json()  # vuln: CWE-918


def warm_cache_from_file(path):
    with open(path, encoding="utf-8") as handle:
        targets = json.load(handle)
    for target in targets:
        httpx.post(target["callback"], json={"warm": True}, timeout=5)  # vuln: CWE-918


def url_fetch_daemon(port=7300):
    srv = socket.socket()
    srv.bind(("127.0.0.1", port))
    srv.listen()
    conn, _ = srv.accept()
    url = conn.recv(2048).decode().strip()
    conn.sendall(requests.get(url, timeout=5).content)  # vuln: CWE-918


@app.route("/image")
def image_proxy():
    source = "https://cdn.example.com/placeholder.png"
    if request.args.get("src"):
        source = request.args["src"]
    return requests.get(source, timeout=5).content  # vuln: CWE-918


@app.route("/oembed")
def oembed_lookup():
    provider = request.cookies.get("oembed_provider", "https://noembed.com")
    return requests.get("{}/embed?url={}".format(provider, request.args["url"]), timeout=5).json()  # vuln: CWE-918
