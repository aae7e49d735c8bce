"""The REST client against the API double: auth, pagination, retries; and the diff map."""

from __future__ import annotations

from pathlib import Path

import pytest
from ghdouble import READ_TOKEN, REPO, WRITE_TOKEN, GitHubDouble, GitRepo, right_lines

from reviewer.integrations.github import diffmap
from reviewer.integrations.github.api import Client, GitHubError

pytestmark = pytest.mark.usefixtures("clean_env")


def _double_with_comments(github: GitHubDouble, count: int) -> None:
    pull = github.add_pull(1, "a" * 40, "b" * 40, [])
    pull.issue_comments.extend({"id": i, "body": f"c{i}"} for i in range(count))


def test_pagination_follows_link_headers(github: GitHubDouble) -> None:
    _double_with_comments(github, 23)
    github.max_per_page = 5
    client = Client(WRITE_TOKEN, github.url)
    items = list(client.paginate(f"/repos/{REPO}/issues/1/comments"))
    assert [c["id"] for c in items] == list(range(23))
    assert [r.query.get("page", ["1"])[0] for r in github.requests] == ["1", "2", "3", "4", "5"]


def test_auth_and_read_only_tokens(github: GitHubDouble) -> None:
    _double_with_comments(github, 1)
    with pytest.raises(GitHubError) as missing:
        Client(None, github.url).request("GET", f"/repos/{REPO}/pulls/1")
    assert missing.value.status == 401
    with pytest.raises(GitHubError) as bad:
        Client("nope", github.url).request("GET", f"/repos/{REPO}/pulls/1")
    assert bad.value.status == 401 and bad.value.message == "Bad credentials"
    reader = Client(READ_TOKEN, github.url)
    assert reader.request("GET", f"/repos/{REPO}/pulls/1").data["number"] == 1
    with pytest.raises(GitHubError) as denied:
        reader.request("POST", f"/repos/{REPO}/issues/1/comments", {"body": "x"})
    assert denied.value.status == 403 and denied.value.forbidden


def test_retries_5xx_on_reads_but_never_blindly_reposts(github: GitHubDouble) -> None:
    _double_with_comments(github, 1)
    github.fail("GET", "/pulls/1$", status=502, times=2)
    github.fail("POST", "/issues/1/comments$", status=500)
    client = Client(WRITE_TOKEN, github.url)
    assert client.request("GET", f"/repos/{REPO}/pulls/1").status == 200
    with pytest.raises(GitHubError) as failed:
        client.request("POST", f"/repos/{REPO}/issues/1/comments", {"body": "x"})
    assert failed.value.status == 500
    assert [(r.method, r.status) for r in github.requests] == [
        ("GET", 502), ("GET", 502), ("GET", 200), ("POST", 500)]


def test_secondary_rate_limit_honours_retry_after(github: GitHubDouble) -> None:
    _double_with_comments(github, 1)
    github.fail("POST", "/issues/1/comments$", kind="secondary", retry_after="7")
    waits: list[float] = []
    client = Client(WRITE_TOKEN, github.url, backoff=0.001, sleep=waits.append)
    assert client.request("POST", f"/repos/{REPO}/issues/1/comments", {"body": "x"}).status == 201
    assert waits == [7.0]
    assert not GitHubError(403, "You have exceeded a secondary rate limit").forbidden


def test_gives_up_after_the_retries(github: GitHubDouble) -> None:
    _double_with_comments(github, 1)
    github.fail("GET", "/pulls/1$", status=503, times=10)
    client = Client(WRITE_TOKEN, github.url, retries=2, backoff=0.001)
    with pytest.raises(GitHubError) as failed:
        client.request("GET", f"/repos/{REPO}/pulls/1")
    assert failed.value.status == 503 and len(github.requests) == 3


def test_commentable_lines_of_a_patch() -> None:
    patch = ("@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,3 @@ def f():\n x\n+y\n z\n"
             "\\ No newline at end of file")
    assert diffmap.commentable_lines(patch) == {1, 2, 3, 4, 11, 12, 13}


def test_git_diff_map_matches_what_github_shows(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    body = "".join(f"line{i} = {i}\n" for i in range(40))
    base = repo.commit({"keep.py": body, "old name.py": body, "gone.py": "x = 1\n"}, "base")
    repo.git("checkout", "-q", "-b", "feature")
    head = repo.commit({
        "keep.py": body.replace("line5 = 5", "line5 = 55").replace("line30 = 30", "x = 0"),
        "old name.py": None, "new name.py": body.replace("line20 = 20", "line20 = 0"),
        "gone.py": None, "added.py": "a = 1\nb = 2\n",
    }, "change")
    found = diffmap.from_git(base, head, repo.path)
    assert {p: f.status for p, f in found.items()} == {
        "keep.py": "modified", "new name.py": "renamed", "gone.py": "removed", "added.py": "added"}
    assert found["new name.py"].previous_path == "old name.py"
    api = diffmap.from_api_files(repo.pr_files(base, head))
    for path, item in api.items():
        if item.status != "removed":
            assert found[path].lines == item.lines, path
    patches = {f["filename"]: f.get("patch") for f in repo.pr_files(base, head)}
    assert found["keep.py"].lines == right_lines(patches["keep.py"])
    assert found["keep.py"].accepts(6) and not found["keep.py"].accepts(20)
