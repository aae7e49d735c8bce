"""Client for the orders API."""

import logging
import os

import requests

logger = logging.getLogger(__name__)
BASE = "https://orders.internal/api"
EXPORT_DIR = "/srv/exports"


def get_order(order_id, token):
    response = requests.get(f"{BASE}/orders/{order_id}", headers={"Authorization": token}, timeout=10)
    return response.json()["order"]  # label: AI202


def get_order_checked(order_id, token):
    response = requests.get(f"{BASE}/orders/{order_id}", headers={"Authorization": token}, timeout=10)
    response.raise_for_status()
    return response.json()["order"]


def login(user, token):
    logger.info("login %s with token %s", user, token)  # label: AI102
    return requests.post(f"{BASE}/login", json={"user": user}, timeout=10).ok


def login_quietly(user, token):
    logger.info("login %s", user)
    return requests.post(f"{BASE}/login", json={"user": user, "token": token}, timeout=10).ok


def read_export(name):
    with open(os.path.join(EXPORT_DIR, name), encoding="utf-8") as handle:  # label: AI101
        return handle.read()


def read_export_safely(name):
    path = os.path.realpath(os.path.join(EXPORT_DIR, name))
    if not path.startswith(EXPORT_DIR + os.sep):
        raise ValueError(f"{name!r} is outside the export directory")
    with open(path, encoding="utf-8") as handle:
        return handle.read()
