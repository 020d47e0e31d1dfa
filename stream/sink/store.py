"""The sink's database: SQLite or PostgreSQL, rows and consumed offsets written in one transaction.

``Store.write`` takes a batch of Kafka records and, in one transaction: locks and reads the stored offsets of
their partitions, skips records below them (already written: a replay, or another sink of the group that wrote
them first), applies the others by the ordering rule of ``stream.sink.rows``, sets rejects aside, and stores the
next offsets. So a crash at any moment leaves the rows and the offsets of one consistent point.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from stream.sink.rows import (ATTACKS, CASUALTIES, INCIDENTS, KEY_FIELD, TABLE_OF_TOPIC, Reject, Retire, State,
                              Upsert, decide, parse)
from stream.sink.tables import COLUMNS, MIGRATIONS, TABLE_VERSION

log = logging.getLogger(__name__)
MODES = ("delete", "mark")


class SinkError(RuntimeError):
    """The database cannot be used as a sink (bad URL, a newer table version, another mode)."""


class DatabaseUnavailable(RuntimeError):
    """The database did not answer or dropped the connection: retry the same batch later."""


@dataclass(frozen=True)
class KafkaRecord:
    topic: str  # unprefixed
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


@dataclass
class Counts:
    written: dict[str, int] = field(default_factory=dict)  # table -> rows upserted or retired
    stale: int = 0  # older revisions, skipped by the ordering rule
    replayed: int = 0  # below the stored offset: already written
    rejected: int = 0

    def add(self, other: "Counts") -> None:
        for table, n in other.written.items():
            self.written[table] = self.written.get(table, 0) + n
        self.stale += other.stale
        self.replayed += other.replayed
        self.rejected += other.rejected


class _Dialect:
    name = "sqlite"
    types = {"text": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER", "json": "TEXT", "bytes": "BLOB"}
    lock = ""
    migration_lock = ""  # BEGIN IMMEDIATE already makes one sink at a time migrate
    retryable: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)
    data_errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError, OverflowError)

    def __init__(self, url: str):
        self.url = url
        self.path = Path(url.removeprefix("sqlite:///"))

    def connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")  # readers (export, a browser) never block the sink
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash of the process loses no committed transaction
        return conn

    def begin(self, conn) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def sql(self, statement: str) -> str:
        return statement

    def param(self, value):
        return value

    def describe(self) -> str:
        return f"SQLite {self.path}"


class _Postgres(_Dialect):
    name = "postgresql"
    types = {"text": "TEXT", "int": "BIGINT", "float": "DOUBLE PRECISION", "bool": "BOOLEAN", "json": "JSONB",
             "bytes": "BYTEA"}
    lock = " FOR UPDATE"
    # Sinks starting together would race in CREATE TABLE IF NOT EXISTS (a duplicate key in pg_type): one at a time.
    migration_lock = "SELECT pg_advisory_xact_lock(7243101)"

    def __init__(self, url: str):
        import psycopg

        self.url = url
        self.psycopg = psycopg
        self.retryable = (psycopg.OperationalError, psycopg.errors.SerializationFailure,
                          psycopg.errors.DeadlockDetected)
        self.data_errors = (psycopg.DataError, psycopg.IntegrityError, psycopg.errors.ProgrammingError)

    def connect(self):
        return self.psycopg.connect(self.url, autocommit=True, connect_timeout=5, application_name="stream-sink")

    def begin(self, conn) -> None:
        conn.execute("BEGIN")

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def param(self, value):
        if isinstance(value, str):  # PostgreSQL text and JSONB hold no NUL character
            return value.replace("\x00", "").replace("\\u0000", "")
        return value

    def describe(self) -> str:
        info = self.psycopg.conninfo.conninfo_to_dict(self.url)
        where = info.get("host") or "localhost"
        return f"PostgreSQL {where}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def dialect_for(url: str) -> _Dialect:
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return _Dialect(url)
    if url.startswith(("postgresql://", "postgres://")):
        return _Postgres(url)
    raise SinkError(f"unsupported database URL {url!r}: use sqlite:///path.db or postgresql://user@host:port/db")


class Store:
    def __init__(self, url: str, *, mode: str = "delete", prefix: str = ""):
        if mode not in MODES:
            raise SinkError(f"unknown mode {mode!r}: one of {', '.join(MODES)}")
        self.dialect = dialect_for(url)
        self.mode = mode
        self.prefix = prefix
        self.conn = None

    # -- connection and migrations --------------------------------------------------------------------------
    def open(self) -> "Store":
        try:
            self.conn = self.dialect.connect()
            self._migrate()
        except self.dialect.retryable as exc:
            self.close()
            raise self._unavailable(exc) from exc
        return self

    def _unavailable(self, exc: BaseException) -> DatabaseUnavailable:
        detail = " ".join(str(exc).split())  # psycopg's messages run over several lines
        return DatabaseUnavailable(f"{self.dialect.describe()}: {type(exc).__name__}: {detail}")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # a connection already broken may fail to close: it is dropped either way
                pass
        self.conn = None

    def _exec(self, statement: str, params: Iterable = ()):
        return self.conn.execute(self.dialect.sql(statement), [self.dialect.param(p) for p in params])

    def _ddl(self, statement: str) -> str:
        return statement.format(**self.dialect.types)

    def _migrate(self) -> None:
        self.dialect.begin(self.conn)
        try:
            if self.dialect.migration_lock:
                self._exec(self.dialect.migration_lock)
            self._exec("CREATE TABLE IF NOT EXISTS sink_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            meta = dict(self._exec("SELECT name, value FROM sink_meta").fetchall())
            version = int(meta.get("table_version", 0))
            if version > TABLE_VERSION:
                raise SinkError(f"{self.dialect.describe()} holds table version {version}, newer than this sink's "
                                f"{TABLE_VERSION}: upgrade conflict-stream")
            if meta.get("mode", self.mode) != self.mode:
                raise SinkError(f"{self.dialect.describe()} was written in mode {meta['mode']!r}, not "
                                f"{self.mode!r}: use --mode {meta['mode']} or a new database")
            for steps in MIGRATIONS[version:]:
                for statement in steps:
                    self._exec(self._ddl(statement))
            for name, value in (("table_version", str(TABLE_VERSION)), ("mode", self.mode)):
                self._exec("INSERT INTO sink_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE "
                           "SET value = excluded.value", (name, value))
            self._exec("COMMIT")
            if version < TABLE_VERSION:
                log.info("%s: tables at version %d (were %d)", self.dialect.describe(), TABLE_VERSION, version)
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            self._exec("ROLLBACK")
        except Exception:  # the connection may be gone; nothing was committed either way
            pass

    def table_version(self) -> int:
        return int(self._exec("SELECT value FROM sink_meta WHERE name = 'table_version'").fetchone()[0])

    # -- offsets --------------------------------------------------------------------------------------------
    def offsets(self) -> dict[tuple[str, int], int]:
        """(prefixed topic, partition) -> the next offset to read, as committed with the rows."""
        try:
            rows = self._exec("SELECT topic, kafka_partition, next_offset FROM sink_offsets").fetchall()
        except self.dialect.retryable as exc:
            raise self._unavailable(exc) from exc
        return {(topic, partition): offset for topic, partition, offset in rows}

    def _locked_offset(self, topic: str, partition: int) -> int:
        self._exec("INSERT INTO sink_offsets (topic, kafka_partition, next_offset) VALUES (?, ?, 0) "
                   "ON CONFLICT (topic, kafka_partition) DO NOTHING", (topic, partition))
        return self._exec("SELECT next_offset FROM sink_offsets WHERE topic = ? AND kafka_partition = ?"
                          + self.dialect.lock, (topic, partition)).fetchone()[0]

    # -- writing --------------------------------------------------------------------------------------------
    def write(self, records: list[KafkaRecord]) -> Counts:
        """Apply a batch in one transaction; a record the database itself refuses (a figure out of range) makes
        the batch be written one record per transaction, that record set aside as a reject."""
        try:
            return self._transaction(records)
        except self.dialect.retryable as exc:
            raise self._unavailable(exc) from exc
        except self.dialect.data_errors as exc:
            log.warning("%s refused a row of this batch (%s): writing it one record at a time",
                        self.dialect.describe(), exc)
        counts = Counts()
        for record in records:
            try:
                counts.add(self._transaction([record]))
            except self.dialect.retryable as exc:
                raise self._unavailable(exc) from exc
            except self.dialect.data_errors as exc:
                counts.add(self._transaction([record], refused=f"the database refused it: {exc}"))
        return counts

    def _transaction(self, records: list[KafkaRecord], refused: str | None = None) -> Counts:
        counts = Counts()
        self.dialect.begin(self.conn)
        try:
            next_offsets = {}
            for tp in sorted({(self.prefix + r.topic, r.partition) for r in records}):
                next_offsets[tp] = self._locked_offset(*tp)
            todo = []
            for record in records:
                tp = (self.prefix + record.topic, record.partition)
                if record.offset < next_offsets[tp]:
                    counts.replayed += 1
                    continue
                next_offsets[tp] = record.offset + 1
                todo.append((record, Reject(refused) if refused else parse(record.topic, record.key, record.value)))
            states = self._states({(a.table, a.key) for _, a in todo if not isinstance(a, Reject)})
            for record, action in todo:
                self._apply(record, action, counts, states)
            for (topic, partition), offset in next_offsets.items():
                self._exec("UPDATE sink_offsets SET next_offset = ? WHERE topic = ? AND kafka_partition = ?",
                           (offset, topic, partition))
            self._exec("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return counts

    def _apply(self, record: KafkaRecord, action, counts: Counts, states: dict) -> None:
        """Apply one action by the ordering rule; ``states`` (table, key) -> State is kept current."""
        if isinstance(action, Reject):
            self._reject(record, action.reason)
            counts.rejected += 1
            return
        state = states.get((action.table, action.key))
        if not decide(state, action):
            counts.stale += 1
            return
        if isinstance(action, Upsert):
            self._upsert(action.table, action.row)
            if state is not None and not state.live:  # back after its retirement
                self._exec("DELETE FROM sink_retired WHERE tbl = ? AND key = ?", (action.table, action.key))
            states[action.table, action.key] = State(action.revision, True)
        else:
            self._retire(action)
            states[action.table, action.key] = None if action.revision is None else State(action.revision, False)
        counts.written[action.table] = counts.written.get(action.table, 0) + 1

    def _states(self, keys: set[tuple[str, str]], chunk: int = 400) -> dict[tuple[str, str], State]:
        """What the tables hold for these keys, read in a few statements: the revision of a live row, else of
        the key's retirement."""
        states: dict[tuple[str, str], State] = {}
        for table in {t for t, _ in keys}:
            wanted = sorted(k for t, k in keys if t == table)
            live = {CASUALTIES: " AND NOT retracted", ATTACKS: " AND NOT retracted",
                    INCIDENTS: " AND status = 'active' AND NOT deleted"}.get(table, "")
            for start in range(0, len(wanted), chunk):
                part = wanted[start:start + chunk]
                marks = ", ".join("?" for _ in part)
                found = self._exec(f"SELECT {KEY_FIELD[table]}, revision, 1 FROM {table} WHERE {KEY_FIELD[table]} "
                                   f"IN ({marks}){live} UNION ALL SELECT key, revision, 0 FROM sink_retired "
                                   f"WHERE tbl = ? AND key IN ({marks})", [*part, table, *part]).fetchall()
                for key, revision, live_row in sorted(found, key=lambda r: r[2]):  # a live row wins
                    states[table, key] = State(revision, bool(live_row))
        return states

    def _upsert(self, table: str, row: dict) -> None:
        marks = {"retracted": False, "retraction_reason": None} if table in (CASUALTIES, ATTACKS) else (
            {"deleted": False} if table == INCIDENTS else {})
        row = {**row, **marks}
        names = [name for name, _ in COLUMNS[table]]
        key = KEY_FIELD[table]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != key)
        self._exec(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
                   f"ON CONFLICT ({key}) DO UPDATE SET {updates}", [row[n] for n in names])

    def _retire(self, action: Retire) -> None:
        key = KEY_FIELD[action.table]
        if action.revision is None:  # a tombstone: the incident is gone, its id free for a new one
            if self.mode == "mark":
                self._exec(f"UPDATE {action.table} SET deleted = ? WHERE {key} = ?", (True, action.key))
            else:
                self._exec(f"DELETE FROM {action.table} WHERE {key} = ?", (action.key,))
            self._exec("DELETE FROM sink_retired WHERE tbl = ? AND key = ?", (action.table, action.key))
            return
        if self.mode == "delete":
            self._exec(f"DELETE FROM {action.table} WHERE {key} = ?", (action.key,))
        elif action.row is not None:  # an incident's last record: merged or withdrawn
            self._upsert(action.table, action.row)
        else:
            self._exec(f"UPDATE {action.table} SET retracted = ?, retraction_reason = ?, revision = ? "
                       f"WHERE {key} = ?", (True, action.reason, action.revision, action.key))
        self._exec("INSERT INTO sink_retired (tbl, key, revision, reason) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (tbl, key) DO UPDATE SET revision = excluded.revision, reason = excluded.reason",
                   (action.table, action.key, action.revision, action.reason))

    def _reject(self, record: KafkaRecord, reason: str) -> None:
        log.warning("set aside %s partition %d offset %d: %s", record.topic, record.partition, record.offset, reason)
        self._exec("INSERT INTO sink_rejects (topic, kafka_partition, kafka_offset, key, value, reason, rejected_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (topic, kafka_partition, kafka_offset) DO NOTHING",
                   (self.prefix + record.topic, record.partition, record.offset, record.key, record.value, reason,
                    datetime.now(timezone.utc).isoformat(timespec="milliseconds")))


def topics_read() -> list[str]:
    """The topics the sink reads (unprefixed)."""
    return list(TABLE_OF_TOPIC)
