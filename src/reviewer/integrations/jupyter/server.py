"""The jupyter_server endpoint: every handler is authenticated, and reviews run off the event loop.

POST /reviewer/review  {"path", "notebook"? | "content"?, "select"?, "ignore"?} -> JSON report
GET  /reviewer/rules   -> {"rules": [...]}          GET /reviewer/config -> {"version", "llm"}
GET  /reviewer/explain?code=B506 -> {"code", "markdown"} (ours, bandit's or ruff's documentation)
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from reviewer import __version__
from reviewer.config import ConfigError, load_config
from reviewer.engine import all_rules
from reviewer.engine.registry import describe
from reviewer.integrations.jupyter.content import (
    BadRequest,
    options,
    review_content,
    root_of,
)
from reviewer.integrations.jupyter.kernel_env import kernel_python_path
from reviewer.integrations.tool_docs import tool_code_docs
from reviewer.model import Report, ToolError
from reviewer.report import render


class _Base(APIHandler):
    @property
    def root(self) -> str:
        return root_of(self.settings["server_root_dir"])

    def reply(self, status: int, payload: dict[str, Any] | str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(payload if isinstance(payload, str) else json.dumps(payload))


class ReviewHandler(_Base):
    @tornado.web.authenticated
    async def post(self) -> None:
        try:
            body = json.loads(self.request.body or b"null")
        except ValueError as exc:
            return self.reply(400, {"message": f"request body is not JSON: {exc}"})
        if not isinstance(body, dict):
            return self.reply(400, {"message": "request body must be a JSON object with a 'path'"})
        try:
            settings = options(body)
            args = (self.root, body.get("path"))
            kwargs = {"notebook": body.get("notebook"), "content": body.get("content"), **settings}
            spec_manager = getattr(self, "kernel_spec_manager", None)
            kwargs["python_path"] = await IOLoop.current().run_in_executor(
                None, lambda: kernel_python_path(kwargs["notebook"], spec_manager))
            # The review parses and runs ruff and bandit: keep it off the event loop, and answer
            # within the time limit whatever happens (the review itself runs on to its end).
            review = IOLoop.current().run_in_executor(None, lambda: review_content(*args, **kwargs))
            report = await asyncio.wait_for(asyncio.shield(review), REQUEST_TIMEOUT)
        except BadRequest as exc:
            return self.reply(400, {"message": str(exc)})
        except asyncio.TimeoutError:
            report = _failed(body, f"the review took longer than {REQUEST_TIMEOUT:g} s and was abandoned; "
                                   "the server is fine: try again, or review a smaller file")
        except Exception as exc:  # noqa: RV202 - answered as the report's error; the server stays up
            self.log.exception("reviewer: the review failed")
            report = _failed(body, f"the review failed: {type(exc).__name__}: {exc}")
        return self.reply(200, render("json", report))


#: Seconds a review request may take before the endpoint answers with an error entry.
REQUEST_TIMEOUT = 120.0


def _failed(body: dict[str, Any], message: str) -> Report:
    path = body.get("path") if isinstance(body.get("path"), str) else None
    return Report(errors=(ToolError("reviewer", message, path),), files=(path,) if path else ())


class RulesHandler(_Base):
    @tornado.web.authenticated
    def get(self) -> None:
        self.reply(200, {"rules": [describe(rule) for rule in all_rules()]})


class ExplainHandler(_Base):
    @tornado.web.authenticated
    async def get(self) -> None:
        code = self.get_query_argument("code", "").strip().upper()
        if not re.fullmatch(r"[A-Z]{1,10}[0-9]{1,6}", code):
            self.reply(400, {"message": "'code' must look like RV102, B506 or S608"})
            return
        rule = next((r for r in all_rules() if r.CODE == code), None)
        if rule is not None:
            self.reply(200, {"code": code, "markdown": describe(rule)["docs"]})
            return
        # `ruff rule` runs a subprocess: keep it off the event loop.
        markdown = await IOLoop.current().run_in_executor(None, tool_code_docs, code)
        if markdown is None:
            self.reply(404, {"message": f"{code} is neither a reviewer rule nor a bandit or ruff code"})
            return
        self.reply(200, {"code": code, "markdown": markdown})


class ConfigHandler(_Base):
    @tornado.web.authenticated
    def get(self) -> None:
        """What the sidebar may offer; keys and endpoints of an LLM never leave the server."""
        try:
            config = load_config(Path(self.root))
            llm = getattr(config, "llm", None)
            available = bool(llm is not None and getattr(llm, "model", None))
        except ConfigError:
            available = False
        self.reply(200, {"version": __version__, "llm": available})


def setup_handlers(server_app: Any) -> None:
    web_app = server_app.web_app
    base = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "reviewer", "review"), ReviewHandler),
            (url_path_join(base, "reviewer", "rules"), RulesHandler),
            (url_path_join(base, "reviewer", "config"), ConfigHandler),
            (url_path_join(base, "reviewer", "explain"), ExplainHandler),
        ],
    )
