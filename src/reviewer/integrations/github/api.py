"""A small GitHub REST client on urllib: auth, JSON, Link-header pagination, retries with backoff.

Retried: 5xx and connection errors (idempotent requests only: a POST whose response was lost may
have been applied, so its caller decides), and rate limits (403/429 with `retry-after`, an
exhausted `x-ratelimit-remaining`, or GitHub's "secondary rate limit" message), which GitHub
rejects before doing anything, so every method may retry them.
"""

from __future__ import annotations

import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reviewer import __version__

DEFAULT_API_URL = "https://api.github.com"
#: Base delay in seconds of the exponential backoff (tests make it tiny).
BACKOFF_ENV = "REVIEWER_GITHUB_BACKOFF"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})


class GitHubError(RuntimeError):
    """A request GitHub refused (or that never got an answer, status 0)."""

    def __init__(self, status: int, message: str, method: str = "", url: str = "",
                 body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{method} {url}: {status} {message}".strip())
        self.status = status
        self.message = message
        self.method = method
        self.url = url
        self.body = body
        self.headers = headers or {}  #: lower-case names

    @property
    def forbidden(self) -> bool:
        """The token may not do this (a read-only token, e.g. on fork or Dependabot PRs)."""
        return self.status == 403 and not _is_rate_limit_message(self.message)


@dataclass
class Response:
    status: int
    headers: dict[str, str]  #: lower-case names
    data: Any


@dataclass
class Client:
    token: str | None
    api_url: str = DEFAULT_API_URL
    retries: int = 4
    backoff: float = field(default_factory=lambda: float(os.environ.get(BACKOFF_ENV, "1") or 1))
    max_wait: float = 120.0  #: never sleep longer than this for one retry
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = lambda message: None

    def request(self, method: str, path: str, body: Any = None,
                params: dict[str, Any] | None = None) -> Response:
        """One API call, retried as the module docstring says; GitHubError when it fails."""
        url = self._url(path, params)
        attempt = 0
        while True:
            try:
                return self._send(method, url, body)
            except GitHubError as exc:
                wait = self._retry_delay(exc, method, attempt)
                if wait is None:
                    raise
                attempt += 1
                self.log(f"GitHub {method} {urllib.parse.urlsplit(url).path}: {exc.status} "
                         f"{exc.message}; retry {attempt}/{self.retries} in {wait:.2f}s")
                self.sleep(wait)

    def paginate(self, path: str, params: dict[str, Any] | None = None) -> Iterator[Any]:
        """Every item of a list endpoint, following `Link: <...>; rel="next"`."""
        url: str | None = self._url(path, {"per_page": 100, **(params or {})})
        while url:
            response = self.request("GET", url)
            if not isinstance(response.data, list):
                raise GitHubError(response.status, "expected a JSON list", "GET", url)
            yield from response.data
            match = _NEXT.search(response.headers.get("link", ""))
            if match is None:
                return
            url = match.group(1)
            # The next request carries the token: never follow a link off the API's own host.
            if not url.startswith(self.api_url.rstrip("/") + "/"):
                raise GitHubError(response.status, "next-page link points outside the API", "GET", url)

    def _url(self, path: str, params: dict[str, Any] | None) -> str:
        url = path if path.startswith(("http://", "https://")) else (
            self.api_url.rstrip("/") + "/" + path.lstrip("/")
        )
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        return url

    def _send(self, method: str, url: str, body: Any) -> Response:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"reviewer/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise GitHubError(0, "the API URL must be http(s)", method, url)
        # The scheme is checked above: no file: or custom schemes reach urlopen.
        req = urllib.request.Request(url, data=data, headers=headers, method=method)  # nosec S310
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as raw:  # nosec B310
                payload = raw.read()
                return Response(raw.status, _headers(raw.headers), _decode(payload))
        except urllib.error.HTTPError as exc:
            payload = exc.read()
            decoded = _decode(payload)
            message = _message(decoded)
            raise GitHubError(exc.code, message or str(exc.reason), method, url, decoded,
                              _headers(exc.headers)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GitHubError(0, f"no response: {reason}", method, url) from None

    def _retry_delay(self, exc: GitHubError, method: str, attempt: int) -> float | None:
        if attempt >= self.retries:
            return None
        headers = exc.headers
        backoff = self.backoff * (2 ** attempt)
        if exc.status in (403, 429) and _is_rate_limited(exc, headers):
            if "retry-after" in headers:
                wait = _number(headers["retry-after"])
            elif headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
                wait = _number(headers["x-ratelimit-reset"]) - time.time()
            else:  # GitHub: wait at least a minute; scaled by the configured backoff
                wait = 60 * self.backoff
            return min(max(wait, backoff), self.max_wait)
        if (exc.status == 0 or exc.status >= 500) and method.upper() in _IDEMPOTENT:
            return min(backoff, self.max_wait)
        return None


def _message(decoded: Any) -> str:
    """GitHub's `message`, with the details of a 422's `errors` list."""
    if not isinstance(decoded, dict):
        return ""
    message = str(decoded.get("message") or "")
    details = [(e.get("message") or e.get("code") or "") if isinstance(e, dict) else str(e)
               for e in decoded.get("errors") or [] if e]
    details = [d for d in details if d]
    return f"{message}: {'; '.join(details)}" if details else message


def _is_rate_limit_message(message: str) -> bool:
    return "rate limit" in message.lower()


def _is_rate_limited(exc: GitHubError, headers: dict[str, str]) -> bool:
    return (
        exc.status == 429
        or _is_rate_limit_message(exc.message)
        or headers.get("x-ratelimit-remaining") == "0"
    )


def _number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 60.0


def _headers(raw: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in (raw.items() if raw is not None else [])}


def _decode(payload: bytes) -> Any:
    if not payload:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return {"message": payload[:200].decode("utf-8", "replace")}
