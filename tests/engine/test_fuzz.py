"""Bounded fuzzing in CI: generated programs (hypothesmith) and mutated real notebooks never make
the review raise. The long run is `python benchmarks/fuzz.py --minutes N`."""

from __future__ import annotations

import pytest
from fuzzing import mutated_notebooks, programs, review_text
from hypothesis import HealthCheck, given, settings

# Generated programs are compiled by CPython's parser, which warns about `1()` and the like.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

_BOUNDED = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


@_BOUNDED
@given(programs)
def test_generated_programs_never_crash_the_engine(code: str) -> None:
    errors = review_text(code, "fuzz.py")
    assert all(e.path == "fuzz.py" for e in errors)


@_BOUNDED
@given(mutated_notebooks())
def test_mutated_notebooks_are_reviewed_or_refused_never_crash(text: str) -> None:
    errors = review_text(text, "fuzz.ipynb")
    assert all(e.path == "fuzz.ipynb" for e in errors)


@pytest.mark.parametrize("text", [
    '{"cells": [{"cell_type": "code", "source": null}]}',
    '{"cells": [{"cell_type": "code", "source": ["x = (", 1]}]}',
    '{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x = 1", "outputs": {"a": 1}}]}',
    '{"nbformat": 4, "metadata": {"kernelspec": []}, "cells": []}',
    '{"nbformat": 4, "metadata": {"language_info": {"name": 3}}, "cells": []}',
    '{"cells": [{"cell_type": ["code"], "source": "x = 1"}]}',
    '{"nbformat": 4, "metadata": {"kernelspec": true}, "cells": []}',
    '{"cells": [{"cell_type": "code", "source": "x = 1", "execution_count": "3", "outputs": []}]}',
    '{"cells": [{"cell_type": "code", "source": "x = 1", "id": 7, "outputs": []}]}',
])
def test_notebook_shapes_found_by_fuzzing_are_refused_cleanly(text: str) -> None:
    errors = review_text(text, "fuzz.ipynb")
    assert all(e.path == "fuzz.ipynb" for e in errors)
