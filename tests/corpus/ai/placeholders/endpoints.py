"""Integration settings and API calls for the notifications service, as an assistant drafted them."""

import argparse
import os
import urllib.request

import requests
from openai import OpenAI

API_BASE_URL = "https://api.example.com/v1"  # expect: RV314
WEBHOOK_URL = "https://hooks.your-domain.com/notify"  # expect: RV314
AUTH_ENDPOINT = "https://your-auth-server/oauth/token"  # expect: RV314
METRICS_URL = os.getenv("METRICS_URL", "https://metrics.example.org/ingest")  # expect: RV314

SERVICE_URL = os.environ["SERVICE_URL"]  # ok: RV314
LOCAL_URL = "http://localhost:8080/api"  # ok: RV314
SUPPORT_EMAIL = "support@example.com"  # ok: RV314
EXAMPLE_URL = "https://example.com/docs"  # ok: RV314
GITHUB_API = "https://api.github.com"  # ok: RV314

DEFAULTS = {
    "endpoint": "https://api.yourcompany.com/events",  # expect: RV314
    "timeout": 10,
}


def llm_client():
    return OpenAI(base_url="https://<your-resource>.openai.azure.com/openai/v1/")  # expect: RV314


def send_event(event):
    return requests.post("https://events.example.com/collect", json=event, timeout=10)  # expect: RV314


def fetch_user(session, user_id):
    return session.get(f"https://api.example.net/users/{user_id}", timeout=10)  # expect: RV314


def download_report(report_id):
    url = "https://reports.example.com/" + report_id  # expect: RV314
    return urllib.request.urlopen(url, timeout=10)


def fetch_status(session):
    return session.get(f"{SERVICE_URL}/status", timeout=10)  # ok: RV314


def cli():
    parser = argparse.ArgumentParser(description="Send events to https://api.example.com")
    parser.add_argument("--url", help="endpoint, e.g. https://api.example.com/v1")  # ok: RV314
    return parser.parse_args()


def describe():
    """Posts to https://api.example.com/v1/events when configured."""  # ok: RV314
    return {"docs": "https://example.com/docs/events"}  # ok: RV314
