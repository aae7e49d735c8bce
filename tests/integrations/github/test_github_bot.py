"""`reviewer github review` end to end: real git repositories, the REST API double on 127.0.0.1."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from ghdouble import (
    FAST_CONFIG,
    READ_TOKEN,
    REPO,
    WRITE_TOKEN,
    GitHubDouble,
    GitRepo,
    Pull,
)

from reviewer.integrations.cli import main
from reviewer.integrations.github.review import SUMMARY_MARKER, decode_state

pytestmark = pytest.mark.usefixtures("clean_env")

BASE_APP = "import yaml\n\n\ndef old(item, seen={}):\n    return seen\n"
YAML_LOAD = "\n\ndef read(path):\n    with open(path) as f:\n        return yaml.load(f)\n"
MUTABLE = "\n\ndef collect(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n"


@dataclass
class Scenario:
    repo: GitRepo
    github: GitHubDouble
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    head_repo: str = REPO
    number: int = 7
    base: str = ""
    head: str = ""
    outputs: list[tuple[int, str, str]] = field(default_factory=list)

    def start(self, base_files: dict[str, str | None], head_files: dict[str, str | None],
              config: str = FAST_CONFIG) -> None:
        self.base = self.repo.commit({"pyproject.toml": config, **base_files}, "base")
        self.repo.git("checkout", "-q", "-b", "feature")
        self.push(head_files)

    def push(self, files: dict[str, str | None]) -> str:
        self.repo.git("checkout", "-q", "feature")
        self.head = self.repo.commit(files, "change")
        self.github.add_pull(self.number, self.base, self.head,
                             self.repo.pr_files(self.base, self.head), head_repo=self.head_repo)
        # Like actions/checkout on pull_request: the merge commit, detached.
        self.repo.git("checkout", "-q", "--detach", self.base)
        self.repo.git("merge", "-q", "--no-ff", "--no-edit", self.head)
        return self.head

    def run(self, *args: str, token: str | None = WRITE_TOKEN) -> tuple[int, str, str]:
        event = self.tmp / "event.json"
        pull = self.github.pulls[self.number].data()
        event.write_text(json.dumps({"action": "synchronize", "number": self.number,
                                     "pull_request": pull}))
        env = {
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": self.github.url, "GITHUB_STEP_SUMMARY": str(self.summary_file),
        }
        for key, value in env.items():
            self.monkeypatch.setenv(key, value)
        if token:
            self.monkeypatch.setenv("GITHUB_TOKEN", token)
        self.monkeypatch.chdir(self.repo.path)
        code = main(["github", "review", "--no-cache", *args])
        out, err = self.capsys.readouterr()
        self.outputs.append((code, out, err))
        return code, out, err

    @property
    def summary_file(self) -> Path:
        return self.tmp / "step-summary.md"

    @property
    def pull(self) -> Pull:
        return self.github.pulls[self.number]

    def summaries(self) -> list[str]:
        return [c["body"] for c in self.pull.issue_comments if c["body"].startswith(SUMMARY_MARKER)]

    def fingerprints(self) -> list[str]:
        return [fp for c in self.pull.review_comments
                for fp in re.findall(r"<!-- reviewer:fp=(\w+) -->", c["body"])]


@pytest.fixture
def scenario(tmp_path: Path, github: GitHubDouble, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Scenario:
    return Scenario(GitRepo(tmp_path / "repo"), github, tmp_path, monkeypatch, capsys)


def test_first_review_comments_inline_with_a_suggestion(scenario: Scenario) -> None:
    # The full toolchain once (engine + ruff + bandit, merged); the other tests run the engine
    # only. The settings come from the base commit: the PR cannot switch its own review off.
    scenario.start({"app.py": BASE_APP},
                   {"app.py": BASE_APP + YAML_LOAD + MUTABLE,
                    "pyproject.toml": "[tool.reviewer]\nignore = ['RV', 'B', 'S']\n"},
                   config="[project]\nname = 'demo'\nversion = '0'\n")
    sarif_path = scenario.tmp / "out.sarif"
    code, out, err = scenario.run("--sarif", str(sarif_path))
    assert code == 1, err  # RV102 is an error (fail-on error by default)
    reviews = scenario.pull.reviews
    assert len(reviews) == 1 and reviews[0]["commit_id"] == scenario.head
    comments = scenario.pull.review_comments
    # The mutable default's fix spans two lines: a multi-line comment carries its suggestion.
    assert [(c["path"], c["start_line"], c["line"]) for c in comments] == [("app.py", None, 10), ("app.py", 13, 14)]
    first, second = (c["body"] for c in comments)
    assert first.startswith("**RV102**")  # highest severity first
    assert "```suggestion\n        return yaml.safe_load(f)\n```" in first
    assert "Unsafe fix" in first  # yaml.safe_load refuses Python tags the old call accepted
    assert "B506" in first  # bandit's duplicate merged into ours
    assert second.startswith("**RV201**")
    assert ("```suggestion\ndef collect(item, bucket=None):\n    if bucket is None:\n        bucket = []\n"
            "    bucket.append(item)\n```") in second
    assert len(set(scenario.fingerprints())) == 2
    # The finding the base already had is not reported.
    assert all("old" not in c["body"] for c in comments)
    [summary] = scenario.summaries()
    assert "2 new findings (1 error, 1 warning)" in summary
    assert "1 finding already there before this pull request is not counted" in summary
    assert "2 commented inline in this review" in summary
    assert set(decode_state(summary)) == set(scenario.fingerprints())
    results = json.loads(sarif_path.read_text())["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["RV102", "RV201"]
    assert "RV102" in scenario.summary_file.read_text()
    assert out == ""  # no annotations when comments could be posted
    writes = scenario.github.writes()
    assert [(w.method, w.path.rsplit("/", 1)[-1]) for w in writes] == [
        ("POST", "reviews"), ("POST", "comments")]
    assert all(r.token == WRITE_TOKEN for r in scenario.github.requests)


def test_second_push_fixes_one_adds_one_without_duplicates(scenario: Scenario) -> None:
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + YAML_LOAD + MUTABLE})
    assert scenario.run()[0] == 1
    assert len(scenario.pull.review_comments) == 2
    first_summary_id = scenario.pull.issue_comments[0]["id"]

    # Push 2: the yaml.load is fixed, a new mutable default appears; the old RV201 stays.
    fixed = YAML_LOAD.replace("yaml.load(f)", "yaml.safe_load(f)")
    new = "\n\ndef tally(item, counts={}):\n    return counts\n"
    scenario.push({"app.py": BASE_APP + fixed + MUTABLE + new})
    code, _, err = scenario.run()
    assert code == 0, err  # only warnings left
    assert len(scenario.pull.reviews) == 2
    fingerprints = scenario.fingerprints()
    assert len(fingerprints) == len(set(fingerprints)) == 3
    newest = [c for c in scenario.pull.review_comments
              if c["pull_request_review_id"] == scenario.pull.reviews[1]["id"]]
    assert [(c["start_line"], c["line"]) for c in newest] == [(18, 19)]
    assert newest[0]["body"].startswith("**RV201**")
    # One sticky summary, updated in place, naming the fixed finding.
    assert [c["id"] for c in scenario.pull.issue_comments] == [first_summary_id]
    [summary] = scenario.summaries()
    assert "Fixed since the last review" in summary and "~~`RV102`~~ in `app.py` line 10" in summary
    assert "1 commented inline on an earlier push" in summary
    assert [w.method for w in scenario.github.writes()][-1] == "PATCH"

    # Push 3 changes nothing reviewable: no review at all, the summary is updated once more.
    scenario.push({"README.md": "docs\n"})
    assert scenario.run()[0] == 0
    assert len(scenario.pull.reviews) == 2 and len(scenario.pull.issue_comments) == 1


def test_fork_pr_is_static_only_with_annotations_and_no_writes(scenario: Scenario) -> None:
    scenario.head_repo = "someone/demo-fork"
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + MUTABLE})
    code, out, err = scenario.run("--model", "gpt-test", "--base-url", "http://127.0.0.1:9/v1",
                                  token=READ_TOKEN)
    assert code == 0, err  # a warning only, and a read-only token is no failure
    assert scenario.github.writes() == []
    assert "::warning file=app.py,line=8" in out
    summary = scenario.summary_file.read_text()
    assert "RV201" in summary and "read-only" in summary
    assert "LLM critique skipped: fork pull requests get no secrets" in summary
    # Findings at fail-on still fail the check.
    assert scenario.run("--fail-on", "warning", token=READ_TOKEN)[0] == 1


def test_read_only_token_on_a_same_repo_pr_falls_back(scenario: Scenario) -> None:
    """Dependabot PRs: not a fork, yet a read-only token; GitHub answers 403 on the first write."""
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + MUTABLE})
    code, out, err = scenario.run("--model", "gpt-test", token=READ_TOKEN)
    assert code == 0, err
    assert [(w.method, w.status) for w in scenario.github.writes()] == [("POST", 403)]
    assert scenario.pull.reviews == [] and scenario.pull.issue_comments == []
    assert "::warning file=app.py" in out and "read-only" in err
    summary = scenario.summary_file.read_text()
    # Dependabot PRs get no secrets either: without a key the critique is off, not an error.
    assert "LLM critique off" in summary and "OPENAI_API_KEY is not set" in summary


def test_notebook_findings_go_to_the_summary_with_cells(scenario: Scenario) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"),
                      nbformat.v4.new_code_cell("import yaml"),
                      nbformat.v4.new_code_cell("x = 1\n\ndef add(item, bucket=[]):\n    return bucket")]
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    scenario.start({"app.py": BASE_APP}, {"analysis.ipynb": nbformat.writes(notebook)})
    code, _, err = scenario.run()
    assert code == 0, err
    assert scenario.pull.reviews == []  # nothing can be commented inline: no review at all
    [summary] = scenario.summaries()
    assert "| `analysis.ipynb` cell 3, line 3 |" in summary and "notebook cell" in summary


def test_200_findings_with_max_comments_10(scenario: Scenario) -> None:
    scenario.github.max_per_page = 7  # every list is paginated
    functions = "".join(f"\n\ndef f{i}(item, bucket=[]):\n    return bucket\n" for i in range(195))
    errors = "".join(f"\n\ndef g{i}(path):\n    return yaml.load(path)\n" for i in range(5))
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + functions + errors})
    code, _, err = scenario.run("--max-comments", "10")
    assert code == 1, err
    assert len(scenario.pull.reviews) == 1
    comments = scenario.pull.review_comments
    assert len(comments) == 10
    assert sum(c["body"].startswith("**RV102**") for c in comments) == 5  # errors first
    [summary] = scenario.summaries()
    assert len(summary) < 65536
    assert "200 new findings" in summary and "10 commented inline in this review" in summary
    assert "... and 90 more" in summary
    assert len(decode_state(summary)) == 200
    pages = [r for r in scenario.github.requests if r.method == "GET" and r.path.endswith("/files")]
    assert len(pages) == 1  # one changed file
    # A re-run (same commit) adds nothing: the rest stays in the summary.
    assert scenario.run("--max-comments", "10")[0] == 1
    assert len(scenario.pull.reviews) == 1 and len(scenario.pull.review_comments) == 10
    comment_pages = [r for r in scenario.github.requests
                     if r.method == "GET" and r.path.endswith("/pulls/7/comments")]
    assert len(comment_pages) >= 1 + 2  # first run: empty list; re-run: 10 comments / 7 a page
    assert len(scenario.summaries()) == 1


def test_failure_midway_and_the_retry_complete_without_duplicates(scenario: Scenario) -> None:
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + YAML_LOAD + MUTABLE})
    # The review is created but its response is lost; then the summary cannot be written.
    scenario.github.fail("POST", r"/pulls/7/reviews$", status=502, kind="lost")
    scenario.github.fail("POST", r"/issues/7/comments$", status=500, times=3)
    scenario.github.fail("GET", r"/pulls/7/files$", status=503)  # retried by the client
    code, _, err = scenario.run()
    assert code == 2 and "posting the review failed" in err
    assert len(scenario.pull.reviews) == 1  # the lost response was not answered by a repost
    assert len(scenario.pull.review_comments) == 2
    assert scenario.summaries() == []
    # The next run completes the job: no second review, one summary.
    code, _, err = scenario.run()
    assert code == 1, err
    assert len(scenario.pull.reviews) == 1 and len(scenario.pull.review_comments) == 2
    assert len(scenario.summaries()) == 1


def test_secondary_rate_limit_is_waited_out(scenario: Scenario) -> None:
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + MUTABLE})
    scenario.github.fail("POST", r"/pulls/7/reviews$", kind="secondary", retry_after="0")
    scenario.github.fail("GET", r"/issues/7/comments$", kind="secondary", retry_after="0")
    code, _, err = scenario.run()
    assert code == 0, err
    posts = [r.status for r in scenario.github.requests if r.path.endswith("/reviews")]
    assert posts == [403, 200]
    assert "secondary rate limit" in err
    assert len(scenario.pull.reviews) == 1 and len(scenario.summaries()) == 1


def test_lines_github_refuses_move_to_the_summary(scenario: Scenario) -> None:
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + MUTABLE})
    scenario.github.refuse_lines.add(("app.py", 8))  # GitHub's diff disagrees with ours
    code, _, err = scenario.run()
    assert code == 0, err
    assert scenario.pull.reviews == []
    [summary] = scenario.summaries()
    assert "GitHub refused the inline comments" in summary and "| `app.py` line 8 |" in summary


def test_finding_outside_the_diff_is_summarised(scenario: Scenario) -> None:
    """An identical flagged definition added at the top shifts the occurrence count: the
    introduced fingerprint is the old line at the bottom, which GitHub cannot take a comment on."""
    flagged = "def f(a=[]):\n    return a\n"
    base = "import yaml\n" + "".join(f"X{i} = {i}\n" for i in range(20)) + "\n\n" + flagged
    scenario.start({"app.py": base}, {"app.py": flagged + "\n\n" + base})
    code, _, err = scenario.run()
    assert code == 0, err
    assert scenario.pull.reviews == []
    [summary] = scenario.summaries()
    assert "| `app.py` line 28 |" in summary and "outside the diff" in summary


def test_repo_and_pr_flags_outside_actions(scenario: Scenario, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + MUTABLE})
    scenario.github.users[WRITE_TOKEN] = "octo-reviewer"  # a personal token: GET /user answers
    monkeypatch.setenv("GH_TOKEN", WRITE_TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", scenario.github.url)
    monkeypatch.chdir(scenario.repo.path)
    for _ in range(2):  # the second run knows its own comments by the token's login
        code = main(["github", "review", "--repo", REPO, "--pr", "7", "--no-cache", "-q"])
        _, err = capsys.readouterr()
        assert code == 0, err
    assert len(scenario.pull.reviews) == 1 and len(scenario.summaries()) == 1
    assert {c["user"]["login"] for c in scenario.pull.review_comments} == {"octo-reviewer"}
    assert scenario.github.requests[0].path.endswith("/repos/octo/demo/pulls/7")


def test_markers_in_other_peoples_comments_are_ignored(scenario: Scenario) -> None:
    """The PR's author computes the fingerprints (anyone can run reviewer) and posts comments
    with the bot's markers and a fake summary: the bot comments anyway, edits nothing it does
    not own and creates its own summary."""
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + YAML_LOAD + MUTABLE})
    assert scenario.run("--dry-run", "--format", "json")[0] == 1
    fingerprints = [c["body"] for c in json.loads(scenario.outputs[-1][1])["review"]["comments"]]
    forged = re.findall(r"<!-- reviewer:fp=\w+ -->", "".join(fingerprints))
    assert len(forged) == 2
    author = {"login": "pr-author", "type": "User"}
    scenario.pull.review_comments.extend(
        {"id": 10 + i, "user": author, "path": "app.py", "line": 10, "body": f"**RV102** fine {marker}"}
        for i, marker in enumerate(forged))
    scenario.pull.issue_comments.append({"id": 99, "user": author, "body": SUMMARY_MARKER + "\nAll good!"})
    code, _, err = scenario.run()
    assert code == 1, err
    ours = [c for c in scenario.pull.review_comments if c["user"]["login"] == "github-actions[bot]"]
    assert len(ours) == 2  # every finding of the change, despite the forged markers
    assert scenario.pull.issue_comments[0]["body"] == SUMMARY_MARKER + "\nAll good!"  # not edited
    assert [w.method for w in scenario.github.writes()] == ["POST", "POST"]  # review, own summary
    assert len(scenario.summaries()) == 2
    assert "ignored 3 comment(s) by other accounts" in err


def test_dry_run_on_a_local_branch_posts_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"pyproject.toml": FAST_CONFIG, "app.py": BASE_APP}, "base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit({"app.py": BASE_APP + YAML_LOAD + MUTABLE}, "change")
    monkeypatch.chdir(repo.path)
    assert main(["github", "review", "--dry-run", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "# Dry run: nothing was posted (local branch" in out
    assert "### app.py:10" in out and "```suggestion" in out and SUMMARY_MARKER in out
    assert main(["github", "review", "--dry-run", "--format", "json", "--base", "main",
                 "--no-cache", "--fail-on", "never"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c.get("start_line"), c["line"]) for c in data["review"]["comments"]] == [(None, 10), (13, 14)]
    assert data["summary"]["comment_id"] is None
    assert main(["github", "review", "--dry-run", "--no-cache", "--paths", "lib, docs/*"]) == 0
    out = capsys.readouterr().out
    assert "## Review: none" in out and "reviewer: no new findings" in out


def test_without_a_pull_request_or_dry_run_it_refuses(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    repo = GitRepo(tmp_path / "repo")
    repo.commit({"app.py": "x = 1\n"}, "base")
    monkeypatch.chdir(repo.path)
    assert main(["github", "review"]) == 2
    assert "--dry-run" in capsys.readouterr().err


def test_hostile_files_in_a_pull_request_do_not_hide_its_real_findings(scenario: Scenario) -> None:
    hostile = Path(__file__).resolve().parents[2] / "corpus" / "hostile"
    crafted = {name: (hostile / name).read_text() for name in ("deep_parens.py", "long_chain.py",
                                                               "null_source.ipynb")}
    scenario.start({"app.py": BASE_APP}, {"app.py": BASE_APP + YAML_LOAD, **crafted})
    code, _, err = scenario.run()
    assert code == 2, err  # part of the change could not be reviewed
    assert "Traceback" not in err
    assert [c["body"].split("**")[1] for c in scenario.pull.review_comments] == ["RV102"]
    [summary] = scenario.summaries()
    for name in crafted:
        assert name in summary, name  # each file that could not be reviewed is named, with why


def test_a_suggestion_must_fit_in_the_lines_of_the_diff() -> None:
    from reviewer.integrations.github.diffmap import ChangedFile
    from reviewer.integrations.github.review import suggested_lines
    from reviewer.model import Applicability, Edit, Finding, Fix, Location
    from reviewer.sources import load_text

    unit = load_text("import os\nimport sys\n\nprint(sys.argv)\n", "app.py")
    remove = Fix("Remove unused import", (Edit(1, 1, 2, 1, ""),), Applicability.SAFE)
    insert = Fix("Add a line", (Edit(2, 1, 2, 1, "x = 1\n"), Edit(4, 7, 4, 15, "x")), Applicability.SAFE)
    finding = Finding("F401", "unused", "m", Location("app.py", 1), fix=remove)
    assert suggested_lines(finding, unit, ChangedFile("app.py", "modified", lines=frozenset({1}))) == (1, 1, "")
    wide = Finding("RV999", "demo", "m", Location("app.py", 4), fix=insert)
    assert suggested_lines(wide, unit, ChangedFile("app.py", "modified", lines=frozenset({2, 4}))) is None
    assert suggested_lines(wide, unit, ChangedFile("app.py", "modified", lines=frozenset({2, 3, 4}))) == (
        2, 4, "x = 1\nimport sys\n\nprint(x)")
