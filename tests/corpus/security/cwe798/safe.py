"""Safe twins for CWE-798: secrets from the environment / config, plus non-secret look-alikes."""
import getpass
import os
import smtplib

import jwt
import openai
import paramiko
import requests
from flask import Flask
from ldap3 import Connection, Server
from sqlalchemy import create_engine

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]  # safe: CWE-798

AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "")
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")  # safe: CWE-798


def make_llm_client_v2():
    return openai.OpenAI(api_key=os.environ["OPENAI_API_KEY"])  # safe: CWE-798


def get_engine_v2():
    return create_engine(os.environ["DATABASE_URL"])  # safe: CWE-798


def deploy_v2(host):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username="deploy", key_filename=os.path.expanduser("~/.ssh/deploy_ed25519"))  # safe: CWE-798
    return client.exec_command("systemctl restart app")


def list_repos_v2(org):
    headers = {"Authorization": f"Bearer {os.environ['GIT_API_TOKEN']}"}  # safe: CWE-798
    return requests.get(f"https://git.example.com/api/orgs/{org}/repos", headers=headers, timeout=10).json()


def issue_session_token_v2(user_id):
    return jwt.encode({"sub": user_id}, os.environ["JWT_SECRET"], algorithm="HS256")  # safe: CWE-798


def send_alert_v2(body):
    with smtplib.SMTP_SSL("smtp.example.com", 465) as smtp:
        smtp.login("alerts@example.com", os.environ["SMTP_PASSWORD"])  # safe: CWE-798
        smtp.sendmail("alerts@example.com", ["oncall@example.com"], body)


def tool_get_weather_v2(args: dict) -> dict:
    """LLM tool: current weather for a city."""
    api_key = os.getenv("WEATHER_API_KEY", "")  # safe: CWE-798
    return requests.get("https://api.weather.example.com/v1/current", params={"q": args["city"], "key": api_key}, timeout=10).json()


def ldap_bind_v2():
    server = Server("ldaps://ldap.corp.example.com")
    return Connection(server, user=os.environ["LDAP_BIND_DN"], password=os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)  # safe: CWE-798


class PaymentsClientV2:
    API_TOKEN_ENV = "PAYMENTS_API_TOKEN"  # safe: CWE-798

    def charge(self, amount_cents):
        return requests.post("https://payments.example.com/charge", json={"amount": amount_cents}, headers={"X-Api-Token": os.environ[self.API_TOKEN_ENV]}, timeout=10)


# %% notebook cell: connect to the warehouse
DB_PASSWORD = getpass.getpass("Warehouse password: ")  # safe: CWE-798


# Non-secret look-alikes: labels, header names, field names, empty defaults.
PASSWORD_FIELD = "password"  # safe: CWE-798
TOKEN_HEADER = "Authorization"  # safe: CWE-798
OPENAI_KEY_ENV_VAR = "OPENAI_API_KEY"  # safe: CWE-798


def login_form_schema():
    return {"username_field": "email", "password_field": "password", "password_placeholder": "Enter your password"}  # safe: CWE-798


def local_redis_url(password: str = "") -> str:
    return f"redis://:{password}@localhost:6379/0" if password else "redis://localhost:6379/0"  # safe: CWE-798
