"""Jupyter surfaces: the server extension (POST /reviewer/review, GET /reviewer/rules and
/reviewer/config), the ipywidgets view and the `%review` magic. Imported lazily by Jupyter."""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "reviewer.integrations.jupyter"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    from reviewer.integrations.jupyter.server import setup_handlers

    setup_handlers(server_app)
    server_app.log.info("reviewer: registered /reviewer/review, /reviewer/rules, /reviewer/config")
