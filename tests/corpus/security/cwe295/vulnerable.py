"""TLS certificate / hostname verification disabled (CWE-295)."""
import http.client
import smtplib
import socket
import ssl
import urllib.request

import aiohttp
import httpx
import requests
import urllib3
from openai import OpenAI


def fetch_inventory(api_base):
    resp = requests.get(f"{api_base}/inventory", verify=False, timeout=10)  # vuln: CWE-295
    return resp.json()


def make_internal_client(base_url):
    return httpx.Client(base_url=base_url, verify=False)  # vuln: CWE-295


def download_report(url, dest):
    with urllib.request.urlopen(url, context=ssl._create_unverified_context()) as r:  # vuln: CWE-295
        with open(dest, "wb") as fh:
            fh.write(r.read())


def send_alert_email(host, msg):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # vuln: CWE-295
    with smtplib.SMTP_SSL(host, 465, context=ctx) as smtp:
        smtp.send_message(msg)


def metrics_pool():
    return urllib3.PoolManager(cert_reqs="CERT_NONE")  # vuln: CWE-295


async def poll_status(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, ssl=False) as resp:  # vuln: CWE-295
            return await resp.json()


class PartnerAPI:
    def __init__(self, base, token):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.verify = False  # vuln: CWE-295

    def orders(self):
        return self.session.get(f"{self.base}/orders", timeout=10).json()


async def fetch_many(urls):
    async with httpx.AsyncClient(verify=False) as client:  # vuln: CWE-295
        return [(await client.get(u)).status_code for u in urls]


async def crawler_session():
    connector = aiohttp.TCPConnector(ssl=False, limit=20)  # vuln: CWE-295
    return aiohttp.ClientSession(connector=connector)


def tool_post_webhook(args: dict) -> str:
    """LLM tool: post a JSON payload to a webhook URL."""
    r = requests.post(args["url"], json=args["payload"], verify=False, timeout=15)  # vuln: CWE-295
    return f"status={r.status_code}"


def legacy_health_check(host):
    conn = http.client.HTTPSConnection(host, 443, context=ssl._create_unverified_context())  # vuln: CWE-295
    conn.request("GET", "/health")
    return conn.getresponse().status


def llm_client_behind_proxy(base_url, api_key):
    return OpenAI(base_url=base_url, api_key=api_key, http_client=httpx.Client(verify=False))  # vuln: CWE-295


def raw_tls_socket(host):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # vuln: CWE-295
    return ctx.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)
