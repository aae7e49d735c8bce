"""Ticket API client and helpers used by the support bot."""

import ast
import hashlib
import logging
import subprocess

import requests
from openai_ticket_tools import build_prompt  # expect: RV303

logger = logging.getLogger(__name__)
API = "https://tickets.internal/api"


def fetch_ticket(ticket_id):
    response = requests.get(f"{API}/tickets/{ticket_id}")  # expect: RV105
    return response.json()


def fetch_ticket_checked(ticket_id):
    response = requests.get(f"{API}/tickets/{ticket_id}", timeout=10)  # ok: RV105
    response.raise_for_status()
    return response.json()


ESCALATION_WEBHOOK_URL = "https://hooks.example.com/services/support-bot"  # expect: RV314
STATUS_PAGE = "https://status.example.com"  # ok: RV314


def archive_logs(folder):
    subprocess.run(f"tar czf logs.tgz {folder}", shell=True, check=True)  # expect: RV103


def disk_usage():
    return subprocess.run("df -h", shell=True, capture_output=True, check=False)  # expect: RV135; ok: RV103 (a constant command: no injection)


def evaluate_rule(expression, ticket):
    return eval(expression, {"ticket": ticket})  # expect: RV104


def parse_tags(text):
    return ast.literal_eval(text)  # ok: RV104


def escalate(ticket_id):
    payload = {"text": f"Ticket {ticket_id} needs a human"}
    return requests.post(ESCALATION_WEBHOOK_URL, json=payload, timeout=5)


def sign_callback(body, secret):
    return hashlib.md5((secret + body).encode()).hexdigest()  # expect: RV133


def cache_key(body):
    return hashlib.md5(body.encode()).hexdigest()  # ok: RV133, B324 (superseded: a cache key is not a security use)


def answer(question, history=[]):  # expect: RV201
    history.append(question)
    return build_prompt(history)


def answer_fresh(question, history=None):  # ok: RV201
    history = [*(history or []), question]
    return build_prompt(history)


def summarize_ticket(ticket):  # expect: RV301
    """Summarize a ticket for the on-call engineer."""
    # TODO: implement summarization with the LLM
    pass


def notify(channel_url, text):
    try:
        requests.post(channel_url, json={"text": text}, timeout=5)
    except Exception:  # expect: RV202
        pass


def notify_logged(channel_url, text):
    try:
        requests.post(channel_url, json={"text": text}, timeout=5)
    except Exception:  # ok: RV202
        logger.exception("could not notify %s", channel_url)
