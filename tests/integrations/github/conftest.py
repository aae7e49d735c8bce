"""Fixtures for the PR bot tests: the GitHub API double (see ghdouble.py) and a clean environment."""

from ghdouble import clean_env, github

__all__ = ["clean_env", "github"]
