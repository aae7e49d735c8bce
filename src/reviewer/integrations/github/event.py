"""The pull request under review, from the Actions environment and event payload or from the API."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer.integrations.github.api import DEFAULT_API_URL


class EventError(ValueError):
    """The environment or payload does not describe a pull request we can review."""


@dataclass(frozen=True)
class PullRequest:
    repo: str  #: owner/name of the base repository (where comments go)
    number: int
    base_sha: str  #: tip of the base branch when the event fired
    head_sha: str  #: the PR's head commit (comments are anchored to it)
    head_repo: str | None  #: owner/name the head branch lives in; None when the fork was deleted
    base_ref: str = ""
    head_ref: str = ""

    @property
    def is_fork(self) -> bool:
        """Fork PRs run with a read-only token and without secrets."""
        return self.head_repo is None or self.head_repo.lower() != self.repo.lower()

    @classmethod
    def from_api(cls, data: Mapping[str, Any], repo: str | None = None) -> PullRequest:
        """From a `pull_request` object (event payload or `GET /repos/O/R/pulls/N`)."""
        try:
            base, head = data["base"], data["head"]
            base_repo = (base.get("repo") or {}).get("full_name") or repo
            head_repo = (head.get("repo") or {}).get("full_name")
            if not base_repo:
                raise EventError("the pull request names no base repository")
            return cls(
                repo=str(base_repo),
                number=int(data["number"]),
                base_sha=str(base["sha"]),
                head_sha=str(head["sha"]),
                head_repo=str(head_repo) if head_repo else None,
                base_ref=str(base.get("ref", "")),
                head_ref=str(head.get("ref", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, EventError):
                raise
            raise EventError(f"not a pull request object: missing or bad {exc}") from exc


@dataclass(frozen=True)
class ActionsEnv:
    """What GitHub Actions provides through the environment."""

    in_actions: bool
    event_name: str | None
    event_path: str | None
    repository: str | None
    api_url: str
    token: str | None
    step_summary: str | None

    @classmethod
    def from_environ(cls, env: Mapping[str, str] | None = None) -> ActionsEnv:
        env = os.environ if env is None else env
        return cls(
            in_actions=env.get("GITHUB_ACTIONS") == "true",
            event_name=env.get("GITHUB_EVENT_NAME") or None,
            event_path=env.get("GITHUB_EVENT_PATH") or None,
            repository=env.get("GITHUB_REPOSITORY") or None,
            api_url=env.get("GITHUB_API_URL") or DEFAULT_API_URL,
            token=env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None,
            step_summary=env.get("GITHUB_STEP_SUMMARY") or None,
        )

    def pull_request(self) -> PullRequest | None:
        """The PR of the triggering event, or None when there is no event payload."""
        if not self.event_path:
            return None
        try:
            with open(self.event_path, encoding="utf-8") as handle:
                payload = json.load(handle)
        except (OSError, ValueError) as exc:
            raise EventError(f"cannot read the event payload {self.event_path}: {exc}") from exc
        data = payload.get("pull_request") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            name = self.event_name or "this"
            raise EventError(
                f"the {name} event has no pull request; run on `pull_request` "
                "or pass --repo OWNER/NAME --pr NUMBER"
            )
        return PullRequest.from_api(data, self.repository)
