"""Fixture of the configuration pack: `# expect: CODE` lines must be flagged, `# ok: CODE` not."""

import os
import socket
import ssl
import tempfile

import requests
import uvicorn
from flask import Flask, make_response

app = Flask(__name__)
HOST = "0.0.0.0"

requests.get("https://internal.test", verify=False, timeout=5)  # expect: RV120
requests.get("https://internal.test", verify="/etc/ssl/corp.pem", timeout=5)  # ok: RV120
context = ssl.create_default_context()
context.check_hostname = False  # expect: RV120
context.verify_mode = ssl.CERT_NONE  # expect: RV120
context.verify_mode = ssl.CERT_REQUIRED  # ok: RV120


def tls_context(verify: bool = True) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False  # ok: RV120 (the caller asked for it)
        ctx.verify_mode = ssl.CERT_NONE  # ok: RV120
    return ctx

response = make_response("ok")
response.set_cookie("session", "abc", httponly=True)  # expect: RV121
response.set_cookie("session", "abc", secure=True)  # ok: RV121 # expect: RV122
response.set_cookie("session", "abc", secure=True, httponly=True)  # ok: RV121, RV122
response.set_cookie("session", "abc", secure=False, httponly=False)  # expect: RV121, RV122
response.set_cookie(name, value, secure=settings.SESSION_COOKIE_SECURE, httponly=httponly)  # ok: RV121, RV122
response.set_cookie(name, value, **cookie_options)  # ok: RV121, RV122
jar.set_cookie(cookie)  # ok: RV121, RV122
app.config["SESSION_COOKIE_SECURE"] = False  # expect: RV121
SESSION_COOKIE_HTTPONLY = False  # expect: RV122
SESSION_COOKIE_SECURE = True  # ok: RV121

app.run(debug=True)  # expect: RV123
app.run(debug=os.environ.get("FLASK_DEBUG", "0") == "1")  # ok: RV123
app.run(debug=os.getenv("FLASK_DEBUG", "1") == "1")  # expect: RV123
DEBUG = False  # ok: RV123

app.run(host=HOST)  # expect: RV124
uvicorn.run(app, host="127.0.0.1")  # ok: RV124
sock = socket.socket()
sock.bind(("", 8080))  # expect: RV124
sock.bind(("127.0.0.1", 8080))  # ok: RV124

os.chmod("/srv/app/hook.sh", 0o777)  # expect: RV125
os.chmod("/srv/app/hook.sh", 0o755)  # ok: RV125
os.umask(0)  # expect: RV125
current_mask = os.umask(0)  # ok: RV125
os.umask(current_mask)  # ok: RV125
os.makedirs("/srv/cache", mode=0o700, exist_ok=True)  # ok: RV125

name = tempfile.mktemp()  # expect: RV126
handle, path = tempfile.mkstemp(dir="/tmp")  # ok: RV126
with open("/tmp/report.csv", "w", encoding="utf-8") as out:  # expect: RV126
    out.write("x")
