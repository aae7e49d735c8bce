"""tests/corpus/ml is the labelled ML corpus of benchmarks/ml.py: through the real pipeline the
reviewer finds every labelled bug of each class and none of the correct look-alikes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_ml():  # type: ignore[no-untyped-def]
    path = ROOT / "benchmarks" / "ml.py"
    spec = importlib.util.spec_from_file_location("benchmarks_ml", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_class_has_bugs_and_look_alikes_and_the_reviewer_separates_them() -> None:
    ml = _load_ml()
    truth = ml.labels(ml.CORPUS)
    assert set(ml.CODES) == {c for _, c in truth.values()}
    found = ml.flags(ml.CORPUS, None)
    for cls in ml.CODES:
        result = ml.score(truth, found, cls)
        assert result["pos"] >= 5 and result["neg"] >= 5, cls
        assert result["recall"] == 1.0 and result["fpr"] == 0.0, (cls, result)
