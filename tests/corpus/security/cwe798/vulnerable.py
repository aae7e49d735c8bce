"""Hardcoded credentials: API keys, passwords, tokens, connection strings (CWE-798).

All values below are fake, but shaped like real credentials.
"""
import smtplib

import jwt
import openai
import paramiko
import requests
from flask import Flask
from ldap3 import Connection, Server
from sqlalchemy import create_engine

app = Flask(__name__)
app.config["SECRET_KEY"] = "f3c9a1e7b2d84c6fa0e5d9b7c1a3e8f2"  # vuln: CWE-798

AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # vuln: CWE-798


def make_llm_client():
    return openai.OpenAI(api_key="sk-4f9a2c7e1b8d6a0f3e5c9b2d7a1f8e6c4b2a9d0e")  # vuln: CWE-798


def get_engine():
    return create_engine("postgresql://app_admin:Pr0d-S3cret!@db.internal:5432/orders")  # vuln: CWE-798


def deploy(host):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(host, username="deploy", password="hunter2-deploy")  # vuln: CWE-798
    return client.exec_command("systemctl restart app")


def list_repos(org):
    headers = {"Authorization": "Bearer 7d2f9c4e1a8b3f6d0c5e9a2b7f1d4c8e6a3b0f9d"}  # vuln: CWE-798
    return requests.get(f"https://git.example.com/api/orgs/{org}/repos", headers=headers, timeout=10).json()


def issue_session_token(user_id):
    return jwt.encode({"sub": user_id}, "my-jwt-secret-2024-prod", algorithm="HS256")  # vuln: CWE-798


def send_alert(body):
    with smtplib.SMTP_SSL("smtp.example.com", 465) as smtp:
        smtp.login("alerts@example.com", "Tr0ub4dor&3-alerts")  # vuln: CWE-798
        smtp.sendmail("alerts@example.com", ["oncall@example.com"], body)


def tool_get_weather(args: dict) -> dict:
    """LLM tool: current weather for a city."""
    api_key = "3b1f0c9e7a5d2b8f4e6c1a9d7b3f5e2c"  # vuln: CWE-798
    return requests.get("https://api.weather.example.com/v1/current", params={"q": args["city"], "key": api_key}, timeout=10).json()


def ldap_bind():
    server = Server("ldaps://ldap.corp.example.com")
    return Connection(server, user="cn=admin,dc=corp,dc=example,dc=com", password="ldapAdm1n!2023", auto_bind=True)  # vuln: CWE-798


class PaymentsClient:
    API_TOKEN = "pay_live_9c2e7f1a4b8d3e6f0a5c9b2d7e1f4a8c"  # vuln: CWE-798

    def charge(self, amount_cents):
        return requests.post("https://payments.example.com/charge", json={"amount": amount_cents}, headers={"X-Api-Token": self.API_TOKEN}, timeout=10)


# %% notebook cell: connect to the warehouse
DB_PASSWORD = "W4rehouse#2024"  # vuln: CWE-798
