"""Storage and export helpers, as an assistant might draft them from memory."""

import base64
import csv
import json
import os
import shutil
import statistics
import subprocess
import tempfile
from collections import OrderedDefaultDict  # expect: RV313
from collections import OrderedDict, defaultdict  # ok: RV313

import requests
import yaml
from requests.exceptions import TimeoutError  # expect: RV313
from requests.exceptions import Timeout  # ok: RV313


def load_settings(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load_safe(handle)  # expect: RV313


def load_settings_checked(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)  # ok: RV313


def parse_event(text):
    return json.parse(text)  # expect: RV313


def parse_event_checked(text):
    try:
        return json.loads(text)  # ok: RV313
    except json.JSONDecodeError:  # ok: RV313
        return None


def export_path(folder, name):
    return os.path.joinpath(folder, name)  # expect: RV313


def export_path_checked(folder, name):
    return os.path.join(folder, name)  # ok: RV313


def backup(source, target):
    shutil.copy_tree(source, target)  # expect: RV313
    scratch = tempfile.make_temp_dir()  # expect: RV313
    return scratch


def backup_checked(source, target):
    shutil.copytree(source, target, dirs_exist_ok=True)  # ok: RV313
    return tempfile.mkdtemp()  # ok: RV313


def fetch_profile(url):
    return requests.get_json(url, timeout=10)  # expect: RV313


def fetch_profile_checked(url):
    response = requests.get(url, timeout=10)  # ok: RV313
    response.raise_for_status()
    return response.json()


def encode_blob(data):
    return base64.encode_base64(data)  # expect: RV313


def encode_blob_checked(data):
    return base64.b64encode(data).decode("ascii")  # ok: RV313


def read_rows(path):
    return csv.read_csv(path)  # expect: RV313


def average_latency(samples):
    return statistics.avg(samples)  # expect: RV313


def average_latency_checked(samples):
    return statistics.mean(samples)  # ok: RV313


def run_backup_script(path):
    return subprocess.run_command(["sh", path])  # expect: RV313


def group_by_key(rows, json=None):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["key"]].append(row)
    ordered = OrderedDict(sorted(grouped.items()))
    return json.parse(ordered) if json else ordered  # ok: RV313


def cores_available():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))  # ok: RV313
    return os.cpu_count()
