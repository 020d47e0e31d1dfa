"""``stream status``: a running worker's health, lag and counts, read from its web view."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from rich.console import Group
from rich.table import Table
from rich.text import Text

TIMEOUT = 10.0


class Unreachable(RuntimeError):
    """The web view did not answer, or refused the request; the message says why."""


def fetch(base_url: str, token: str) -> dict:
    """The worker's ``/api/stats``: readiness, this worker's counts and the group's lag."""
    url = f"{base_url.rstrip('/')}/api/stats"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise Unreachable(f"{url} wants the worker's token: set STREAM_WEB_TOKEN or pass --token") from None
        raise Unreachable(f"{url} answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise Unreachable(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from None


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}/s"


def render(stats: dict) -> Group:
    worker, totals, rates, group = stats["worker"], stats["totals"], stats["per_second"], stats["group"]
    ready = worker["ready"]
    lines = [
        Text.from_markup(f"[bold]{worker['id']}[/] (group {worker['group']}), up {worker['uptime_seconds']:.0f}s, "
                         f"extractor {worker['extractor_version']}"),
        Text("ready", style="bold green") if ready["status"] == "ok" else
        Text(f"NOT READY: {ready.get('reason', '')}", style="bold red"),
        Text(f"this worker: consumed {totals['consumed']} ({_rate(rates['consumed'])}), processed "
             f"{totals['processed']} ({_rate(rates['processed'])}), dead-lettered {totals['dead_lettered']}, "
             f"duplicates {totals['duplicates']}; claims: {totals['casualty_claims']} casualty, "
             f"{totals['attack_claims']} attack"),
    ]
    topics = Table("topic", "lag", "arriving", "done", title="consumer group, from Kafka", title_justify="left")
    for topic, figures in sorted(group["topics"].items()):
        topics.add_row(topic, str(figures["lag"]), _rate(figures["in_per_s"]), _rate(figures["done_per_s"]))
    lines.append(topics if group["topics"] else Text(f"group lag unknown: {group['error'] or 'not read yet'}"))
    if stats["dead_letters"]:
        lines.append(Text("dead letters: " + ", ".join(f"{reason} {count}" for reason, count in
                                                       sorted(stats["dead_letters"].items()))))
    return Group(*lines)
