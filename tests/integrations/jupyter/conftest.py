"""pytest-jupyter: a real jupyter_server with our extension, authenticated as in production."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"reviewer.integrations.jupyter": True},
            "allow_unauthenticated_access": False,
        }
    }
