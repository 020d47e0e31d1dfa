"""Liveness and readiness, as Kubernetes probes read them: HTTP 200 or 503 and a JSON reason.

Ready means the worker can do its job now: the broker answers, its partitions are assigned
and the ledger recovered, the model is loaded. Lag is not part of it (a worker started
during a backlog must turn ready to help with it); lag is a metric and an alert.
"""

from __future__ import annotations

from dataclasses import dataclass

# The event loop runs a one-second heartbeat; this late, it is stuck.
LOOP_STUCK_SECONDS = 10.0
# Kafka is read every few seconds (``monitor.OFFSETS_EVERY``); no answer for this long means it is gone.
BROKER_SILENT_SECONDS = 30.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def report(checks: dict[str, Check]) -> tuple[int, dict]:
    """(HTTP status, body): 200 if every check passes, else 503 with the failing checks as the reason."""
    failing = [f"{name}: {check.detail}" for name, check in checks.items() if not check.ok]
    body: dict = {"status": "fail" if failing else "ok",
                  "checks": {name: {"ok": check.ok, "detail": check.detail} for name, check in checks.items()}}
    if failing:
        body["reason"] = "; ".join(failing)
    return (503 if failing else 200), body


def event_loop_check(since_beat: float | None, delay: float) -> Check:
    if since_beat is None:  # the worker is starting: this answer itself shows the loop runs
        return Check(True, "the heartbeat starts with the worker")
    if since_beat > LOOP_STUCK_SECONDS:
        return Check(False, f"no heartbeat for {since_beat:.0f}s: the event loop is blocked")
    return Check(True, f"heartbeat {since_beat:.1f}s ago, {delay * 1000:.0f} ms late")


def broker_check(answered_ago: float | None, error: str | None) -> Check:
    if answered_ago is not None and answered_ago <= BROKER_SILENT_SECONDS:
        return Check(True, f"answered {answered_ago:.0f}s ago")
    if error:
        return Check(False, f"the broker does not answer: {error}")
    if answered_ago is None:
        return Check(False, "no answer from the broker yet")
    return Check(False, f"no answer from the broker for {answered_ago:.0f}s")


def partitions_check(recovered: bool, rebalancing: bool, assigned: int) -> Check:
    if rebalancing:
        return Check(False, "the consumer group is rebalancing")
    if not recovered:
        return Check(False, "waiting for partitions and the ledger's recovery")
    return Check(True, f"{assigned} input partition(s) assigned")


def model_check(extractor_version: str | None) -> Check:
    if extractor_version is None:
        return Check(False, "the model is loading")
    return Check(True, extractor_version)
