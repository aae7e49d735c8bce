"""The one interface to a model, `LLMClient.complete(messages, schema)`, and its implementation on
the `openai` package for OpenAI, Azure OpenAI and any OpenAI-compatible server (Ollama, vLLM,
llama.cpp server, LM Studio).

Retries are ours (the package's own are switched off) so that what is retried is explicit: 429 and
5xx, with exponential backoff that honours `Retry-After`. A 401/403 (bad key), 404 (unknown model
or wrong base URL) or an unreachable endpoint is fatal for the run. Replies must be JSON matching
the schema; anything else is rejected as an `LLMError("invalid-reply")`, never repaired.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from reviewer.llm.schema import problems

Messages = list[dict[str, str]]

#: Error kinds after which no further request can succeed in this run.
FATAL = frozenset({"auth", "model", "connection"})


class LLMError(Exception):
    """A request that produced no usable reply; `kind` groups the same problem across chunks."""

    def __init__(self, kind: str, message: str, tokens_in: int = 0, tokens_out: int = 0) -> None:
        super().__init__(message)
        self.kind = kind  #: auth | model | connection | timeout | rate-limit | server | bad-request | invalid-reply
        self.message = message
        self.tokens_in = tokens_in  #: tokens a rejected reply still cost
        self.tokens_out = tokens_out

    @property
    def fatal(self) -> bool:
        return self.kind in FATAL


@dataclass(frozen=True)
class Completion:
    data: dict[str, Any]  #: the reply, already validated against the schema
    tokens_in: int = 0
    tokens_out: int = 0


class LLMClient(Protocol):
    model: str

    def complete(self, messages: Messages, schema: dict[str, Any], name: str) -> Completion:
        """Send `messages`; return the reply parsed and validated against `schema` (named `name`)."""
        ...


def estimate_tokens(text: str) -> int:
    """A rough count (4 characters a token) for budgets and servers that report no usage."""
    return len(text) // 4 + 1


def parse_reply(content: str | None, schema: dict[str, Any]) -> dict[str, Any]:
    """The reply's JSON object, or LLMError("invalid-reply") if it is not exactly that."""
    if not content or not content.strip():
        raise LLMError("invalid-reply", "the model returned an empty reply")
    try:
        data = json.loads(content)
    except ValueError as exc:
        raise LLMError("invalid-reply", f"the model's reply is not JSON ({exc.msg})") from None
    found = problems(data, schema)
    if found:
        more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
        raise LLMError("invalid-reply", f"the model's reply does not match the schema: {found[0]}{more}")
    return data


class OpenAIClient:
    """`openai.OpenAI(base_url, api_key, timeout, max_retries=0)` with our retry loop."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        # Imported here: only runs with LLM critique on, so static reviews never pay for it.
        import openai

        self._openai = openai
        self.model = model
        self.base_url = base_url or None
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self._sleep = sleep
        # Local servers take any key; the openai package insists on one.
        self._client = openai.OpenAI(
            base_url=self.base_url, api_key=api_key or "unused", timeout=timeout, max_retries=0
        )
        #: "json_schema" until the server says it does not support it, then "json_object".
        self.mode = "json_schema"
        self._lock = threading.Lock()

    @property
    def endpoint(self) -> str:
        return str(self._client.base_url).rstrip("/")

    def complete(self, messages: Messages, schema: dict[str, Any], name: str) -> Completion:
        attempt = 0
        while True:
            mode = self.mode
            try:
                response = self._client.chat.completions.create(
                    model=self.model, messages=messages, response_format=self._format(mode, schema, name)  # type: ignore[arg-type]
                )
            except self._openai.APIStatusError as exc:
                if mode == "json_schema" and _format_unsupported(exc):
                    with self._lock:
                        self.mode = "json_object"  # for the rest of the run
                    continue
                retry = exc.status_code == 429 or exc.status_code >= 500
                if retry and attempt < self.max_retries:
                    self._sleep(self._delay(attempt, exc))
                    attempt += 1
                    continue
                raise self._status_error(exc, attempt) from None
            except self._openai.APITimeoutError:
                raise LLMError(
                    "timeout", f"no reply within {self.timeout:g} s from {self.endpoint}"
                ) from None
            except self._openai.APIConnectionError as exc:
                raise LLMError(
                    "connection", f"cannot reach {self.endpoint}: {_cause(exc)}"
                ) from None
            return self._completion(response, schema)

    def _format(self, mode: str, schema: dict[str, Any], name: str) -> dict[str, Any]:
        if mode == "json_object":
            return {"type": "json_object"}
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}

    def _delay(self, attempt: int, exc: Exception) -> float:
        response = getattr(exc, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        try:
            wait = float(header) if header is not None else self.backoff * 2**attempt
        except ValueError:
            wait = self.backoff * 2**attempt
        return max(0.0, min(wait, 30.0))

    def _status_error(self, exc: Any, attempt: int) -> LLMError:
        status = exc.status_code
        detail = _detail(exc)
        if status in (401, 403):
            return LLMError("auth", f"{self.endpoint} rejected the API key (HTTP {status}: {detail}); "
                                    "check the key in the environment variable named by llm.api-key-env")
        if status == 404:
            return LLMError("model", f"model {self.model!r} or the endpoint was not found at "
                                     f"{self.endpoint} (HTTP 404: {detail}); check llm.model and llm.base-url")
        tries = f" after {attempt + 1} attempts" if attempt else ""
        if status == 429:
            return LLMError("rate-limit", f"rate limited by {self.endpoint}{tries} (HTTP 429: {detail})")
        if status >= 500:
            return LLMError("server", f"{self.endpoint} failed{tries} (HTTP {status}: {detail})")
        return LLMError("bad-request", f"{self.endpoint} refused the request (HTTP {status}: {detail})")

    def _completion(self, response: Any, schema: dict[str, Any]) -> Completion:
        usage = getattr(response, "usage", None)
        choice = response.choices[0] if getattr(response, "choices", None) else None
        content = choice.message.content if choice is not None and choice.message else None
        tokens_in = getattr(usage, "prompt_tokens", None) or 0
        tokens_out = getattr(usage, "completion_tokens", None) or estimate_tokens(content or "")
        try:
            if choice is not None and choice.finish_reason == "length":
                raise LLMError("invalid-reply", "the model's reply was cut off (finish_reason=length)")
            data = parse_reply(content, schema)
        except LLMError as exc:
            exc.tokens_in, exc.tokens_out = tokens_in, tokens_out
            raise
        return Completion(data, tokens_in, tokens_out)


def _format_unsupported(exc: Any) -> bool:
    """A 400/422 that complains about `response_format` / `json_schema`."""
    if exc.status_code not in (400, 422):
        return False
    text = _detail(exc).lower()
    return any(word in text for word in ("response_format", "json_schema", "response format"))


def _detail(exc: Any) -> str:
    """The server's error message (the openai package unwraps `{"error": {...}}` into `body`)."""
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else body
    text = str(message) if message else str(getattr(exc, "message", "") or exc)
    return " ".join(text.split())[:200]


def _cause(exc: BaseException) -> str:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return " ".join(str(exc).split())[:200] or type(exc).__name__


@dataclass
class DryRunClient:
    """`--llm-dry-run`: records exactly what would be sent and sends nothing."""

    model: str
    endpoint: str = "the OpenAI API"
    requests: list[tuple[Messages, str]] = field(default_factory=list)
    dry_run: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def complete(self, messages: Messages, schema: dict[str, Any], name: str) -> Completion:
        with self._lock:
            self.requests.append((messages, name))
        key = next(iter(schema["properties"]))
        return Completion({key: []})

    def render(self) -> str:
        """The recorded requests, each message's content verbatim."""
        out = []
        where = f"{self.endpoint}/chat/completions" if "://" in self.endpoint else f"chat/completions of {self.endpoint}"
        for number, (messages, name) in enumerate(self.requests, start=1):
            out.append(f"=== request {number}: POST {where} model={self.model} response_format={name} ===")
            for message in messages:
                out.append(f"--- {message['role']} ---")
                out.append(message["content"].rstrip("\n"))
            out.append("")
        return "\n".join(out) + ("\n" if out else "")
