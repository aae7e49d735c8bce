"""A GitHub REST API double on 127.0.0.1 and real git repositories with base and head commits.

The double enforces what GitHub enforces for the bot: authentication (401), read-only tokens
(403 on writes, like fork and Dependabot PRs), review comments only on RIGHT-side lines inside
the PR's diff hunks (422, nothing created), body size limits, pagination with Link headers, and
it can inject failures: 5xx (optionally after applying the request, a lost response) and
secondary rate limits (403 + retry-after). It records every request.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = "octo/demo"
WRITE_TOKEN = "write-token"  # nosec B105 - the double's test tokens
READ_TOKEN = "read-token"  # nosec B105
PREFIX = "/api/v3"  # served under a path prefix, like GitHub Enterprise Server
BOT = {"login": "github-actions[bot]", "type": "Bot"}
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
SECONDARY = ("You have exceeded a secondary rate limit. Please wait a few minutes before you "
             "try again.")


def right_lines(patch: str) -> set[int]:
    """The double's own reading of a patch: head lines GitHub lets you comment on."""
    out: set[int] = set()
    line = 0
    for text in patch.splitlines():
        match = _HUNK.match(text)
        if match:
            line = int(match.group(1))
        elif text.startswith((" ", "+")):
            out.add(line)
            line += 1
    return out


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int = 500
    times: int = 1
    kind: str = "error"  #: error | lost (apply, then fail) | secondary (rate limit)
    retry_after: str = "1"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    token: str | None
    status: int = 0


@dataclass
class Pull:
    number: int
    base_sha: str
    head_sha: str
    head_repo: str
    files: list[dict[str, Any]]
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "state": "open",
            "base": {"sha": self.base_sha, "ref": "main", "repo": {"full_name": REPO}},
            "head": {"sha": self.head_sha, "ref": "feature", "repo": {"full_name": self.head_repo}},
        }


class GitHubDouble:
    def __init__(self) -> None:
        self.tokens = {WRITE_TOKEN: "write", READ_TOKEN: "read"}
        #: token -> login for user tokens; other tokens act like the Actions token, which may
        #: not ask GET /user who it is, and post as github-actions[bot].
        self.users: dict[str, str] = {}
        self._author = BOT
        self.max_per_page = 100
        self.pulls: dict[int, Pull] = {}
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.refuse_lines: set[tuple[str, int]] = set()  #: refused although in the patch
        self.lock = threading.Lock()
        self._ids = 1000
        self.url = ""

    # --- set-up ------------------------------------------------------------------------------

    def add_pull(self, number: int, base_sha: str, head_sha: str, files: list[dict[str, Any]],
                 head_repo: str = REPO) -> Pull:
        existing = self.pulls.get(number)
        pull = Pull(number, base_sha, head_sha, head_repo, files)
        if existing is not None:  # a new push: comments and reviews stay
            pull.review_comments = existing.review_comments
            pull.reviews = existing.reviews
            pull.issue_comments = existing.issue_comments
        self.pulls[number] = pull
        return pull

    def fail(self, method: str, path: str, **kwargs: Any) -> None:
        self.faults.append(Fault(method, re.compile(path), **kwargs))

    def writes(self) -> list[Recorded]:
        return [r for r in self.requests if r.method not in ("GET", "HEAD")]

    # --- request handling ----------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes,
               host: str) -> tuple[int, dict[str, str], Any]:
        split = urlsplit(raw_path)
        query = parse_qs(split.query)
        token = _token(headers.get("authorization", ""))
        try:
            data = json.loads(body) if body else None
        except ValueError:
            return 400, {}, {"message": "Problems parsing JSON"}
        record = Recorded(method, split.path, query, data, token)
        with self.lock:
            self.requests.append(record)
            status, extra, payload = self._dispatch(method, split.path, query, token, data, host)
            record.status = status
            return status, extra, payload

    def _dispatch(self, method: str, path: str, query: dict[str, list[str]], token: str | None,
                  data: Any, host: str) -> tuple[int, dict[str, str], Any]:
        if not path.startswith(PREFIX + "/"):
            return 404, {}, {"message": "Not Found"}
        path = path[len(PREFIX):]
        if token is None:
            return 401, {}, {"message": "Requires authentication"}
        if token not in self.tokens:
            return 401, {}, {"message": "Bad credentials"}
        fault = next((f for f in self.faults
                      if f.times > 0 and f.method == method and f.path.search(path)), None)
        if fault is not None and fault.kind != "lost":
            fault.times -= 1
            if fault.kind == "secondary":
                return 403, {"retry-after": fault.retry_after}, {"message": SECONDARY}
            return fault.status, {}, {"message": "Server Error"}
        if method != "GET" and self.tokens[token] == "read":
            return 403, {}, {"message": "Resource not accessible by integration"}
        login = self.users.get(token)
        if path == "/user" and method == "GET":
            if login is None:
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 200, {}, {"login": login, "type": "User"}
        self._author = {"login": login, "type": "User"} if login else BOT
        status, extra, payload = self._route(method, path, query, data, host)
        if fault is not None:  # "lost": applied, but the client never hears about it
            fault.times -= 1
            return fault.status, {}, {"message": "Server Error"}
        return status, extra, payload

    def _route(self, method: str, path: str, query: dict[str, list[str]], data: Any,
               host: str) -> tuple[int, dict[str, str], Any]:
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)/(pulls|issues)/(\d+)(?:/(\w+))?", path)
        edit = re.fullmatch(r"/repos/([^/]+/[^/]+)/issues/comments/(\d+)", path)
        if edit and method == "PATCH" and edit.group(1) == REPO:
            return self._edit_issue_comment(int(edit.group(2)), data)
        if not match or match.group(1) != REPO or int(match.group(3)) not in self.pulls:
            return 404, {}, {"message": "Not Found"}
        pull = self.pulls[int(match.group(3))]
        kind, sub = match.group(2), match.group(4)
        lists = {("pulls", "files"): pull.files, ("pulls", "comments"): pull.review_comments,
                 ("pulls", "reviews"): pull.reviews, ("issues", "comments"): pull.issue_comments}
        if method == "GET" and kind == "pulls" and sub is None:
            return 200, {}, pull.data()
        if method == "GET" and (kind, sub) in lists:
            return self._page(lists[(kind, sub)], path, query, host)
        if method == "POST" and (kind, sub) == ("pulls", "reviews"):
            return self._create_review(pull, data)
        if method == "POST" and (kind, sub) == ("issues", "comments"):
            return self._create_issue_comment(pull, data)
        return 404, {}, {"message": "Not Found"}

    def _page(self, items: list[dict[str, Any]], path: str, query: dict[str, list[str]],
              host: str) -> tuple[int, dict[str, str], Any]:
        per_page = min(int(query.get("per_page", ["30"])[0]), 100, self.max_per_page)
        page = int(query.get("page", ["1"])[0])
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        base = f"http://{host}{PREFIX}{path}?per_page={per_page}"
        if page < last:
            links.append(f'<{base}&page={page + 1}>; rel="next"')
            links.append(f'<{base}&page={last}>; rel="last"')
        return 200, ({"link": ", ".join(links)} if links else {}), chunk

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def _create_review(self, pull: Pull, data: Any) -> tuple[int, dict[str, str], Any]:
        if not isinstance(data, dict):
            return 422, {}, {"message": "Invalid request"}
        event = data.get("event")
        comments = data.get("comments") or []
        body = data.get("body") or ""
        if event not in (None, "COMMENT", "APPROVE", "REQUEST_CHANGES"):
            return 422, {}, {"message": "Unprocessable Entity", "errors": ["Invalid event"]}
        if data.get("commit_id", pull.head_sha) != pull.head_sha:
            return 422, {}, {"message": "Unprocessable Entity",
                             "errors": ["commit_id is not part of the pull request"]}
        if event == "COMMENT" and not body and not comments:
            return 422, {}, {"message": "Unprocessable Entity",
                             "errors": ["Body is required for a COMMENT review"]}
        if len(body) > 65536:
            return 422, {}, {"message": "Body is too long (maximum is 65536 characters)"}
        files = {f["filename"]: f for f in pull.files}
        for comment in comments:
            path, line = comment.get("path"), comment.get("line")
            if comment.get("side", "RIGHT") != "RIGHT" or not isinstance(line, int):
                return 422, {}, {"message": "Unprocessable Entity", "errors": ["Invalid line"]}
            if path not in files:
                return 422, {}, {"message": "Unprocessable Entity",
                                 "errors": ["Path could not be resolved"]}
            patch = files[path].get("patch")
            first = comment.get("start_line") if isinstance(comment.get("start_line"), int) else line
            if patch is None or line not in right_lines(patch) or any(
                    (path, n) in self.refuse_lines for n in range(first, line + 1)):
                return 422, {}, {"message": "Unprocessable Entity",
                                 "errors": ["Line could not be resolved"]}
            start = comment.get("start_line")
            if start is not None and (
                not isinstance(start, int) or start >= line or comment.get("start_side", "RIGHT") != "RIGHT"
                or any(n not in right_lines(patch) for n in range(start, line))
            ):  # a multi-line comment covers one run of lines of one hunk, start before end
                return 422, {}, {"message": "Unprocessable Entity",
                                 "errors": ["start_line must be part of the same hunk as the line."]}
            if not comment.get("body") or len(comment["body"]) > 65536:
                return 422, {}, {"message": "Unprocessable Entity", "errors": ["Invalid body"]}
        review = {"id": self._next_id(), "user": self._author, "body": body, "commit_id": pull.head_sha,
                  "state": {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED"}.get(
                      event or "", "COMMENTED" if event else "PENDING")}
        pull.reviews.append(review)
        for comment in comments:
            comment_id = self._next_id()
            pull.review_comments.append({
                "id": comment_id, "pull_request_review_id": review["id"], "user": self._author,
                "path": comment["path"], "line": comment["line"], "start_line": comment.get("start_line"),
                "original_line": comment["line"], "side": "RIGHT", "body": comment["body"],
                "commit_id": pull.head_sha,
                "html_url": f"https://example.invalid/pull/{pull.number}#r{comment_id}",
            })
        return 200, {}, review

    def _create_issue_comment(self, pull: Pull, data: Any) -> tuple[int, dict[str, str], Any]:
        body = (data or {}).get("body") or ""
        if not body or len(body) > 65536:
            return 422, {}, {"message": "Unprocessable Entity", "errors": ["Invalid body"]}
        comment = {"id": self._next_id(), "user": self._author, "body": body}
        pull.issue_comments.append(comment)
        return 201, {}, comment

    def _edit_issue_comment(self, comment_id: int, data: Any) -> tuple[int, dict[str, str], Any]:
        body = (data or {}).get("body") or ""
        for pull in self.pulls.values():
            for comment in pull.issue_comments:
                if comment["id"] == comment_id:
                    if comment.get("user", {}).get("login") != self._author["login"]:
                        return 403, {}, {"message": "Resource not accessible by integration"}
                    if not body or len(body) > 65536:
                        return 422, {}, {"message": "Unprocessable Entity"}
                    comment["body"] = body
                    return 200, {}, comment
        return 404, {}, {"message": "Not Found"}


def _token(header: str) -> str | None:
    for scheme in ("Bearer ", "token "):
        if header.startswith(scheme):
            return header[len(scheme):].strip()
    return None


def _handler(double: GitHubDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = double.handle(self.command, self.path, headers, body,
                                                   self.headers.get("host", ""))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def github() -> Iterator[GitHubDouble]:
    double = GitHubDouble()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(double))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    double.url = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()


# --- git repositories ----------------------------------------------------------------------

FAST_CONFIG = "[project]\nname = 'demo'\nversion = '0'\n\n[tool.reviewer]\nruff = false\nbandit = false\n"


class GitRepo:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "dev@example.invalid")
        self.git("config", "user.name", "Dev")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, capture_output=True, text=True,
                              check=True)
        return done.stdout

    def commit(self, files: dict[str, str | None], message: str) -> str:
        for name, text in files.items():
            target = self.path / name
            if text is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def pr_files(self, base: str, head: str) -> list[dict[str, Any]]:
        """What the PR files API returns: one entry per changed file, with its `patch`."""
        out = []
        status_names = {"A": "added", "M": "modified", "D": "removed", "R": "renamed"}
        for line in self.git("diff", "--name-status", "-M", f"{base}...{head}").splitlines():
            parts = line.split("\t")
            code, name = parts[0][0], parts[-1]
            diff = self.git("diff", "-M", "-U3", f"{base}...{head}", "--", *parts[1:])
            patch = diff[diff.index("@@"):] if "@@" in diff else None
            item: dict[str, Any] = {"filename": name, "status": status_names.get(code, "modified")}
            if patch is not None:
                item["patch"] = patch.rstrip("\n")
            if code == "R":
                item["previous_filename"] = parts[1]
            out.append(item)
        return out


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No Actions variables from the machine running the tests; tiny backoff; isolated git."""
    for name in list(os.environ):
        if name.startswith(("GITHUB_", "REVIEWER_")) or name in ("GH_TOKEN", "CI") \
                or name.endswith("_API_KEY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REVIEWER_GITHUB_BACKOFF", "0.001")
    # Whatever a test forgets to point at the double must fail here, never reach the internet.
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9/api/v3")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
