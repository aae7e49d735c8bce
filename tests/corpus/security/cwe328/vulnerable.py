"""Weak hash (MD5/SHA-1) used where collision/preimage resistance matters (CWE-328)."""
import hashlib
import sys
import time
from hashlib import md5, sha1

import requests
from django.http import HttpResponseForbidden, JsonResponse
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
WEBHOOK_SECRET = b"loaded-at-startup"


def verify_firmware(image_path, expected_digest):
    with open(image_path, "rb") as fh:
        digest = hashlib.md5(fh.read()).hexdigest()  # vuln: CWE-328
    if digest != expected_digest:
        raise ValueError("firmware image failed integrity check")
    return True


@app.route("/webhooks/billing", methods=["POST"])
def billing_webhook():
    body = request.get_data()
    expected = hashlib.sha1(WEBHOOK_SECRET + body).hexdigest()  # vuln: CWE-328
    if expected != request.headers.get("X-Signature"):
        abort(401)
    return jsonify(ok=True)


def make_api_token(user_id: int, secret: str) -> str:
    return md5(f"{user_id}:{secret}".encode()).hexdigest()  # vuln: CWE-328


def email_verification_token(email, signing_key):
    h = hashlib.new("sha1")  # vuln: CWE-328
    h.update(signing_key.encode() + email.encode())
    return h.hexdigest()


def sign_download_url(path: str, expires: int, key: bytes) -> str:
    sig = sha1(key + f"{path}{expires}".encode()).hexdigest()  # vuln: CWE-328
    return f"{path}?expires={expires}&sig={sig}"


def unsubscribe_link(request):
    uid = request.GET["uid"]
    token = hashlib.md5(("unsub-" + uid + "k3y").encode()).hexdigest()  # vuln: CWE-328
    if token != request.GET.get("token"):
        return HttpResponseForbidden()
    return JsonResponse({"unsubscribed": uid})


def download_and_verify(url, checksum):
    blob = requests.get(url, timeout=30).content
    if hashlib.new("md5", blob).hexdigest() != checksum:  # vuln: CWE-328
        raise RuntimeError("package tampered")
    return blob


class ArtifactStore:
    def __init__(self, root):
        self.root = root

    def put(self, data: bytes) -> str:
        # CI later fetches artifacts by key and trusts the key as the integrity check
        key = hashlib.sha1(data).hexdigest()  # vuln: CWE-328
        with open(f"{self.root}/{key}", "wb") as fh:
            fh.write(data)
        return key


def csrf_token_for(session_id: str, secret: str) -> str:
    return hashlib.md5((session_id + secret).encode()).hexdigest()  # vuln: CWE-328


def tool_sign_message(args: dict) -> str:
    """LLM tool: sign an outgoing message so the receiving service can authenticate it."""
    secret = args["secret"]
    return hashlib.sha1((secret + args["message"]).encode()).hexdigest()  # vuln: CWE-328


def cli_checksum_release():
    with open(sys.argv[1], "rb") as fh:
        print("release checksum:", hashlib.md5(fh.read()).hexdigest())  # vuln: CWE-328


def api_request_signature(method, path, api_secret):
    ts = str(int(time.time()))
    digest = hashlib.new("md5", (api_secret + method + path + ts).encode())  # vuln: CWE-328
    return ts, digest.hexdigest()
