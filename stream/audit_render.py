"""``stream audit``'s table: one row per partition of articles.raw, then the unaccounted records."""

from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Group
from rich.table import Table
from rich.text import Text

from stream.audit import Audit

COLUMNS = ("partition", "committed", "records", "processed", "dead-lettered", "lost", "pending")


def _when(timestamp: float | None) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds") if timestamp else "-"


def render(audit: Audit, topic: str) -> Group:
    table = Table(title=f"{topic}: every record accounted for?", title_justify="left")
    for name in COLUMNS:
        table.add_column(name, justify="right")
    for r in audit.reports():
        table.add_row(str(r.partition), "-" if r.committed is None else str(r.committed), str(r.records),
                      str(r.processed), str(r.dead_lettered), str(r.lost), str(r.pending))
    totals = audit.totals()
    lines = [table]
    for r in audit.reports():
        for u in r.unaccounted:
            status = "pending (not consumed yet)" if u.pending else "LOST"
            lines.append(Text(f"{status}: partition {u.partition} offset {u.offset} at {_when(u.timestamp)}, "
                              f"article {u.article_id or '(no id)'}"))
        shown = len(r.unaccounted)
        if r.lost + r.pending > shown:
            lines.append(Text(f"... and {r.lost + r.pending - shown} more on partition {r.partition}"))
    verdict = ("every record is accounted for" if not totals["lost"] + totals["pending"] else
               f"{totals['lost']} lost, {totals['pending']} pending")
    lines.append(Text(f"{totals['records']} records: {totals['processed']} processed, "
                      f"{totals['dead_lettered']} dead-lettered; {verdict}"))
    return Group(*lines)
