"""tests/corpus/ai is the labelled detection corpus of benchmarks/detection.py: the reviewer's RV
findings there must equal the `# expect:` annotations exactly, every family needs enough
positives and look-alikes, and the reviewer must meet the per-family targets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_detection() -> ModuleType:
    path = ROOT / "benchmarks" / "detection.py"
    spec = importlib.util.spec_from_file_location("benchmarks_detection", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


detection = _load_detection()


@pytest.fixture(scope="module")
def found() -> set[tuple[str, int | None, int, str]]:
    return detection.scan(detection.CORPUS)


def test_rv_findings_match_annotations_exactly(found: set[tuple[str, int | None, int, str]]) -> None:
    expect = {(p, c, n, code) for p, c, n, kind, code in detection.annotations() if kind == "expect"}
    rv = {f for f in found if f[3].startswith("RV")}
    missing = sorted(expect - rv, key=str)
    unexpected = sorted(rv - expect, key=str)
    assert (missing, unexpected) == ([], []), f"missing={missing}\nunexpected={unexpected}"


def test_look_alikes_stay_clean(found: set[tuple[str, int | None, int, str]]) -> None:
    ok = {(p, c, n, code) for p, c, n, kind, code in detection.annotations() if kind == "ok"}
    assert sorted(ok & found, key=str) == []


def test_every_annotated_code_has_a_family() -> None:
    from reviewer.engine import all_rules

    codes = {code for *_, code in detection.annotations()}
    assert codes <= set(detection.FAMILY_OF)
    assert set(detection.FAMILY_OF) <= {rule.CODE for rule in all_rules()}


def test_every_family_has_enough_cases() -> None:
    for family, (positives, negatives) in detection.labels().items():
        assert len(positives) >= 8, (family, len(positives))
        assert len(negatives) >= 5, (family, len(negatives))


def test_reviewer_meets_targets(found: set[tuple[str, int | None, int, str]]) -> None:
    scores = detection.score(found, detection.labels(), family_codes=True)
    for family, s in scores.items():
        assert s.recall >= detection.TARGET_RECALL, (family, s)
        assert s.fpr <= detection.TARGET_FPR, (family, s)
    assert detection.overall(scores).f1 >= detection.TARGET_F1


def test_corpus_is_excluded_from_discovery_but_scannable_explicitly() -> None:
    from reviewer.config import load_config
    from reviewer.sources import discover

    config = load_config(ROOT, {"cache": False})
    discovered = [display for _, display in discover([str(ROOT / "tests")], str(ROOT), config.exclude)]
    assert not any("corpus" in Path(d).parts for d in discovered)
    # `reviewer scan tests/corpus/ai` reads the corpus's own pyproject.toml (no exclude there).
    corpus_config = load_config(detection.CORPUS, {"cache": False})
    assert Path(corpus_config.root) == detection.CORPUS
    explicit = [d for _, d in discover([str(detection.CORPUS)], corpus_config.root, corpus_config.exclude)]
    assert any(d.endswith("error_handling.py") for d in explicit)
