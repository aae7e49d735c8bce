"""`reviewer` command line: scan, rules, explain, baseline.

Exit codes: 0 below --fail-on, 1 at or above it, 2 when anything could not be reviewed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reviewer import __version__, baseline
from reviewer.config import FAIL_ON_CHOICES, Config, ConfigError, load_config
from reviewer.engine import all_rules, find_rule
from reviewer.engine.packs import PackRule
from reviewer.engine.registry import describe
from reviewer.engine.rule import dedent
from reviewer.integrations import fix_command
from reviewer.integrations import github as github_bot
from reviewer.integrations.atomic import write_atomic
from reviewer.integrations.exit_codes import EXIT_ERROR, EXIT_OK, exit_code
from reviewer.integrations.snippets import Snippets
from reviewer.integrations.tool_docs import tool_code_docs
from reviewer.llm import DryRunClient, LLMRun
from reviewer.llm.pack import Check, load_pack
from reviewer.model import Finding, Report, ToolError
from reviewer.pipeline import review
from reviewer.report import FORMATS, render


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in value.split(",") if code.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewer",
        description="Review Python code and Jupyter notebooks (engine rules + ruff + bandit).",
    )
    parser.add_argument("--version", action="version", version=f"reviewer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    scan = commands.add_parser("scan", help="review files, directories or stdin (-)")
    _add_scan_options(scan)
    scan.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    scan.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    scan.add_argument("--no-baseline", action="store_true", help="show baselined findings too")
    scan.add_argument("--show-superseded", action="store_true",
                      help="also list the ruff/bandit findings our own rules contradict (never fail on them)")
    scan.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour text output"
    )
    _add_llm_options(scan)

    base = commands.add_parser("baseline", help="accept current findings: write their fingerprints")
    _add_scan_options(base)
    base.add_argument("--output", "-o", metavar="FILE", help="baseline file (default from config)")

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    explain = commands.add_parser("explain", help="show a rule's documentation and examples")
    explain.add_argument("code", help="rule code, e.g. RV101")
    fix_command.register(commands, _codes)
    github_bot.register(commands)
    return parser


def _add_scan_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("paths", nargs="*", default=["."], help="files or directories; - for stdin")
    cmd.add_argument("--select", type=_codes, help="only these code prefixes (comma-separated)")
    cmd.add_argument("--ignore", type=_codes, help="drop these code prefixes (comma-separated)")
    cmd.add_argument("--fail-on", choices=FAIL_ON_CHOICES, help="lowest severity that fails (exit 1)")
    cmd.add_argument("--diff", metavar="REF", help="only findings introduced since git REF")
    cmd.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")
    cmd.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    cmd.add_argument("--stdin-filename", default="<stdin>", help="name for code read from stdin")
    cmd.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def _add_llm_options(cmd: argparse.ArgumentParser) -> None:
    llm = cmd.add_argument_group("LLM critique (off unless a model is configured)")
    llm.add_argument("--llm", action="store_true", help="run LLM critique (needs a model)")
    llm.add_argument("--no-llm", action="store_true", help="static review only, even if a model is configured")
    llm.add_argument("--model", help="model name (Azure: deployment name); implies --llm")
    llm.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1")
    llm.add_argument("--llm-budget", type=int, metavar="TOKENS", help="stop sending after this many tokens")
    llm.add_argument("--llm-dry-run", action="store_true",
                     help="print exactly what would be sent to the model; send nothing")
    llm.add_argument("--llm-triage", action="store_true",
                     help="ask the model to judge each static security finding")
    llm.add_argument("--hide-triaged", action="store_true",
                     help="hide findings the LLM triage judged likely false")
    llm.add_argument("--verbose", "-v", action="store_true",
                     help="explain on stderr how many LLM findings were dropped and why")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "rules":
            return _rules(args.format)
        if args.command == "explain":
            return _explain(args.code)
        if args.command == "github":
            return github_bot.run(args)
        config = _config(args)
        if args.command == "baseline":
            return _baseline(args, config)
        if args.command == "fix":
            progress = None if args.quiet else _Progress()
            try:
                return fix_command.run(args, config, progress)
            finally:
                if progress is not None:
                    progress.close()
        return _scan(args, config)
    except ConfigError as exc:
        print(f"reviewer: error: {exc}", file=sys.stderr)
        _report_config_error(args, exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("reviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`reviewer rules | head`): stop quietly, and keep Python's exit
        # flush of stdout from complaining about the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _report_config_error(args: argparse.Namespace, exc: ConfigError) -> None:
    """With `-o`, a scan that cannot start still writes its report (the error in it), so a CI
    step that uploads the file shows why instead of failing on a missing file."""
    output = getattr(args, "output", None)
    if args.command != "scan" or not output:
        return
    report = Report(errors=tuple(ToolError("config", line) for line in str(exc).splitlines()))
    try:
        write_atomic(Path(output), render(args.format, report))
    except OSError as write_error:
        print(f"reviewer: error: cannot write {output}: {write_error}", file=sys.stderr)


def run() -> int:
    """The console script (`reviewer`, `python -m reviewer`): `main()` with no traceback for the
    user when reviewer itself has a bug; `REVIEWER_DEBUG=1` shows it."""
    try:
        return main()
    except Exception as exc:  # noqa: RV202 - reported: a bug must not show the user a traceback
        if os.environ.get("REVIEWER_DEBUG"):
            raise
        print(f"reviewer: internal error: {type(exc).__name__}: {exc} (please report it; "
              "REVIEWER_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_ERROR


def _config(args: argparse.Namespace) -> Config:
    if args.jobs is not None and args.jobs < 0:
        raise ConfigError("--jobs must be 0 (one per core) or more")
    first = next((Path(p) for p in args.paths if p != "-"), Path.cwd())
    start = first if first.exists() else Path.cwd()
    overrides: dict[str, Any] = {
        "select": args.select,
        "ignore": args.ignore,
        "fail_on": args.fail_on,
        "jobs": args.jobs,
        "cache": False if args.no_cache else None,
    }
    return _llm_config(args, load_config(start, overrides))


def _llm_config(args: argparse.Namespace, config: Config) -> Config:
    """Apply the LLM flags (scan only) on top of `[tool.reviewer.llm]` and REVIEWER_LLM_*."""
    if getattr(args, "no_llm", False):
        return replace(config, llm=replace(config.llm, model=""))
    changes: dict[str, Any] = {}
    if getattr(args, "model", None):
        changes["model"] = args.model
    if getattr(args, "base_url", None):
        changes["base_url"] = args.base_url
    if getattr(args, "llm_budget", None) is not None:
        if args.llm_budget < 0:
            raise ConfigError("--llm-budget must be 0 (no limit) or more tokens")
        changes["budget_tokens"] = args.llm_budget
    if getattr(args, "llm_triage", False):
        changes["triage"] = True
    config = replace(config, llm=replace(config.llm, **changes))
    wants = getattr(args, "llm", False) or getattr(args, "llm_triage", False)
    if wants and not config.llm.model and not getattr(args, "llm_dry_run", False):
        raise ConfigError("LLM critique needs a model: set [tool.reviewer.llm] model, "
                          "REVIEWER_LLM_MODEL or --model (and --base-url for a local server)")
    return config


def _llm_run(args: argparse.Namespace, config: Config) -> LLMRun:
    requested = bool(getattr(args, "llm", False) or getattr(args, "model", None)
                     or getattr(args, "llm_triage", False))
    client = None
    if getattr(args, "llm_dry_run", False):
        client = DryRunClient(config.llm.model or "(no model configured)",
                              config.llm.base_url.rstrip("/") or "the OpenAI API")
    return LLMRun(requested=requested, client=client,
                  note_when_off=args.command == "scan" and not getattr(args, "no_llm", False))


def _run(args: argparse.Namespace, config: Config, use_baseline: bool) -> tuple[Report, str | None]:
    stdin_text = sys.stdin.read() if "-" in args.paths else None
    progress = None if args.quiet else _Progress()
    llm = _llm_run(args, config)
    report = review(
        args.paths,
        config,
        stdin_text=stdin_text,
        stdin_name=args.stdin_filename,
        diff_ref=args.diff,
        use_baseline=use_baseline,
        progress=progress,
        llm=llm,
    )
    if progress is not None:
        progress.close()
    if isinstance(llm.client, DryRunClient):
        _dry_run_summary(llm.client, report)
    return report, stdin_text


def _dry_run_summary(client: DryRunClient, report: Report) -> None:
    sys.stdout.write(client.render())
    hits = report.llm.get("cache_hits", 0)
    print(f"reviewer: dry run: {len(client.requests)} requests would be sent to {client.endpoint} "
          f"(model {client.model}){f'; {hits} answered from the cache' if hits else ''}; "
          "nothing was sent", file=sys.stderr)


def hide_triaged(report: Report) -> Report:
    """Drop findings the LLM triage judged likely false, saying how many in a note."""
    kept = [f for f in report.findings if f.triage != "likely-false"]
    hidden = len(report.findings) - len(kept)
    if not hidden:
        return report
    note = f"{hidden} finding{'s' if hidden != 1 else ''} judged likely false by LLM triage hidden (--hide-triaged)."
    return replace(report, findings=tuple(kept), notes=(*report.notes, note))


def _explain_tool_code(code: str) -> bool:
    """Print a bandit or ruff code's documentation from the tool itself; False when neither knows it."""
    docs = tool_code_docs(code)
    if docs is None:
        return False
    print(docs.rstrip("\n"))
    return True


def _explain_drops(report: Report) -> None:
    usage = report.llm
    if not usage:
        print("reviewer: llm: LLM critique did not run", file=sys.stderr)
        return
    dropped = usage.get("dropped", {})
    reasons = ", ".join(f"{n} {reason}" for reason, n in dropped.items()) or "none"
    print(f"reviewer: llm: {usage.get('findings', 0)} findings kept; dropped by grounding: {reasons}; "
          f"{usage.get('rejected', 0)} replies rejected (schema); {usage.get('skipped', 0)} requests "
          f"not sent; {usage.get('excluded_files', 0)} files excluded", file=sys.stderr)


def _scan(args: argparse.Namespace, config: Config) -> int:
    report, stdin_text = _run(args, config, use_baseline=not args.no_baseline)
    if args.llm_dry_run:
        return EXIT_OK
    if args.verbose:
        _explain_drops(report)
    if args.hide_triaged:
        report = hide_triaged(report)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    shown = with_superseded(report) if args.show_superseded else report
    text = render(args.format, shown, color=color, lines=Snippets(args.stdin_filename, stdin_text))
    if args.output:
        write_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    if args.output or args.format != "text":
        for error in report.errors:  # the text report already lists them on stdout
            where = f"{error.path}:{error.line}" if error.line else (error.path or "")
            print(f"reviewer: error: [{error.tool}] {where + ': ' if where else ''}{error.message}",
                  file=sys.stderr)
    return exit_code(report, config)


def with_superseded(report: Report) -> Report:
    """The report with its superseded findings listed among the others (each says by what)."""
    findings = sorted([*report.findings, *report.superseded], key=Finding.sort_key)
    return replace(report, findings=tuple(findings))


def _baseline(args: argparse.Namespace, config: Config) -> int:
    report, _ = _run(args, config, use_baseline=False)
    target = Path(args.output) if args.output else Path(config.root) / config.baseline
    write_atomic(target, baseline.render(list(report.findings)))
    print(f"Wrote {len(report.findings)} findings to {target}", file=sys.stderr)
    for error in report.errors:
        print(f"reviewer: error: [{error.tool}] {error.path or ''}: {error.message}", file=sys.stderr)
    return EXIT_ERROR if report.errors else EXIT_OK


def _user_packs() -> tuple[str, ...]:
    """The rule-pack directories of the project in the current directory (`rule-packs`)."""
    return load_config(Path.cwd(), {}).pack_directories


def _rules(fmt: str) -> int:
    rules = [describe(rule) for rule in all_rules(_user_packs())]
    if fmt == "json":
        print(json.dumps(rules, indent=2))
        return EXIT_OK
    for rule in rules:
        cwe = ",".join(f"CWE-{c}" for c in rule["cwe"]) or "-"
        fix = {"safe": "[*]", "unsafe": "[u]", "safe, unsafe": "[*u]"}.get(rule["fix"], "")
        print(f"{rule['code']:<7} {rule['name']:<34} {rule['category']:<16} {rule['severity']:<8} "
              f"{cwe:<9} {fix:<4} {rule['summary']}")
    for check in load_pack().checks:
        cwe = ",".join(f"CWE-{c}" for c in check.cwe) or "-"
        summary = " ".join(check.question.split())[:100]
        print(f"{check.code:<7} {check.name:<34} {check.category.value:<16} {check.severity.value:<8} "
              f"{cwe:<9} {'':<4} (LLM check, with --llm) {summary}")
    print("\n[*] fixed by `reviewer fix`; [u] only with --unsafe-fixes; [*u] safe or unsafe by case.")
    return EXIT_OK


def _pack_examples(rule: type[PackRule]) -> None:
    """A pack rule's examples are its fixture's lines annotated with its code."""
    lines = rule.fixture().read_text(encoding="utf-8").splitlines() if rule.fixture().is_file() else []
    for title, kind in (("Flagged", "expect"), ("Not flagged", "ok")):
        marked = re.compile(rf"#\s*{kind}:[^#]*\b{rule.CODE}\b")
        shown = [line.split("  #")[0].strip() for line in lines if marked.search(line)]
        print(f"\n## {title}\n\n```python\n" + "\n".join(shown) + "\n```")


def _explain(code: str) -> int:
    rule = find_rule(code, _user_packs())
    check = load_pack().get(code.upper()) if rule is None else None
    if check is not None:
        return _explain_check(check)
    if rule is None and _explain_tool_code(code.upper()):
        return EXIT_OK
    if rule is None:
        known = ", ".join([*(r.CODE for r in all_rules(_user_packs())), *load_pack().codes])
        print(f"reviewer: error: unknown rule {code!r}; known rules: {known}", file=sys.stderr)
        return EXIT_ERROR
    cwe = ", ".join(f"CWE-{c}" for c in rule.CWE) or "none"
    print(f"{rule.CODE} {rule.NAME} ({rule.CATEGORY.value}, {rule.SEVERITY.value}, CWE: {cwe})\n")
    print(rule.docs())
    if issubclass(rule, PackRule):
        print(f"\nDefined in the rule pack {rule.PACK}.")
        _pack_examples(rule)
        return EXIT_OK
    for title, examples in (("Flagged", rule.INVALID), ("Not flagged", rule.VALID)):
        print(f"\n## {title}")
        for example in examples:
            body = "\n# --- next cell ---\n".join(dedent(c) for c in example.cells) or dedent(example.code)
            print("\n```python\n" + body.rstrip("\n") + "\n```")
            fixed = getattr(example, "fixed", None)
            if fixed:
                print("Fixed:\n```python\n" + dedent(fixed).rstrip("\n") + "\n```")
    return EXIT_OK


def _explain_check(check: Check) -> int:
    """An LLM check: the question the model is asked, and its examples."""
    cwe = ", ".join(f"CWE-{c}" for c in check.cwe) or "none"
    print(f"{check.code} {check.name} ({check.category.value}, at most {check.severity.value}, CWE: {cwe})\n")
    print(f"LLM check (runs only with LLM critique on). The model is asked:\n\n{check.question}")
    for title, flagged in (("Flagged", True), ("Not flagged", False)):
        print(f"\n## {title}")
        for fixture in (f for f in check.fixtures if f.flagged is flagged):
            print("\n```python\n" + fixture.code.rstrip("\n") + "\n```")
    return EXIT_OK


class _Progress:
    """Progress on stderr: a live counter on a terminal, a few lines in CI logs."""

    MIN_FILES = 20

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last_quarter = 0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.MIN_FILES:
            return
        if self.tty:
            sys.stderr.write(f"\rreviewing {done}/{total} files")
            sys.stderr.flush()
            self.shown = True
        elif done * 4 // total > self.last_quarter:
            self.last_quarter = done * 4 // total
            print(f"reviewing: {done}/{total} files", file=sys.stderr)

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")


if __name__ == "__main__":
    sys.exit(main())
