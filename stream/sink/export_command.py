"""The ``stream export`` command."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from typing import Iterable, Iterator

import click


@click.command(name="export")
@click.argument("url")
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson"]), default="csv", show_default=True,
              help="csv: ACLED's column layout, our fields after it; geojson: one feature per event.")
@click.option("-o", "--output", default="-", show_default=True, help="File to write ('-': standard output).")
@click.option("--country", "countries", multiple=True, help="ISO 3166-1 alpha-2 code (repeatable).")
@click.option("--since", help="First event date, ISO 8601 (inclusive).")
@click.option("--until", help="Last event date, ISO 8601 (inclusive).")
@click.option("--type", "types", multiple=True,
              help="Attack type or casualty status (ours: drone_strike, killed...), or ACLED event type (repeatable).")
@click.option("--certainty", "certainties", multiple=True,
              type=click.Choice(["asserted", "reported", "claimed", "denied", "negated", "hypothetical"]),
              help="Keep only claims of this certainty (repeatable).")
def export(url: str, fmt: str, output: str, countries, since, until, types, certainties) -> None:
    """Write the current events of the sink database URL as ACLED-layout CSV or GeoJSON."""
    from rich.progress import Progress

    from stream.sink.export import Filters, article_index, events, write_csv, write_geojson
    from stream.sink.store import SinkError, dialect_for

    try:
        conn = dialect_for(url).connect()
    except SinkError as exc:
        raise click.UsageError(str(exc)) from None
    except Exception as exc:  # the database's own error says what is wrong (no file, no server, no table)
        raise click.ClickException(f"cannot read {url}: {exc}") from None
    chosen = Filters(tuple(c.upper() for c in countries), since, until, tuple(types), tuple(certainties))
    try:
        total = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("casualties", "attacks"))
        with Progress(transient=True, disable=output == "-" or total < 10_000, console=None) as progress:
            task = progress.add_task("exporting", total=total)

            def kept(rows: Iterable[dict]) -> Iterator[dict]:
                for event in rows:
                    progress.advance(task)
                    if chosen.keep(event):
                        yield event

            rows = kept(events(conn, article_index(conn)))
            if fmt == "csv":
                text = open(output, "w", newline="", encoding="utf-8") if output != "-" else nullcontext(sys.stdout)
                with text as out:
                    n = write_csv(rows, out)
            else:
                with (open(output, "wb") if output != "-" else nullcontext(sys.stdout.buffer)) as out:
                    n = write_geojson(rows, out)
    finally:
        conn.close()
    click.echo(f"{n} event(s) of {total} written" + (f" to {output}" if output != "-" else ""), err=True)
