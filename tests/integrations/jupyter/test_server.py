"""POST /reviewer/review and friends against a real jupyter_server (pytest-jupyter's jp_fetch)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from tornado.httpclient import HTTPClientError


def _notebook(*sources: str) -> dict[str, Any]:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Demo")] + [nbformat.v4.new_code_cell(s) for s in sources]
    return dict(nb)


async def _review(jp_fetch: Any, body: object) -> dict[str, Any]:
    response = await jp_fetch("reviewer", "review", method="POST", body=json.dumps(body))
    assert response.code == 200
    return json.loads(response.body)


async def test_reviews_a_live_notebook_model(jp_fetch: Any, jp_root_dir: Path) -> None:
    nb = _notebook("import yaml\n", "def load(path, cache={}):\n    return cache.setdefault(path, yaml.load(open(path)))\n")
    report = await _review(jp_fetch, {"path": "work/demo.ipynb", "notebook": nb})
    found = {(f["code"], f["location"]["cell"], f["location"]["line"]) for f in report["findings"]}
    assert ("RV201", 2, 1) in found and ("RV102", 2, 2) in found
    assert all(f["location"]["path"] == "work/demo.ipynb" for f in report["findings"])
    assert not (jp_root_dir / "work" / "demo.ipynb").exists(), "the live model is reviewed, not a file"


async def test_reviews_file_content_and_files_on_disk(jp_fetch: Any, jp_root_dir: Path) -> None:
    report = await _review(jp_fetch, {"path": "app.py", "content": "def f(x=[]):\n    return x\n"})
    assert [(f["code"], f["location"]["line"]) for f in report["findings"]] == [("RV201", 1)]
    (jp_root_dir / "saved.py").write_text("import subprocess\nsubprocess.run(cmd, shell=True)\n")
    report = await _review(jp_fetch, {"path": "saved.py", "select": ["RV"]})
    assert [f["code"] for f in report["findings"]] == ["RV103"]


async def test_unauthenticated_request_is_refused(jp_fetch: Any) -> None:
    for path, method, body in [("review", "POST", "{}"), ("rules", "GET", None), ("config", "GET", None)]:
        with pytest.raises(HTTPClientError) as info:
            await jp_fetch("reviewer", path, method=method, body=body, headers={"Authorization": ""})
        assert info.value.code == 403, path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        (json.dumps({"content": "x = 1"}), "'path'"),
        (json.dumps({"path": "../outside.py", "content": "x"}), "inside the server root"),
        (json.dumps({"path": "a.py", "content": 42}), "'content' must be a string"),
        (json.dumps({"path": "a.py", "content": "x", "select": "RV"}), "'select' must be a list"),
    ],
)
async def test_malformed_body_is_a_clear_400(jp_fetch: Any, body: str, message: str) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("reviewer", "review", method="POST", body=body)
    assert info.value.code == 400
    assert message in json.loads(info.value.response.body)["message"]


async def test_syntax_error_in_one_cell_still_reviews_the_others(jp_fetch: Any) -> None:
    nb = _notebook("def f(x=[]):\n    return x\n", "for i in range(3)\n    print(i)\n", "def g(y={}):\n    return y\n")
    report = await _review(jp_fetch, {"path": "broken.ipynb", "notebook": nb, "select": ["RV"]})
    assert sorted(f["location"]["cell"] for f in report["findings"]) == [1, 3]
    [error] = report["errors"]
    assert (error["cell"], error["path"]) == (2, "broken.ipynb") and "syntax error" in error["message"]


async def test_invalid_notebook_is_reported_not_crashed(jp_fetch: Any) -> None:
    report = await _review(jp_fetch, {"path": "bad.ipynb", "notebook": {"cells": "nope"}})
    assert report["findings"] == [] and "invalid notebook" in report["errors"][0]["message"]


async def test_hostile_notebooks_get_an_error_entry_and_the_server_stays_up(jp_fetch: Any) -> None:
    deep = _notebook("x = " + "(" * 3000 + "1" + ")" * 3000 + "\n", "def f(x=[]):\n    return x\n")
    report = await _review(jp_fetch, {"path": "deep.ipynb", "notebook": deep, "select": ["RV"]})
    assert [f["code"] for f in report["findings"]] == ["RV201"]  # the other cell is still reviewed
    assert [(e["cell"], "nested" in e["message"]) for e in report["errors"]] == [(1, True)]
    nulled = _notebook("x = 1\n")
    nulled["cells"][1]["source"] = None
    report = await _review(jp_fetch, {"path": "null.ipynb", "notebook": nulled})
    assert "'source' must be a string" in report["errors"][0]["message"]
    response = await jp_fetch("reviewer", "rules", method="GET")
    assert response.code == 200


async def test_a_review_past_its_time_limit_or_failing_is_an_error_entry(
        jp_fetch: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from reviewer.integrations.jupyter import server

    monkeypatch.setattr(server, "REQUEST_TIMEOUT", 0.2)
    monkeypatch.setattr(server, "review_content", lambda *args, **kwargs: time.sleep(1.5))
    report = await _review(jp_fetch, {"path": "slow.py", "content": "x = 1\n"})
    assert report["findings"] == [] and "took longer than 0.2 s" in report["errors"][0]["message"]
    assert report["errors"][0]["path"] == "slow.py"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(server, "review_content", broken)
    report = await _review(jp_fetch, {"path": "a.py", "content": "x = 1\n"})
    assert "the review failed: RuntimeError: boom" in report["errors"][0]["message"]


async def test_llm_toggle_without_a_server_model_says_so(jp_fetch: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REVIEWER_LLM_MODEL", raising=False)
    report = await _review(jp_fetch, {"path": "a.py", "content": "def f(x=[]):\n    return x\n", "llm": True})
    assert [f["code"] for f in report["findings"]] == ["RV201"] and report["errors"] == []
    assert any("LLM critique off" in note for note in report["notes"])
    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("reviewer", "review", method="POST", body=json.dumps({"path": "a.py", "llm": "yes"}))
    assert info.value.code == 400


async def test_rules_and_config(jp_fetch: Any) -> None:
    rules = json.loads((await jp_fetch("reviewer", "rules")).body)["rules"]
    assert {"RV101", "RV401"} <= {r["code"] for r in rules} and all(r["docs"] for r in rules)
    config = json.loads((await jp_fetch("reviewer", "config")).body)
    assert config["llm"] is False and config["version"]


async def test_explain_documents_our_codes_and_the_tools_codes(jp_fetch: Any) -> None:
    ours = json.loads((await jp_fetch("reviewer", "explain", params={"code": "RV102"})).body)
    assert ours["code"] == "RV102" and "## What it does" in ours["markdown"]
    bandit = json.loads((await jp_fetch("reviewer", "explain", params={"code": "B506"})).body)
    assert "yaml" in bandit["markdown"].lower()
    ruff = json.loads((await jp_fetch("reviewer", "explain", params={"code": "S608"})).body)
    assert "ruff" in ruff["markdown"] and "SQL" in ruff["markdown"]
    for code, status in (("XY999999", 404), ("not a code", 400)):
        with pytest.raises(HTTPClientError) as info:
            await jp_fetch("reviewer", "explain", params={"code": code})
        assert info.value.code == status
