"""A local OpenAI-compatible server for the LLM tests: real HTTP on 127.0.0.1, the real `openai`
client pointed at it, scripted replies, and a record of every request it received."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from reviewer.llm import OpenAIClient

_NUMBERED = re.compile(r"^\s*(\d+) \| (.*)$")


@dataclass
class Reply:
    """One scripted answer: a chat completion whose content is `content` (a dict is sent as
    JSON), or an error `status` with `error` as its message."""

    content: Any = None
    status: int = 200
    error: str = "scripted error"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    usage: tuple[int, int] = (100, 20)


def findings(*items: dict[str, Any]) -> Reply:
    return Reply({"findings": list(items)})


def claim(check: str, line: int, evidence: str, end_line: int | None = None,
          message: str = "A scripted problem.", severity: str = "warning",
          confidence: str = "high") -> dict[str, Any]:
    return {"check": check, "line": line, "end_line": end_line or line, "evidence": evidence,
            "message": message, "severity": severity, "confidence": confidence}


def code_lines(body: dict[str, Any]) -> dict[int, str]:
    """The numbered lines between BEGIN CODE and END CODE of a request's user message."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    block = user.split("BEGIN CODE", 1)[1].split("END CODE", 1)[0]
    out = {}
    for line in block.splitlines()[1:]:
        match = _NUMBERED.match(line)
        if match:
            out[int(match.group(1))] = match.group(2)
    return out


class FakeLLM:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []  #: parsed request bodies, in arrival order
        self.headers: list[dict[str, str]] = []
        self.raw: list[bytes] = []
        self.script: deque[Reply] = deque()
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def reply(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def sent_text(self) -> str:
        """Everything that arrived, as text: what privacy tests search."""
        return "\n".join(raw.decode("utf-8") for raw in self.raw)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            if self.script:
                return self.script.popleft()
        if self.responder is not None:
            return self.responder(body)
        return findings()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # the http.server API names it
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw)
                with fake.lock:
                    fake.raw.append(raw)
                    fake.requests.append(body)
                    fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                reply = fake._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    return self._send(reply.status, {"error": {"message": reply.error, "type": "test"}},
                                      reply.headers)
                content = reply.content if isinstance(reply.content, str) or reply.content is None \
                    else json.dumps(reply.content)
                self._send(200, {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "m"),
                    "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                                 "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": reply.usage[0], "completion_tokens": reply.usage[1],
                              "total_tokens": sum(reply.usage)},
                }, reply.headers)

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

        return Handler


@pytest.fixture
def llm_server() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy for 127.0.0.1, a fake key, and no model from the developer's environment."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.delenv("REVIEWER_LLM_MODEL", raising=False)
    monkeypatch.delenv("REVIEWER_LLM_BASE_URL", raising=False)


@pytest.fixture
def client(llm_server: FakeLLM) -> OpenAIClient:
    """The real openai client on the fake server: short timeout, no real backoff."""
    return OpenAIClient("test-model", base_url=llm_server.url, api_key="sk-test-not-a-real-key",
                        timeout=0.5, max_retries=2, backoff=0.0)
