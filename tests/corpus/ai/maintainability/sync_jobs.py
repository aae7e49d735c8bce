"""Nightly sync jobs between the CRM API and the warehouse."""

import csv
import logging
import time
from pathlib import Path

import requests

logger = logging.getLogger(__name__)
API = "https://crm.internal/api"


def sync_customers(session, since):
    page = 1
    records = []
    while True:
        response = session.get(f"{API}/customers", params={"since": since, "page": page}, timeout=30)
        response.raise_for_status()
        batch = response.json()["items"]
        if not batch:
            break
        records.extend(batch)
        page += 1
    logger.info("synced %d customers", len(records))
    return records


def sync_orders(session, since):  # expect: RV210
    page = 1
    records = []
    while True:
        response = session.get(f"{API}/orders", params={"since": since, "page": page}, timeout=30)
        response.raise_for_status()
        batch = response.json()["items"]
        if not batch:
            break
        records.extend(batch)
        page += 1
    logger.info("synced %d orders", len(records))
    return records


def sync_invoices(session, since):  # expect: RV210
    page = 1
    records = []
    while True:
        response = session.get(f"{API}/invoices", params={"since": since, "page": page}, timeout=30)
        response.raise_for_status()
        batch = response.json()["items"]
        if not batch:
            break
        records.extend(batch)
        page += 1
    logger.info("synced %d invoices", len(records))
    return records


def fetch_all(session, resource, since):  # ok: RV210
    records, page = [], 1
    while batch := session.get(f"{API}/{resource}", params={"since": since, "page": page},
                               timeout=30).json()["items"]:
        records.extend(batch)
        page += 1
    return records


def export_contacts(rows, folder):  # expect: RV210
    path = Path(folder) / "contacts.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "name", "email", "phone"])
        writer.writeheader()
        for row in rows:
            if row.get("deleted"):
                continue
            writer.writerow({key: row.get(key, "") for key in writer.fieldnames})
            written += 1
    logger.info("exported %d contacts to %s", written, path)
    return path


def push_events(events, url, token):
    for attempt in range(3):
        try:
            response = requests.post(url, json=events, headers={"Authorization": token}, timeout=10)
            response.raise_for_status()
            return response.json()
        except requests.RequestException as exc:
            logger.warning("push failed (attempt %d): %s", attempt, exc)
            time.sleep(2**attempt)
    raise RuntimeError("could not push events")


def push_metrics(metrics, url, token):  # ok: RV210
    for attempt in range(3):
        try:
            requests.put(url, json=metrics, headers={"Authorization": token}, timeout=10)
            return True
        except requests.RequestException:
            time.sleep(attempt)
    return False


def column_defaults(table):  # ok: RV210
    table.id = None
    table.name = ""
    table.email = ""
    table.phone = ""
    table.created = None
    table.updated = None
    table.source = "crm"
    table.region = "eu"
    table.owner = None
    return table
