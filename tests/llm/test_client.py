"""OpenAIClient (the real `openai` package) against the local server: structured output, the
json_object fallback, retries on 429/5xx, clear errors on 401/404, timeouts, bad replies."""

from __future__ import annotations

import socket
import time

import pytest
from conftest import FakeLLM, Reply, claim, findings

from reviewer.llm import LLMError, OpenAIClient
from reviewer.llm.schema import critique_schema

SCHEMA = critique_schema(["AI201", "AI202"])
MESSAGES = [{"role": "system", "content": "review"}, {"role": "user", "content": "code"}]
VALID = claim("AI201", 3, "x = 1")


def test_structured_output_request_and_usage(llm_server: FakeLLM, client: OpenAIClient) -> None:
    llm_server.reply(findings(VALID))
    done = client.complete(MESSAGES, SCHEMA, "findings")
    assert done.data == {"findings": [VALID]}
    assert (done.tokens_in, done.tokens_out) == (100, 20)
    body = llm_server.requests[0]
    assert body["model"] == "test-model"
    assert body["messages"] == MESSAGES
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert llm_server.headers[0]["authorization"] == "Bearer sk-test-not-a-real-key"


def test_falls_back_to_json_mode_for_the_rest_of_the_run(llm_server: FakeLLM, client: OpenAIClient) -> None:
    llm_server.reply(Reply(status=400, error="response_format json_schema is not supported by this server"),
                     findings(VALID), findings())
    assert client.complete(MESSAGES, SCHEMA, "findings").data == {"findings": [VALID]}
    client.complete(MESSAGES, SCHEMA, "findings")
    formats = [r["response_format"]["type"] for r in llm_server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]


def test_rate_limit_is_retried_with_backoff(llm_server: FakeLLM, client: OpenAIClient) -> None:
    llm_server.reply(Reply(status=429, error="slow down", headers={"Retry-After": "0"}), findings(VALID))
    assert client.complete(MESSAGES, SCHEMA, "findings").data["findings"] == [VALID]
    assert len(llm_server.requests) == 2


def test_backoff_grows_without_retry_after(llm_server: FakeLLM) -> None:
    waits: list[float] = []
    client = OpenAIClient("m", base_url=llm_server.url, api_key="k", timeout=0.5, max_retries=2,
                          backoff=0.25, sleep=waits.append)
    llm_server.reply(Reply(status=503), Reply(status=502), findings())
    client.complete(MESSAGES, SCHEMA, "findings")
    assert waits == [0.25, 0.5]


def test_server_errors_give_up_after_the_retries(llm_server: FakeLLM, client: OpenAIClient) -> None:
    llm_server.reply(*[Reply(status=500, error="boom", headers={"Retry-After": "0"})] * 3)
    with pytest.raises(LLMError) as raised:
        client.complete(MESSAGES, SCHEMA, "findings")
    assert raised.value.kind == "server" and not raised.value.fatal
    assert "HTTP 500" in raised.value.message and "after 3 attempts" in raised.value.message
    assert len(llm_server.requests) == 3


@pytest.mark.parametrize(("status", "kind", "words"), [
    (401, "auth", "rejected the API key"),
    (403, "auth", "rejected the API key"),
    (404, "model", "model 'test-model' or the endpoint was not found"),
])
def test_bad_key_and_unknown_model_are_fatal_and_clear(
    llm_server: FakeLLM, client: OpenAIClient, status: int, kind: str, words: str
) -> None:
    llm_server.reply(Reply(status=status, error="nope"))
    with pytest.raises(LLMError) as raised:
        client.complete(MESSAGES, SCHEMA, "findings")
    assert raised.value.kind == kind and raised.value.fatal
    assert words in raised.value.message and "nope" in raised.value.message
    assert len(llm_server.requests) == 1, "never retried"


def test_slow_reply_times_out(llm_server: FakeLLM, client: OpenAIClient) -> None:
    llm_server.reply(Reply({"findings": []}, delay=1.5))
    started = time.monotonic()
    with pytest.raises(LLMError) as raised:
        client.complete(MESSAGES, SCHEMA, "findings")
    assert raised.value.kind == "timeout"
    assert "no reply within 0.5 s" in raised.value.message
    assert time.monotonic() - started < 1.4


def test_unreachable_endpoint() -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = OpenAIClient("m", base_url=f"http://127.0.0.1:{port}/v1", api_key="k", timeout=0.5)
    with pytest.raises(LLMError) as raised:
        client.complete(MESSAGES, SCHEMA, "findings")
    assert raised.value.kind == "connection" and raised.value.fatal
    assert f"cannot reach http://127.0.0.1:{port}/v1" in raised.value.message


@pytest.mark.parametrize(("reply", "words"), [
    (Reply("this is not json"), "not JSON"),
    (Reply('{"findings": [{"check": "AI201", "line": 3'), "not JSON"),  # truncated
    (Reply({"findings": [VALID]}, finish_reason="length"), "cut off"),
    (Reply(""), "empty reply"),
    (Reply({"findings": [{**VALID, "line": "3"}]}), "expected integer"),
    (Reply({"findings": [{**VALID, "check": "AI999"}]}), "is not one of"),
    (Reply({"findings": [{**VALID, "extra": 1}]}), "unexpected 'extra'"),
    (Reply({"issues": []}), "missing 'findings'"),
])
def test_replies_that_do_not_match_are_rejected_not_repaired(
    llm_server: FakeLLM, client: OpenAIClient, reply: Reply, words: str
) -> None:
    llm_server.reply(reply)
    with pytest.raises(LLMError) as raised:
        client.complete(MESSAGES, SCHEMA, "findings")
    assert raised.value.kind == "invalid-reply"
    assert words in raised.value.message
    assert raised.value.tokens_in == 100, "a rejected reply still cost tokens"
