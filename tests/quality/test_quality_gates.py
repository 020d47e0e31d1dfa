"""The extraction-quality regression gate: the full evaluation on ../shared/data must not fall back.

Runs `stream eval` in-process on every dataset (about seven minutes on two cores) and checks
each metric against `stream.evaluation.harness.GATES`: a little under what the rules reach
now. It skips when the evaluation data is not on the machine.
"""

from __future__ import annotations

import pytest

from stream.evaluation import harness
from stream.evaluation.metrics import lower_is_better

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def test_quality_gates_hold_on_the_development_data():
    if not harness.DEFAULT_DATA.is_dir():
        pytest.skip(f"no evaluation data at {harness.DEFAULT_DATA}")
    results = harness.run(harness.DEFAULT_DATA, jobs=2)
    metrics = results["metrics"]
    missing = sorted(set(harness.GATES) - set(metrics))
    assert not missing, f"metrics no longer measured: {missing}"
    fallen = {name: (round(metrics[name]["value"], 3), gate) for name, gate in harness.GATES.items()
              if (metrics[name]["value"] > gate if lower_is_better(name) else metrics[name]["value"] < gate)}
    assert not fallen, f"metrics past their gate (value, gate): {fallen}\n{harness.render(results)}"
