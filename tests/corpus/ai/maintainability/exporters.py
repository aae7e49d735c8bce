"""CSV exporters for the billing dashboard."""

import csv
import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def export_invoices(rows, folder):
    path = Path(folder) / "invoices.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "customer", "amount", "status"])
        writer.writeheader()
        for row in rows:
            if row.get("deleted"):
                continue
            writer.writerow({key: row.get(key, "") for key in writer.fieldnames})
            written += 1
    logger.info("exported %d invoices to %s", written, path)
    return path


def export_refunds(rows, folder):  # expect: RV210
    path = Path(folder) / "refunds.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "invoice", "amount", "reason"])
        writer.writeheader()
        for row in rows:
            if row.get("deleted"):
                continue
            writer.writerow({key: row.get(key, "") for key in writer.fieldnames})
            written += 1
    logger.info("exported %d refunds to %s", written, path)
    return path


def export_rows(rows, folder, name, fields):  # ok: RV210
    path = Path(folder) / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(row for row in rows if not row.get("deleted"))
    return path


def summarize_invoices(rows):  # ok: RV210
    totals = {}
    for row in rows:
        if row.get("deleted"):
            continue
        customer = row["customer"]
        totals[customer] = totals.get(customer, 0) + row["amount"]
    best = max(totals, key=totals.get) if totals else None
    logger.info("top customer: %s", best)
    return totals


def histogram(values, buckets):  # ok: RV210
    counts = {}
    for value in values:
        if value is None:
            continue
        bucket = min(int(value // buckets), buckets)
        counts[bucket] = counts.get(bucket, 0) + 1
    peak = max(counts, key=counts.get) if counts else None
    print("peak bucket:", peak)
    return counts
