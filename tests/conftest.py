"""Shared pytest setup: pytest-jupyter's server fixtures (used by tests/integrations/jupyter)."""

pytest_plugins = ("pytest_jupyter.jupyter_server",)
