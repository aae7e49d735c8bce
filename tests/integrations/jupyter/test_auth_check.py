"""CI check: every HTTP verb of every handler in the server extension is authenticated."""

from __future__ import annotations

import ast
from pathlib import Path

SERVER = Path(__file__).resolve().parents[3] / "src" / "reviewer" / "integrations" / "jupyter" / "server.py"
VERBS = {"get", "post", "put", "patch", "delete", "head", "options"}


def _is_authenticated(decorator: ast.expr) -> bool:
    return ast.unparse(decorator) in {"tornado.web.authenticated", "web.authenticated", "authenticated"}


def test_every_handler_verb_is_authenticated() -> None:
    tree = ast.parse(SERVER.read_text(encoding="utf-8"))
    verbs = [
        (cls.name, node)
        for cls in tree.body if isinstance(cls, ast.ClassDef)
        for node in cls.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in VERBS
    ]
    assert len(verbs) >= 3
    missing = [f"{name}.{node.name}" for name, node in verbs if not any(map(_is_authenticated, node.decorator_list))]
    assert missing == []
