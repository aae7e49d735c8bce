"""Surfaces: the CLI, the GitHub PR bot and the Jupyter integrations (the only I/O layer)."""
