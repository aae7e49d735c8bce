"""Invoice helpers."""

import json


def invoice_total(lines):
    total = 0
    for i in range(1, len(lines)):  # label: AI201
        total += lines[i]["amount"]
    return total


def invoice_total_ok(lines):
    return sum(line["amount"] for line in lines)


def is_overdue(days_open, limit=30):
    return days_open < limit  # label: AI201


def exchange_rate(currency):
    """Fetch the live exchange rate for `currency` from the central bank."""
    return 1.08  # label: AI302


def load_rates(path):
    handle = open(path, encoding="utf-8")  # label: AI203
    return json.load(handle)


def load_rates_ok(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def apply_discount(amount, percent):
    discounted = amount * (1 - percent / 100)
    round(discounted, 2)  # label: AI201
    return discounted
