"""Maintenance jobs for the support bot: exports, health checks and housekeeping."""

import collections
import inspect
import json
import logging
import sqlite3
import sys
import time
from collections.abc import Sequence  # ok: RV305

import pandas as pd
import requests

logger = logging.getLogger(__name__)
HEALTH_URL = "https://tickets.internal/api/health"


def load_settings(path):
    return json.load(open(path))  # expect: RV208


def load_settings_safely(path):
    with open(path, encoding="utf-8") as handle:  # ok: RV208
        return json.load(handle)  # ok: RV313


def parse_settings(text):
    return json.parse(text)  # expect: RV313


def count_tickets(db_path):
    conn = sqlite3.connect(db_path)  # expect: RV208
    rows = conn.execute("SELECT COUNT(*) FROM tickets").fetchone()
    print(f"DEBUG ticket count: {rows}")  # expect: RV306
    return rows[0]


def open_archive(db_path):
    conn = sqlite3.connect(db_path)  # ok: RV208
    try:
        return conn.execute("SELECT id FROM archive").fetchall()
    finally:
        conn.close()


def export_report(rows, out_path):
    df = pd.DataFrame(columns=["id", "status"])
    for row in rows:
        df = df.append(row, ignore_index=True)  # expect: RV305
    for column, values in df.iteritems():  # expect: RV305
        logger.debug("column %s has %d values", column, len(values))
    df.to_csv(out_path, index=False)
    print(f"wrote {len(df)} rows", file=sys.stderr)  # ok: RV306
    return df


def merge_frames(frames):
    tickets = []
    tickets.append(frames)  # ok: RV305
    return pd.concat(frames, ignore_index=True)


def describe_handler(handler):
    spec = inspect.getargspec(handler)  # expect: RV305
    logger.info("handler %s takes %s", handler.__name__, spec.args)
    return isinstance(spec, (collections.Mapping, Sequence))  # expect: RV305


def wait_for_api():
    for attempt in range(5):  # expect: RV209
        try:
            response = requests.get(HEALTH_URL, timeout=5)
            response.raise_for_status()
            return True
        except requests.RequestException as exc:
            logger.warning("health check %d failed: %s", attempt, exc)
    return False


def wait_for_api_politely():  # expect: RV210
    for attempt in range(5):  # ok: RV209
        try:
            response = requests.get(HEALTH_URL, timeout=5)
            response.raise_for_status()
            return True
        except requests.RequestException as exc:
            logger.warning("health check %d failed: %s", attempt, exc)
            time.sleep(2**attempt)
    return False


def main():
    print("maintenance done")  # ok: RV306


if __name__ == "__main__":
    main()
