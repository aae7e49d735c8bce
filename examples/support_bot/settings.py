"""Settings for the support bot."""

import os

import yaml

OPENAI_API_KEY = "sk-proj-4fQ9xL7mZ2tK8pW1vN6yR3bH5cJ0dG"  # expect: RV101
TICKETS_API_TOKEN = "your-api-key-here"  # expect: RV302
DATABASE_URL = "postgresql://support:Wint3rIsC0ming@db.internal:5432/support"  # expect: RV101
SLACK_TOKEN = os.environ.get("SLACK_TOKEN", "")  # ok: RV101, RV302


def load_settings(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle)  # expect: RV102


def load_settings_safely(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)  # ok: RV102
