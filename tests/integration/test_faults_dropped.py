"""A record dropped between the fetch and its agent is read again, and no commit passes it (real broker, real worker).

Faust commits the first run of consecutive acknowledged offsets and checks that it begins at the
committed offset with an off-by-one, so a record that never reached its agent (cleared from a buffer,
skipped by a stream) while the next ones were processed used to be committed past: lost without a
trace. ``drop_record/sitecustomize.py`` drops one record per partition on its way to the agent, once;
``stream/faust_fixes.py`` must hold the commit and read the partition again from it.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from stream import topics
from stream.audit_run import run_audit
from tests.integration.faults import FAST_FAILOVER, account, articles, record

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def dropping(topic: str, offset: int) -> dict:
    hook = str(Path(__file__).parent / "drop_record")
    return {**FAST_FAILOVER, "PYTHONPATH": os.pathsep.join(filter(None, (hook, os.environ.get("PYTHONPATH")))),
            "STREAM_TEST_DROP_TOPIC": topic, "STREAM_TEST_DROP_OFFSET": str(offset)}


@pytest.mark.parametrize(("topic", "offset"), [(topics.RAW, 0), (topics.RAW, 3), (topics.ACCEPTED, 2)])
def test_faults_dropped_record_is_read_again_and_never_committed_past(pipeline, topic, offset):
    worker = pipeline.start_worker(**dropping(topic, offset))
    sent = articles(f"drop-{topic}-{offset}", 60, bad_every=20)
    asyncio.run(pipeline.produce(list(sent.values()), keys=[k.encode() for k in sent]))
    tally = asyncio.run(account(pipeline, sent, timeout=180))
    log = worker.output()
    drops = log.count("dropped on its way to the agent")
    record(f"dropped_{topic.replace('.', '_')}_at_{offset}", tally, drops=drops)
    assert drops >= 1, log[-3000:]
    assert "was dropped before its agent processed it" in log
    assert (tally.lost, tally.processed, tally.dead_lettered) == (0, 57, 3)
    time.sleep(3)  # a commit interval: the committed offsets catch up with the outputs
    settings = pipeline.settings()
    audit, _ = asyncio.run(run_audit(settings, pipeline.url, group=settings.faust_id))
    assert (audit.totals()["lost"], audit.totals()["pending"]) == (0, 0), audit.totals()
