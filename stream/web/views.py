"""The pages on the Faust app's web server, and the facts they read from Faust and the runtime.

Handlers only read in-memory state: nothing here waits on Kafka or the disk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import faust

from stream.settings import Settings
from stream.web import api, auth, dashboard, health, incidents
from stream.web.metrics import CONTENT_TYPE
from stream.web.monitor import Heartbeat
from stream.web.progress import GroupProgress

if TYPE_CHECKING:  # stream.agents imports this package
    from stream.agents import Runtime


@dataclass
class Ops:
    app: faust.App
    runtime: Runtime
    settings: Settings
    progress: GroupProgress
    heartbeat: Heartbeat
    inputs: frozenset[str]

    def live(self) -> tuple[int, dict]:
        return health.report({"event_loop": health.event_loop_check(self.heartbeat.since(), self.heartbeat.delay)})

    def ready(self) -> tuple[int, dict]:
        recovered = self.app.tables.recovery.completed.is_set()
        return health.report({
            "broker": health.broker_check(self.progress.answered_ago(), self.progress.error),
            "partitions": health.partitions_check(recovered, self.app.rebalancing,
                                                  self._assigned_inputs() if recovered else 0),
            "model": health.model_check(self.runtime.extractor_version if self.runtime.model_loaded else None),
        })

    def _assigned_inputs(self) -> int:
        return sum(tp.topic in self.inputs for tp in self.app.consumer.assignment())

    def stats(self) -> dict:
        worker = {"id": self.runtime.worker_id, "group": self.settings.faust_id,
                  "extractor_version": self.runtime.extractor_version, "ready": self.ready()[1]}
        return api.stats(worker=worker, started_at=self.runtime.started_at, metrics=self.runtime.metrics,
                         progress=self.progress)


def register(app: faust.App, ops: Ops) -> None:
    def guarded(handler):
        """Refuse the request unless it carries STREAM_WEB_TOKEN (when one is set)."""
        @functools.wraps(handler)
        async def checked(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
            if not auth.allowed(ops.settings.web_token, request.headers, request.query):
                return view.json({"error": "a valid token is needed (Authorization: Bearer ..., or ?token=)"},
                                 status=401, headers={"WWW-Authenticate": 'Bearer realm="conflict-stream"'})
            return await handler(view, request)
        return checked

    @app.page("/health/live")
    async def health_live(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        status, body = ops.live()
        return view.json(body, status=status)

    @app.page("/health/ready")
    async def health_ready(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        status, body = ops.ready()
        return view.json(body, status=status)

    @app.page("/metrics")
    async def metrics(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return view.bytes(ops.runtime.metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    @app.page("/api/stats")
    @guarded
    async def api_stats(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        return view.json(ops.stats())

    @app.page("/api/recent")
    @guarded
    async def api_recent(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        recent = ops.runtime.recent
        try:
            kind, limit = api.recent_query(request.query, recent.size)
        except api.BadQuery as exc:
            return view.json({"error": str(exc)}, status=400)
        return view.json({"type": kind, "events": recent.latest(kind, limit)})

    @app.page("/api/incidents")
    @guarded
    async def api_incidents(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        recent = ops.runtime.incidents
        try:
            status, limit = api.filter_query(request.query, "status", incidents.STATUSES, recent.size)
        except api.BadQuery as exc:
            return view.json({"error": str(exc)}, status=400)
        return view.json({"status": status, "incidents": recent.latest(status, limit)})

    @app.page("/dashboard")
    @guarded
    async def dashboard_page(view: faust.web.View, request: faust.web.Request) -> faust.web.Response:
        nonce = dashboard.new_nonce()
        page = dashboard.render(worker_id=ops.runtime.worker_id, group=ops.settings.faust_id,
                                extractor_version=ops.runtime.extractor_version, nonce=nonce,
                                history_url=ops.settings.history_url)
        return view.html(page, headers=dashboard.headers(nonce))
