"""The worker's web view for operators and their tools, on the Faust app's own web server.

``/health/live`` and ``/health/ready`` (probes), ``/metrics`` (Prometheus), ``/dashboard`` and
``/api/stats``, ``/api/recent``, ``/api/incidents`` (people; behind STREAM_WEB_TOKEN when it is set).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import faust

from stream import topics
from stream.kafka_io import GroupOffsetReader
from stream.settings import Settings
from stream.web.metrics import LiveState
from stream.web.monitor import Heartbeat, Monitor
from stream.web.progress import GroupProgress
from stream.web.views import Ops, register

if TYPE_CHECKING:
    from stream.agents import Runtime


def install(app: faust.App, runtime: Runtime, settings: Settings) -> None:
    """Add the pages, the background monitor and the scrape-time metrics to ``app``."""
    inputs = [settings.topic(topics.RAW), settings.topic(topics.ACCEPTED)]
    broker = ";".join(str(url) for url in app.conf.broker)
    progress, heartbeat = GroupProgress(), Heartbeat()
    app.service(Monitor(GroupOffsetReader(settings, broker, settings.faust_id, inputs), progress, heartbeat))
    runtime.metrics.registry.register(LiveState(rebalances=lambda: app.rebalancing_count, lag=progress.lag,
                                                extractor_version=lambda: runtime.extractor_version))
    register(app, Ops(app, runtime, settings, progress, heartbeat, frozenset(inputs)))
