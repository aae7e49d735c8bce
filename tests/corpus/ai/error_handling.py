"""Sync job written by an assistant: fetches orders and stores them."""

import json
import logging
import sqlite3
import time

import httpx
import requests

logger = logging.getLogger(__name__)
API = "https://api.example.com"


def fetch_orders(page):
    response = requests.get(f"{API}/orders", params={"page": page})  # expect: RV105
    return response.json()


def fetch_orders_safely(page):
    response = requests.get(f"{API}/orders", params={"page": page}, timeout=10)  # ok: RV105
    return response.json()


def push_order(order):
    return requests.post(f"{API}/orders", json=order)  # expect: RV105


def push_order_httpx(order):
    return httpx.post(f"{API}/orders", json=order)  # ok: RV105


def parse_order(raw):
    try:
        return json.loads(raw)
    except Exception:  # expect: RV202
        pass


def parse_order_logged(raw):
    try:
        return json.loads(raw)
    except Exception:  # ok: RV202
        logger.exception("bad order payload")
        return None


def parse_amount(raw):
    try:
        return float(raw)
    except:  # expect: RV202
        return 0.0


def parse_amount_specific(raw):
    try:
        return float(raw)
    except ValueError:  # ok: RV202
        return 0.0


def store_all(orders, conn):
    for order in orders:
        try:
            conn.execute("INSERT INTO orders VALUES (?)", (json.dumps(order),))
        except Exception:  # expect: RV202
            continue


def describe_error(raw):
    try:
        return json.loads(raw)
    except Exception as exc:  # ok: RV202
        return {"error": str(exc)}


def load_config(path):
    return json.load(open(path))  # expect: RV208


def load_config_closed(path):
    with open(path, encoding="utf-8") as handle:  # ok: RV208
        return json.load(handle)


def count_orders(db_path):
    conn = sqlite3.connect(db_path)  # expect: RV208
    rows = conn.execute("SELECT COUNT(*) FROM orders").fetchone()
    return rows[0]


def count_orders_closed(db_path):
    conn = sqlite3.connect(db_path)  # ok: RV208
    try:
        return conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    finally:
        conn.close()


def append_log(path, line):
    log = open(path, "a", encoding="utf-8")  # expect: RV208
    log.write(line + "\n")


def fetch_with_retry(url):
    for attempt in range(5):  # expect: RV209
        try:
            return requests.get(url, timeout=10).json()
        except requests.RequestException:
            logger.warning("attempt %d failed", attempt)


def fetch_with_backoff(url):
    for attempt in range(5):  # ok: RV209
        try:
            return requests.get(url, timeout=10).json()
        except requests.RequestException:
            time.sleep(2**attempt)
    raise RuntimeError("giving up")


def poll_status(job_id):
    while True:  # expect: RV209
        try:
            status = requests.get(f"{API}/jobs/{job_id}", timeout=5).json()
            if status["done"]:
                return status
        except requests.RequestException:
            continue
