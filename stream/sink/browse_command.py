"""The ``stream browse`` command: Datasette over a sink's SQLite file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click


@click.command()
@click.argument("url")
@click.option("--host", default=None, help="Interface to listen on [default: STREAM_WEB_HOST, 127.0.0.1].")
@click.option("--port", type=click.IntRange(min=1, max=65535), default=8001, show_default=True)
def browse(url: str, host: str | None, port: int) -> None:
    """Browse, filter, facet and map the events a sink keeps in URL (sqlite:///path.db), read-only."""
    from stream.cli import _settings
    from stream.sink.browse import metadata, serve_args, sqlite_file
    from stream.sink.store import SinkError

    try:
        path = sqlite_file(url)
    except SinkError as exc:
        raise click.UsageError(str(exc)) from None
    host = host or _settings().web_host
    with tempfile.TemporaryDirectory(prefix="stream-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(path.stem)))
        click.echo(f"browsing {path} (read-only) at http://{host}:{port}/{path.stem}; Ctrl-C stops", err=True)
        server = subprocess.Popen([sys.executable, "-m", "datasette", *serve_args(path, meta, host=host, port=port)])
        signal.signal(signal.SIGTERM, lambda *_: server.terminate())  # stopping the command stops the server
        try:
            status = server.wait()
        except KeyboardInterrupt:
            server.terminate()
            status = server.wait()
    if status not in (0, -signal.SIGTERM, -signal.SIGINT):
        raise click.ClickException(f"datasette exited with status {status}; its messages are above")
