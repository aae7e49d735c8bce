"""Safe twins for CWE-328: SHA-256/HMAC for security, or MD5 flagged usedforsecurity=False."""
import hashlib
import hmac
import sys
import time
from hashlib import sha256

import requests
from django.http import HttpResponseForbidden, JsonResponse
from flask import Flask, abort, jsonify, request

app = Flask(__name__)
WEBHOOK_SECRET = b"loaded-at-startup"
UNSUB_KEY = b"loaded-from-settings"


def verify_firmware_sha256(image_path, expected_digest):
    with open(image_path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()  # safe: CWE-328
    if not hmac.compare_digest(digest, expected_digest):
        raise ValueError("firmware image failed integrity check")
    return True


@app.route("/webhooks/billing-v2", methods=["POST"])
def billing_webhook_v2():
    body = request.get_data()
    expected = hmac.new(WEBHOOK_SECRET, body, hashlib.sha256).hexdigest()  # safe: CWE-328
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        abort(401)
    return jsonify(ok=True)


def make_api_token_v2(user_id: int, secret: str) -> str:
    return hmac.new(secret.encode(), str(user_id).encode(), sha256).hexdigest()  # safe: CWE-328


def email_verification_token_v2(email, signing_key):
    h = hmac.new(signing_key.encode(), digestmod="sha256")  # safe: CWE-328
    h.update(email.encode())
    return h.hexdigest()


def sign_download_url_v2(path: str, expires: int, key: bytes) -> str:
    sig = hmac.new(key, f"{path}{expires}".encode(), hashlib.sha256).hexdigest()  # safe: CWE-328
    return f"{path}?expires={expires}&sig={sig}"


def unsubscribe_link_v2(request):
    uid = request.GET["uid"]
    token = hmac.new(UNSUB_KEY, ("unsub-" + uid).encode(), hashlib.sha256).hexdigest()  # safe: CWE-328
    if not hmac.compare_digest(token, request.GET.get("token", "")):
        return HttpResponseForbidden()
    return JsonResponse({"unsubscribed": uid})


def download_and_verify_v2(url, checksum):
    blob = requests.get(url, timeout=30).content
    if hashlib.new("sha256", blob).hexdigest() != checksum:  # safe: CWE-328
        raise RuntimeError("package tampered")
    return blob


class ArtifactStoreV2:
    def __init__(self, root):
        self.root = root

    def put(self, data: bytes) -> str:
        # CI later fetches artifacts by key and trusts the key as the integrity check
        key = hashlib.sha256(data).hexdigest()  # safe: CWE-328
        with open(f"{self.root}/{key}", "wb") as fh:
            fh.write(data)
        return key


class ThumbnailCache:
    """Cache keys only: collisions cost a re-render, not security."""

    def __init__(self, root):
        self.root = root

    def put(self, data: bytes) -> str:
        key = hashlib.md5(data, usedforsecurity=False).hexdigest()  # safe: CWE-328
        with open(f"{self.root}/{key}", "wb") as fh:
            fh.write(data)
        return key


def csrf_token_for_v2(session_id: str, secret: str) -> str:
    return hmac.new(secret.encode(), session_id.encode(), hashlib.sha256).hexdigest()  # safe: CWE-328


def tool_sign_message_v2(args: dict) -> str:
    """LLM tool: sign an outgoing message so the receiving service can authenticate it."""
    secret = args["secret"]
    return hmac.new(secret.encode(), args["message"].encode(), hashlib.sha256).hexdigest()  # safe: CWE-328


def cli_checksum_release_v2():
    with open(sys.argv[1], "rb") as fh:
        print("release checksum:", hashlib.sha256(fh.read()).hexdigest())  # safe: CWE-328


def api_request_signature_v2(method, path, api_secret):
    ts = str(int(time.time()))
    digest = hmac.new(api_secret.encode(), (method + path + ts).encode(), hashlib.sha256)  # safe: CWE-328
    return ts, digest.hexdigest()


# %% notebook cell: dedupe scraped pages (non-security fingerprint)
def dedupe_pages(pages):
    seen, unique = set(), []
    for page in pages:
        fp = hashlib.md5(page.encode(), usedforsecurity=False).hexdigest()  # safe: CWE-328
        if fp not in seen:
            seen.add(fp)
            unique.append(page)
    return unique


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'  # safe: CWE-328
