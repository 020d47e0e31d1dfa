"""A throwaway PostgreSQL server from the Debian package, for the sink's tests.

PostgreSQL refuses to run as root (CI runs as root), so the server runs as an unprivileged user (``nobody``, or
the user running the tests when that is not root) in a temporary folder it owns, listening on a unix socket
there and on no TCP address. Tests that need it are skipped, saying why, only where the binaries are missing.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN = Path(os.environ.get("STREAM_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
PORT = 5432  # only names the socket file: the server listens on no TCP address


class Postgres:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="stream-pg-"))
        self.data = self.folder / "data"
        self.user = "nobody" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            shutil.chown(self.folder, self.user)

    def _run(self, *args: str) -> None:
        command = [*(["runuser", "-u", self.user, "--"] if os.geteuid() == 0 else []), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def init(self) -> "Postgres":
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-U", "sink", "--auth=trust", "-E", "UTF8",
                  "--no-instructions")
        return self.start()

    def start(self) -> "Postgres":
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-w",
                  "-o", f"-k {self.folder} -p {PORT} -c listen_addresses='' -c fsync=off", "start")
        return self

    def stop(self) -> None:
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://sink@/{dbname}?host={self.folder}&port={PORT}"

    def new_database(self) -> str:
        """A fresh, empty database on this server; its URL."""
        import psycopg

        name = f"db{os.urandom(6).hex()}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> Postgres:
    if not (BIN / "initdb").exists() or not (BIN / "pg_ctl").exists():
        pytest.skip(f"PostgreSQL server binaries not found in {BIN} (Debian package postgresql-15; "
                    "STREAM_TEST_PG_BIN names another folder)")
    return Postgres().init()
