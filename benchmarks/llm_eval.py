"""Measure the LLM checks on a labelled corpus: per-check precision and recall, and token cost.

Not part of the test suite: it talks to a real model. Point it at any OpenAI-compatible endpoint:

    OPENAI_API_KEY=... python benchmarks/llm_eval.py --model gpt-4.1-mini
    python benchmarks/llm_eval.py --model qwen2.5-coder:7b --base-url http://localhost:11434/v1
    python benchmarks/llm_eval.py --model M --base-url URL --fixtures   # also the pack's fixtures

The corpus (benchmarks/llm_corpus/) labels each known problem on its line with `# label: AI202`;
labels are stripped before anything is sent. A finding is a true positive when a label with the
same code sits within one line of it; any other LLM finding is a false positive. Static analysis
runs as in a real review, so the model is also judged on not repeating it. Replies are cached in
.reviewer_cache/ like a normal run (`--no-cache` to measure from scratch).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from reviewer.config import load_config
from reviewer.llm import LLMRun
from reviewer.llm.pack import load_pack
from reviewer.model import Source
from reviewer.pipeline import llm_stage, review_units
from reviewer.sources import SourceUnit, load_text

CORPUS = Path(__file__).resolve().parent / "llm_corpus"
_LABEL = re.compile(r"\s*#\s*label:\s*(AI\d{3}(?:\s*,\s*AI\d{3})*)\s*$")

Key = tuple[str, int | None, int, str]  # path, cell, line, code


def _strip(source: str, path: str, cell: int | None, labels: set[Key]) -> str:
    lines = source.split("\n")
    for number, line in enumerate(lines, start=1):
        match = _LABEL.search(line)
        if match:
            labels.update((path, cell, number, code.strip()) for code in match.group(1).split(","))
            lines[number - 1] = line[: match.start()]
    return "\n".join(lines)


def load_corpus(directory: Path) -> tuple[list[SourceUnit], set[Key]]:
    units, labels = [], set()
    for file in sorted(directory.iterdir()):
        name = f"{directory.name}/{file.name}"
        if file.suffix == ".py":
            units.append(load_text(_strip(file.read_text(encoding="utf-8"), name, None, labels), name,
                                   on_disk=False))
        elif file.suffix == ".ipynb":
            nb = json.loads(file.read_text(encoding="utf-8"))
            for index, cell in enumerate(nb["cells"]):
                if cell["cell_type"] == "code":
                    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                    cell["source"] = _strip(source, name, index, labels)
            units.append(load_text(json.dumps(nb), name, on_disk=False))
    return units, labels


def fixture_units() -> tuple[list[SourceUnit], set[Key]]:
    units, labels = [], set()
    for check in load_pack().checks:
        for number, fixture in enumerate(check.fixtures):
            name = f"fixtures/{check.code}_{number}.py"
            units.append(load_text(fixture.code, name, on_disk=False))
            if fixture.flagged and fixture.line:
                labels.add((name, None, fixture.line, check.code))
    return units, labels


def score(found: set[Key], labels: set[Key]) -> dict[str, Counter[str]]:
    per_check: dict[str, Counter[str]] = {code: Counter() for code in load_pack().codes}
    matched: set[Key] = set()
    for path, cell, line, code in sorted(found, key=str):
        hit = next((lab for lab in labels if lab[0] == path and lab[1] == cell and lab[3] == code
                    and abs(lab[2] - line) <= 1 and lab not in matched), None)
        if hit:
            matched.add(hit)
            per_check[code]["tp"] += 1
        else:
            per_check[code]["fp"] += 1
    for label in labels - matched:
        per_check[label[3]]["fn"] += 1
    return per_check


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--base-url", default="")
    parser.add_argument("--api-key-env", default="OPENAI_API_KEY")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--fixtures", action="store_true", help="also score the check pack's fixtures")
    parser.add_argument("--budget", type=int, default=0, help="token budget for the run (0: none)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--static", action="store_true",
                        help="run ruff and bandit too (default: our engine only, faster)")
    args = parser.parse_args()

    config = load_config(Path.cwd())
    config = replace(
        config, cache=not args.no_cache,
        ruff=replace(config.ruff, enabled=args.static), bandit=replace(config.bandit, enabled=args.static),
        llm=replace(config.llm, model=args.model, base_url=args.base_url, api_key_env=args.api_key_env,
                    budget_tokens=args.budget),
    )
    units, labels = load_corpus(args.corpus)
    if args.fixtures:
        more_units, more_labels = fixture_units()
        units, labels = units + more_units, labels | more_labels
    report = review_units(units, config)
    report = llm_stage(report, units, config, LLMRun(requested=True))
    for error in report.errors:
        print(f"error: [{error.tool}] {error.path or ''} {error.message}", file=sys.stderr)
    found = {(f.location.path, f.location.cell, f.location.line, f.code)
             for f in report.findings if f.source is Source.LLM}
    per_check = score(found, labels)

    print(f"model {args.model} on {len(units)} units, {len(labels)} labels\n")
    print(f"{'check':<7} {'name':<28} {'labels':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}")
    totals: Counter[str] = Counter()
    for check in load_pack().checks:
        counts = per_check[check.code]
        totals.update(counts)
        print(_row(check.code, check.name, counts))
    print(_row("all", "", totals))
    usage = report.llm
    cost = f", est. cost ${usage['cost']:.4f}" if "cost" in usage else ""
    print(f"\n{usage.get('requests', 0)} requests, {usage.get('tokens_in', 0):,} tokens in, "
          f"{usage.get('tokens_out', 0):,} out, {usage.get('cache_hits', 0)} cache hits{cost}; "
          f"dropped by grounding: {usage.get('dropped', {})}; rejected replies: {usage.get('rejected', 0)}")
    return 2 if report.errors else 0


def _row(code: str, name: str, counts: Counter[str]) -> str:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    return f"{code:<7} {name:<28} {tp + fn:>6} {tp:>4} {fp:>4} {fn:>4} {precision:>9} {recall:>7}"


if __name__ == "__main__":
    sys.exit(main())
