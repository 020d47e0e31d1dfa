"""Shared fixtures: the spaCy analyzer for slow unit tests, the real Kafka broker for integration tests."""

from __future__ import annotations

import pytest

from stream.analysis.pipeline import DEFAULT_MODEL, Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(DEFAULT_MODEL)
