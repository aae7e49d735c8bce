"""`reviewer github review`: review what a pull request introduces and comment on it.

In Actions it reads the event payload and environment (`GITHUB_EVENT_PATH`, `GITHUB_REPOSITORY`,
`GITHUB_API_URL`, `GITHUB_TOKEN`, `GITHUB_STEP_SUMMARY`); elsewhere `--repo O/R --pr N` with a
token from the environment, or `--dry-run` on a local branch (`--base`, `--head`).

Exit codes: 0 below `--fail-on`, 1 at or above it, 2 when part of the change could not be
reviewed or GitHub refused the review. A read-only token (fork and Dependabot PRs) is not a
failure: the findings go to annotations and the job summary instead.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reviewer.config import FAIL_ON_CHOICES, Config, ConfigError
from reviewer.integrations.atomic import write_atomic
from reviewer.integrations.exit_codes import EXIT_ERROR, exit_code
from reviewer.integrations.github import diffmap, scope
from reviewer.integrations.github.api import Client, GitHubError
from reviewer.integrations.github.event import ActionsEnv, EventError, PullRequest
from reviewer.integrations.github.review import Plan, Previous, plan, remaining
from reviewer.model import Report
from reviewer.report import github as annotations
from reviewer.report import markdown, sarif
from reviewer.sources.git import GitError, repo_root

DEFAULT_MAX_COMMENTS = 20
#: Who posts with the workflow's GITHUB_TOKEN (which may not call GET /user).
ACTIONS_BOT = "github-actions[bot]"
#: Tried in order for a local dry run without --base.
LOCAL_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
LLM_FORK = "LLM critique skipped: fork pull requests get no secrets; the review is static only."
READ_ONLY = ("The token is read-only (a fork or Dependabot pull request), so the findings are "
             "shown as annotations and in the job summary instead of review comments.")


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def register(commands: Any) -> None:
    """Add `github review` to the CLI's sub-commands."""
    github = commands.add_parser("github", help="pull request bot: review a PR, comment on it")
    actions = github.add_subparsers(dest="github_command", required=True, metavar="ACTION")
    cmd = actions.add_parser(
        "review", help="review what a pull request introduces; post one review and a summary",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    cmd.add_argument("--repo", metavar="OWNER/NAME", help="repository (default: from Actions)")
    cmd.add_argument("--pr", type=int, metavar="N", help="pull request number (with --repo)")
    cmd.add_argument("--base", metavar="REF", help="base commit (default: the PR's; locally "
                     "the first of origin/HEAD, origin/main, origin/master, main, master)")
    cmd.add_argument("--head", metavar="REF", help="head commit (default: the PR's, or HEAD)")
    cmd.add_argument("--dry-run", action="store_true",
                     help="print the review that would be posted; post nothing (no token needed)")
    cmd.add_argument("--format", choices=("text", "json"), default="text",
                     help="dry-run output (default text)")
    cmd.add_argument("--fail-on", choices=FAIL_ON_CHOICES,
                     help="lowest severity of an introduced finding that fails (exit 1)")
    cmd.add_argument("--max-comments", type=int, default=DEFAULT_MAX_COMMENTS, metavar="N",
                     help=f"inline comments per run (default {DEFAULT_MAX_COMMENTS})")
    cmd.add_argument("--paths", action="append", default=[], metavar="GLOBS",
                     help="only changed files under these paths/globs (space or comma separated)")
    cmd.add_argument("--sarif", metavar="FILE", help="also write the introduced findings as SARIF")
    cmd.add_argument("--select", type=_codes, help="only these code prefixes (comma-separated)")
    cmd.add_argument("--ignore", type=_codes, help="drop these code prefixes (comma-separated)")
    cmd.add_argument("--model", help="LLM model for the critique (never used on fork PRs)")
    cmd.add_argument("--base-url", help="OpenAI-compatible endpoint for --model")
    cmd.add_argument("--api-url", help="REST API root (default $GITHUB_API_URL or GitHub's)")
    cmd.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")
    cmd.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    cmd.add_argument("--bot-login", metavar="LOGIN",
                     help="the account the bot posts as, when the token cannot say (only its "
                          "comments count as earlier runs'; default: the token's user, or "
                          f"{ACTIONS_BOT} in Actions)")
    cmd.add_argument("--quiet", "-q", action="store_true", help="less on stderr")


def run(args: argparse.Namespace, env: ActionsEnv | None = None) -> int:
    env = env or ActionsEnv.from_environ()
    try:
        return _Run(args, env).main()
    except (GitError, EventError, ConfigError, GitHubError) as exc:
        print(f"reviewer: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


@dataclass
class _Run:
    args: argparse.Namespace
    env: ActionsEnv
    notes: list[str] = field(default_factory=list)
    _bot: str | None | bool = False  #: the login the bot posts as, once known (False: not asked yet)

    def log(self, message: str) -> None:
        if not self.args.quiet:
            print(f"reviewer: {message}", file=sys.stderr)

    def main(self) -> int:
        args = self.args
        if args.max_comments < 0:
            raise ConfigError("--max-comments must be 0 or more")
        if args.jobs is not None and args.jobs < 0:
            raise ConfigError("--jobs must be 0 (one per core) or more")
        root = repo_root(Path.cwd())
        pr, client = self._pull_request()
        head, base_tip = self._commits(pr, root)
        base = scope.merge_base(base_tip, head, root)
        # In Actions a fork PR runs with a read-only token and no secrets; with --repo/--pr the
        # token is the caller's own, so a fork PR is reviewed like any other.
        fork = pr is not None and pr.is_fork and not (args.repo or args.pr is not None)
        config = self._llm(scope.base_config(base_tip, root, {
            "select": args.select, "ignore": args.ignore, "fail_on": args.fail_on,
            "jobs": args.jobs, "cache": False if args.no_cache else None,
        }), fork)
        files = self._files(pr, client, base, head, root)
        paths = [p for value in args.paths for p in re.split(r"[\s,]+", value) if p]
        found = scope.introduced(scope.reviewable(files.values(), config, paths), base, head,
                                 config, root, critique=not fork)
        report = found.report
        previous = self._previous(pr, client)
        planned = plan(report, files, found.units, previous, head_sha=head,
                       max_comments=args.max_comments, notes=self.notes)
        if args.sarif:
            write_atomic(Path(args.sarif), sarif.render(report))
        if args.dry_run:
            self._print_dry_run(planned, pr, base, head)
            self._job_summary(report)
            return exit_code(report, config)
        failed = False
        read_only = fork
        if pr is not None and client is not None and not fork:
            try:
                self._post(planned, pr, client, found, previous)
            except GitHubError as exc:
                if not exc.forbidden:
                    print(f"reviewer: error: posting the review failed: {exc}", file=sys.stderr)
                    self.notes.append(f"Posting the review failed ({exc.status} {exc.message}); "
                                      "the next run completes it.")
                    failed = True
                else:
                    read_only = True
        if read_only:
            self.notes.append(READ_ONLY)
            self.log(READ_ONLY)
            sys.stdout.write(annotations.render(replace(report, notes=(*report.notes, *self.notes))))
        self._job_summary(report)
        return EXIT_ERROR if failed else exit_code(report, config)

    def _llm(self, config: Config, fork: bool) -> Config:
        """--model/--base-url into the LLM settings; none at all on fork PRs (no secrets there).

        Without a key in the environment the critique is off with a note, never an error:
        Dependabot PRs get no secrets either.
        """
        args = self.args
        if fork:
            if args.model or args.base_url or config.llm.model:
                self.notes.append(LLM_FORK)
            return replace(config, llm=replace(config.llm, model="", base_url=""))
        changes = {k: v for k, v in (("model", args.model), ("base_url", args.base_url)) if v}
        return replace(config, llm=replace(config.llm, **changes)) if changes else config

    # --- inputs ------------------------------------------------------------------------------

    def _client(self, token: str | None) -> Client:
        return Client(token, self.args.api_url or self.env.api_url, log=self.log)

    def _pull_request(self) -> tuple[PullRequest | None, Client | None]:
        args, env = self.args, self.env
        if args.repo or args.pr is not None:
            if not (args.repo and args.pr is not None) or "/" not in args.repo:
                raise ConfigError("--repo OWNER/NAME and --pr N go together")
            if not env.token and not args.dry_run:
                raise ConfigError("set GITHUB_TOKEN (or GH_TOKEN) to post, or use --dry-run")
            client = self._client(env.token)
            data = client.request("GET", f"/repos/{args.repo}/pulls/{args.pr}").data
            return PullRequest.from_api(data, args.repo), client
        if env.event_path:
            if env.event_name == "pull_request_target":
                self.log("warning: on pull_request_target never check out or run the PR's code; "
                         "prefer the pull_request event")
            pr = env.pull_request()
            if not env.token and not args.dry_run:
                raise ConfigError("GITHUB_TOKEN is not set; pass the github-token input")
            return pr, self._client(env.token)
        if not args.dry_run:
            raise ConfigError("no pull request: run in GitHub Actions on `pull_request`, pass "
                              "--repo OWNER/NAME --pr N, or preview locally with --dry-run")
        return None, None

    def _commits(self, pr: PullRequest | None, root: Path) -> tuple[str, str]:
        args = self.args
        if pr is not None:
            head = scope.ensure_commit(args.head or pr.head_sha, root, [f"pull/{pr.number}/head"])
            base = scope.ensure_commit(args.base or pr.base_sha, root,
                                       [pr.base_ref] if pr.base_ref else [])
            return head, base
        head = scope.resolve(args.head or "HEAD", root)
        if head is None:
            raise GitError(f"unknown --head {args.head or 'HEAD'}")
        for candidate in [args.base] if args.base else LOCAL_BASES:
            base = scope.resolve(candidate, root)
            if base is not None:
                return head, base
        if args.base:
            raise GitError(f"unknown --base {args.base}")
        raise GitError("no base branch found (tried " + ", ".join(LOCAL_BASES) + "); pass --base REF")

    def _files(self, pr: PullRequest | None, client: Client | None, base: str, head: str,
               root: Path) -> dict[str, diffmap.ChangedFile]:
        """GitHub's own view of the diff when we can ask for it, else git's."""
        if pr is not None and client is not None and not self.args.head:
            try:
                return diffmap.from_api_files(
                    client.paginate(f"/repos/{pr.repo}/pulls/{pr.number}/files"))
            except GitHubError as exc:
                if not self.args.dry_run:
                    raise
                self.log(f"cannot list the PR's files ({exc.status} {exc.message}); using git diff")
        return diffmap.from_git(base, head, root)

    def _identity(self, client: Client) -> str | None:
        """The login the bot posts as, once per run: the token's user (a personal token, a
        GitHub App's user-to-server token), else `github-actions[bot]` for the Actions token
        (which may not ask who it is), else `--bot-login`."""
        if self._bot is not False:
            return self._bot  # type: ignore[return-value]
        bot: str | None = self.args.bot_login or None
        if bot is None:
            try:
                login = client.request("GET", "/user").data.get("login")
                bot = login if isinstance(login, str) and login else None
            except (GitHubError, AttributeError) as exc:
                if self.env.in_actions:
                    bot = ACTIONS_BOT
                else:
                    self.log(f"cannot tell which account posts ({exc}); earlier comments are not "
                             "trusted (pass --bot-login)")
        self._bot = bot
        return bot

    def _previous(self, pr: PullRequest | None, client: Client | None) -> Previous:
        if pr is None or client is None:
            return Previous({}, {})
        try:
            previous = Previous.from_comments(
                client.paginate(f"/repos/{pr.repo}/pulls/{pr.number}/comments"),
                client.paginate(f"/repos/{pr.repo}/issues/{pr.number}/comments"),
                self._identity(client),
            )
            if previous.imitations:
                self.log(f"ignored {previous.imitations} comment(s) by other accounts that carry "
                         "reviewer's markers: only the bot's own comments count")
            return previous
        except GitHubError as exc:
            if not self.args.dry_run:
                raise
            self.log(f"cannot read earlier comments ({exc.status} {exc.message})")
            return Previous({}, {})

    # --- outputs -----------------------------------------------------------------------------

    def _post(self, planned: Plan, pr: PullRequest, client: Client, found: scope.Scope,
              previous: Previous) -> None:
        """One review, then the summary. A POST whose answer was lost (5xx, no response) may
        have been applied: look at the PR before sending it again, so nothing is doubled."""
        repo, number = pr.repo, pr.number
        comments_path = f"/repos/{repo}/pulls/{number}/comments"
        body = planned.review
        for attempt in range(3):
            if body is None:
                break
            try:
                client.request("POST", f"/repos/{repo}/pulls/{number}/reviews", body)
                self.log(f"posted a review with {len(body['comments'])} inline comments "
                         f"on {repo}#{number}")
                break
            except GitHubError as exc:
                if exc.status == 422:  # GitHub's diff disagrees with ours: no inline comments
                    self.log(f"GitHub refused the inline comments ({exc.message}); "
                             "listing them in the summary instead")
                    self.notes.append("GitHub refused the inline comments "
                                      f"({exc.message}); they are listed here instead.")
                    planned = plan(found.report, {}, found.units, previous,
                                   head_sha=planned.head_sha, max_comments=0, notes=self.notes)
                    break
                if (exc.status and exc.status < 500) or attempt == 2:
                    raise
                client.sleep(client.backoff * 2 ** attempt)  # the client's own retries ran out
                already = Previous.from_comments(client.paginate(comments_path), [],
                                                 self._identity(client)).commented
                body = remaining(body, already)
        self._upsert_summary(planned, pr, client)

    def _upsert_summary(self, planned: Plan, pr: PullRequest, client: Client) -> None:
        summary_id = planned.summary_id
        for attempt in range(3):
            try:
                if summary_id is not None:
                    client.request("PATCH", f"/repos/{pr.repo}/issues/comments/{summary_id}",
                                   {"body": planned.summary})
                    self.log(f"updated the summary comment {summary_id}")
                else:
                    client.request("POST", f"/repos/{pr.repo}/issues/{pr.number}/comments",
                                   {"body": planned.summary})
                    self.log("created the summary comment")
                return
            except GitHubError as exc:
                if exc.status == 404 and summary_id is not None:  # deleted meanwhile
                    summary_id = None
                    continue
                if (exc.status and exc.status < 500) or attempt == 2:
                    raise
                client.sleep(client.backoff * 2 ** attempt)
                found = Previous.from_comments(
                    [], client.paginate(f"/repos/{pr.repo}/issues/{pr.number}/comments"), self._identity(client))
                summary_id = found.summary_id

    def _job_summary(self, report: Report) -> None:
        path = self.env.step_summary
        if not path:
            return
        shown = replace(report, notes=(*report.notes, *self.notes))
        text = markdown.render(shown, max_rows=1000).replace(
            "## Code review", "## reviewer: findings this pull request introduces", 1)
        try:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as exc:
            print(f"reviewer: warning: cannot write the job summary {path}: {exc}", file=sys.stderr)

    def _print_dry_run(self, planned: Plan, pr: PullRequest | None, base: str, head: str) -> None:
        target = f"{pr.repo}#{pr.number}" if pr else "local branch"
        if self.args.format == "json":
            data = {
                "pull_request": target, "base": base, "head": head,
                "review": planned.review,
                "summary": {"comment_id": planned.summary_id, "body": planned.summary},
            }
            print(json.dumps(data, indent=2))
            return
        out = [(f"# Dry run: nothing was posted ({target}, merge base {base[:12]}, "
               f"head {head[:12]})"), ""]
        if planned.review is None:
            out += ["## Review: none (no new inline comments)", ""]
        else:
            review = planned.review
            out += [(f"## Review on {head[:12]} ({review['event']}), "
                    f"{len(review['comments'])} inline comments"), "", review["body"], ""]
            for comment in review["comments"]:
                out += [f"### {comment['path']}:{comment['line']}", "", comment["body"], ""]
        action = "update comment " + str(planned.summary_id) if planned.summary_id else "create"
        out += [f"## Summary comment ({action})", "", planned.summary]
        print("\n".join(out))
