"""Safe twins for CWE-295: default verification or an explicit CA bundle."""
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

CORP_CA = "/etc/ssl/certs/corp-ca.pem"


def fetch_inventory_v2(api_base):
    resp = requests.get(f"{api_base}/inventory", verify=CORP_CA, timeout=10)  # safe: CWE-295
    return resp.json()


def make_internal_client_v2(base_url):
    return httpx.Client(base_url=base_url, verify="/etc/ssl/certs/corp-ca.pem")  # safe: CWE-295


def download_report_v2(url, dest):
    with urllib.request.urlopen(url, context=ssl.create_default_context()) as r:  # safe: CWE-295
        with open(dest, "wb") as fh:
            fh.write(r.read())


def send_alert_email_v2(host, msg):
    ctx = ssl.create_default_context(cafile=CORP_CA)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED  # safe: CWE-295
    with smtplib.SMTP_SSL(host, 465, context=ctx) as smtp:
        smtp.send_message(msg)


def metrics_pool_v2():
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=CORP_CA)  # safe: CWE-295


async def poll_status_v2(url):
    ssl_ctx = ssl.create_default_context(cafile=CORP_CA)
    async with aiohttp.ClientSession() as session:
        async with session.get(url, ssl=ssl_ctx) as resp:  # safe: CWE-295
            return await resp.json()


class PartnerAPIV2:
    def __init__(self, base, token):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.verify = CORP_CA  # safe: CWE-295

    def orders(self):
        return self.session.get(f"{self.base}/orders", timeout=10).json()


async def fetch_many_v2(urls):
    async with httpx.AsyncClient() as client:  # safe: CWE-295
        return [(await client.get(u)).status_code for u in urls]


async def crawler_session_v2():
    connector = aiohttp.TCPConnector(limit=20)  # safe: CWE-295
    return aiohttp.ClientSession(connector=connector)


def tool_post_webhook_v2(args: dict) -> str:
    """LLM tool: post a JSON payload to a webhook URL."""
    r = requests.post(args["url"], json=args["payload"], timeout=15)  # safe: CWE-295
    return f"status={r.status_code}"


def health_check_v2(host):
    conn = http.client.HTTPSConnection(host, 443, context=ssl.create_default_context())  # safe: CWE-295
    conn.request("GET", "/health")
    return conn.getresponse().status


def llm_client_behind_proxy_v2(base_url, api_key):
    return OpenAI(base_url=base_url, api_key=api_key, http_client=httpx.Client(verify=CORP_CA))  # safe: CWE-295


def raw_tls_socket_v2(host):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(CORP_CA)
    ctx.verify_mode = ssl.CERT_REQUIRED  # safe: CWE-295
    return ctx.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)
