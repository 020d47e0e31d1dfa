"""The sink without a broker: records to row actions, the ordering rule, and the store on SQLite (and on a
throwaway PostgreSQL server where its binaries are installed). Messages are built by the real publishing code
from hand-made analyses (tests.unit.test_publish, tests.unit.test_incidents)."""

from __future__ import annotations

import copy
import sqlite3

import orjson
import pytest

from stream import topics
from stream.publish import article_messages
from stream.sink.rows import (ARTICLES, ATTACKS, CASUALTIES, INCIDENTS, Reject, Retire, State, Upsert, decide,
                              parse)
from stream.sink.store import KafkaRecord, SinkError, Store
from stream.sink.tables import COLUMNS, MARK_COLUMNS, TABLE_VERSION
from tests.postgres import start_postgres
from tests.unit import test_incidents as inc
from tests.unit.test_publish import make_analysis

MiB = 1024 * 1024


def revision_messages(analysis: dict, revision: int, retract=(), reason="revised") -> list:
    return [m for m in article_messages(analysis, revision, list(retract), max_message_bytes=10 * MiB,
                                        retraction_reason=reason)
            if m.topic in (topics.PROCESSED, topics.CASUALTIES, topics.ATTACKS)]


def revised(analysis: dict) -> dict:
    """A second text of the article: the injured claim gone, the killed figure raised."""
    second = copy.deepcopy(analysis)
    second["casualties"] = second["casualties"][:1]
    second["casualties"][0]["count"].update(min=4, max=4, best=4)
    second["content_hash"] = "sha256:" + "2" * 64
    return second


def merge_updates() -> list[tuple[str, dict | None]]:
    """Two incidents, a third report naming both (one absorbed into the other), then its tombstone."""
    b = inc.builder(tombstone_after=60.0)
    updates = b.add(inc.article("x", [inc.casualty(place=inc.ODESA)], entities=[inc.person("Olena Kovalenko")]),
                    inc.NOW)
    updates += b.add(inc.article("y", [inc.casualty(place=inc.LVIV)], entities=[inc.person("Petro Bondar")]),
                     inc.NOW + 1)
    updates += b.add(inc.article("z", [inc.casualty(place=inc.UKRAINE)],
                                 entities=[inc.person("Olena Kovalenko"), inc.person("Petro Bondar")]), inc.NOW + 2)
    return updates + b.clusterer.sweep("UA", inc.NOW + 100)


class Feed:
    """Kafka records with offsets, as a partition would hand them out."""

    def __init__(self):
        self.offsets: dict[str, int] = {}

    def record(self, topic: str, key: bytes | None, value: bytes | None, partition: int = 0) -> KafkaRecord:
        offset = self.offsets.get(topic, 0)
        self.offsets[topic] = offset + 1
        return KafkaRecord(topic, partition, offset, key, value)

    def messages(self, messages) -> list[KafkaRecord]:
        return [self.record(m.topic, m.value.get("article_id", "").encode(), m.encode()) for m in messages]

    def incidents(self, updates) -> list[KafkaRecord]:
        return [self.record(topics.INCIDENTS, key.encode(), None if r is None else orjson.dumps(r))
                for key, r in updates]


@pytest.fixture(scope="module")
def postgres():
    server = start_postgres()
    yield server
    server.remove()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sink.db'}"
    return request.getfixturevalue("postgres").new_database()


def rows(store: Store, table: str) -> dict[str, dict]:
    names = [n for n, _ in COLUMNS[table]]
    cursor = store.conn.execute(f"SELECT {', '.join(names)} FROM {table}")
    return {r[0]: {n: _plain(v) for n, v in zip(names, r)} for r in cursor.fetchall()}


def _plain(value):
    """The same Python value from SQLite (JSON as text, booleans as 0/1) and PostgreSQL (JSONB decoded)."""
    if isinstance(value, str) and value[:1] in "[{":
        return orjson.loads(value)
    if isinstance(value, bool):
        return int(value)
    return value


# --- rows: parse ------------------------------------------------------------------------------

def test_sink_rows_parse_claims_processed_and_retractions():
    first = revision_messages(make_analysis(), 1)
    actions = [parse(m.topic, None, m.encode()) for m in first]
    assert [type(a).__name__ for a in actions] == ["Upsert"] * 4
    assert [a.table for a in actions] == [CASUALTIES, CASUALTIES, ATTACKS, ARTICLES]
    killed = actions[0]
    assert (killed.row["status"], killed.row["count_best"], killed.row["country_code"]) == ("killed", 3, "UA")
    assert set(actions[-1].row["record"]) & {"sentences", "entities", "casualties"} == set()
    gone = first[1].value["event_id"]
    [retraction] = [m for m in revision_messages(revised(make_analysis()), 2, [gone]) if m.value.get("retracted")]
    assert parse(retraction.topic, None, retraction.encode()) == Retire(CASUALTIES, gone, 2, "revised")


def test_sink_rows_parse_incident_records_merges_and_tombstones():
    actions = [parse(topics.INCIDENTS, key.encode(), None if r is None else orjson.dumps(r))
               for key, r in merge_updates()]
    kinds = [(type(a).__name__, getattr(a, "reason", None)) for a in actions]
    assert kinds == [("Upsert", None), ("Upsert", None), ("Upsert", None), ("Retire", "merged"),
                     ("Retire", "tombstone")]
    assert actions[3].row["merged_into"] == actions[0].key and actions[4].revision is None


@pytest.mark.parametrize("topic, key, value, reason", [
    (topics.CASUALTIES, None, b"{not json", "not JSON"),
    (topics.CASUALTIES, None, b"[1, 2]", "not a JSON object but list"),
    (topics.CASUALTIES, None, b'{"event_id": "cas-1", "retracted": true}', "casualty.json"),
    (topics.ATTACKS, None, None, "a null value (tombstone) on events.attacks"),
    (topics.INCIDENTS, None, None, "a tombstone without a key"),
    (topics.SENTENCES, None, b"{}", "not a topic the sink reads"),
])
def test_sink_rows_parse_rejects_with_a_reason(topic, key, value, reason):
    action = parse(topic, key, value)
    assert isinstance(action, Reject) and reason in action.reason


def test_sink_rows_parse_incident_key_must_be_its_id():
    _, record = merge_updates()[0]
    action = parse(topics.INCIDENTS, b"inc-other", orjson.dumps(record))
    assert isinstance(action, Reject) and "is not the incident id" in action.reason


@pytest.mark.parametrize("version, accepted", [("1.9", True), ("1.0", False), ("2.1", False)])
def test_sink_rows_parse_new_optional_field_of_a_newer_minor_version(version, accepted):
    message = {**revision_messages(make_analysis(), 1)[0].value, "schema_version": version, "new_field": 1}
    action = parse(topics.CASUALTIES, None, orjson.dumps(message))
    assert isinstance(action, Upsert) is accepted
    if accepted:
        assert orjson.loads(action.row["record"])["new_field"] == 1


# --- rows: decide -----------------------------------------------------------------------------

UPSERT = {r: Upsert(CASUALTIES, "k", r, {}) for r in (1, 2, 3)}
RETIRE = {r: Retire(CASUALTIES, "k", r, "revised") for r in (1, 2, 3)}


@pytest.mark.parametrize("state, action, applied", [
    (None, UPSERT[1], True),
    (State(2, True), UPSERT[1], False),  # an older revision never overwrites a newer one
    (State(2, True), UPSERT[2], True),  # a replay of the same revision: the same content again
    (State(2, True), UPSERT[3], True),
    (State(2, False), UPSERT[2], False),  # retracted at revision 2: its revision-2 copy stays retracted
    (State(2, False), UPSERT[3], True),  # back in a later revision
    (State(2, True), RETIRE[1], False),
    (State(2, True), RETIRE[2], True),
    (None, RETIRE[1], True),
    (State(5, True), Retire(INCIDENTS, "k", None, "tombstone"), True),
])
def test_sink_rows_decide_by_revision(state, action, applied):
    assert decide(state, action) is applied


# --- store ------------------------------------------------------------------------------------

def test_sink_store_revisions_retractions_and_late_copies(database):
    store = Store(database).open()
    feed = Feed()
    first = revision_messages(make_analysis(), 1)
    second_analysis = revised(make_analysis())
    gone = first[1].value["event_id"]
    store.write(feed.messages(first))
    counts = store.write(feed.messages(revision_messages(second_analysis, 2, [gone])))
    assert counts.written == {ARTICLES: 1, CASUALTIES: 2, ATTACKS: 1}
    late = store.write(feed.messages(first))  # the first revision again, at later offsets
    assert late.stale == 4 and late.written == {}
    casualties = rows(store, CASUALTIES)
    assert list(casualties) == [first[0].value["event_id"]]
    assert casualties[first[0].value["event_id"]]["count_best"] == 4
    assert [(a["revision"], a["casualty_claims"]) for a in rows(store, ARTICLES).values()] == [(2, 1)]


def test_sink_store_records_below_the_stored_offset_are_skipped(database):
    store = Store(database).open()
    records = Feed().messages(revision_messages(make_analysis(), 1))
    store.write(records[:2])
    counts = store.write(records)  # a replay from an older position: only the last two are new
    assert (counts.replayed, sum(counts.written.values())) == (2, 2)
    assert store.offsets() == {(topics.CASUALTIES, 0): 2, (topics.ATTACKS, 0): 1, (topics.PROCESSED, 0): 1}


def test_sink_store_incident_merge_then_tombstone(database):
    store = Store(database).open()
    updates = merge_updates()
    store.write(Feed().incidents(updates[:4]))
    survivor, absorbed = updates[0][0], updates[1][0]
    assert list(rows(store, INCIDENTS)) == [survivor]
    assert rows(store, INCIDENTS)[survivor]["reports"] == 3
    store.write(Feed().incidents(updates[1:2]))  # a late copy of the absorbed one's first record
    assert list(rows(store, INCIDENTS)) == [survivor]


def test_sink_store_mark_mode_keeps_retired_rows_marked(database):
    store = Store(database, mode="mark").open()
    feed = Feed()
    first = revision_messages(make_analysis(), 1)
    gone = first[1].value["event_id"]
    store.write(feed.messages(first) + feed.messages(revision_messages(revised(make_analysis()), 2, [gone])))
    store.write(feed.incidents(merge_updates()))
    marked = rows(store, CASUALTIES)[gone]
    assert (marked["retracted"], marked["retraction_reason"], marked["revision"]) == (1, "revised", 2)
    incidents = rows(store, INCIDENTS)
    assert sorted((r["status"], r["deleted"]) for r in incidents.values()) == [("active", 0), ("merged", 1)]


def test_sink_store_rejects_keep_reason_and_bytes(database):
    store = Store(database).open()
    feed = Feed()
    bad = feed.record(topics.ATTACKS, b"k", b'{"attack_type": "laser"}')
    store.write([bad] + feed.messages(revision_messages(make_analysis(), 1))[2:3])
    [(key, value, reason)] = store.conn.execute("SELECT key, value, reason FROM sink_rejects").fetchall()
    assert (bytes(key), bytes(value)) == (b"k", bad.value) and "attack.json" in reason
    assert len(rows(store, ATTACKS)) == 1  # the sink went on


def test_sink_store_a_value_the_database_refuses_is_set_aside(database):
    analysis = make_analysis()
    huge = 2**63 + 5  # valid JSON and JSON Schema, but no 64-bit signed integer
    analysis["casualties"][0]["count"].update(min=huge, best=huge, max=None)
    store = Store(database).open()
    counts = store.write(Feed().messages(revision_messages(analysis, 1)))
    assert counts.rejected == 1 and counts.written[CASUALTIES] == 1
    reason = store.conn.execute("SELECT reason FROM sink_rejects").fetchone()[0]
    assert reason.startswith("the database refused it")


def test_sink_store_tables_versioned_and_mode_kept(database):
    Store(database).open().close()
    store = Store(database).open()
    assert store.table_version() == TABLE_VERSION
    with pytest.raises(SinkError, match="mode 'delete', not 'mark'"):
        Store(database, mode="mark").open()
    store.conn.execute("UPDATE sink_meta SET value = '99' WHERE name = 'table_version'")
    with pytest.raises(SinkError, match="table version 99, newer than"):
        Store(database).open()


@pytest.mark.parametrize("table", [ARTICLES, CASUALTIES, ATTACKS, INCIDENTS])
def test_sink_tables_have_a_column_for_every_row_field(table):
    from stream.sink.rows import COLUMNS_OF

    message = {ARTICLES: lambda: revision_messages(make_analysis(), 1)[-1].value,
               CASUALTIES: lambda: revision_messages(make_analysis(), 1)[0].value,
               ATTACKS: lambda: revision_messages(make_analysis(), 1)[2].value,
               INCIDENTS: lambda: merge_updates()[0][1]}[table]()
    assert set(COLUMNS_OF[table](message)) == {n for n, _ in COLUMNS[table]} - MARK_COLUMNS


def test_sink_store_refuses_an_unknown_url():
    with pytest.raises(SinkError, match="unsupported database URL"):
        Store("mysql://localhost/db")


def test_sink_store_sqlite_readers_see_committed_rows_only(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'sink.db'}").open()
    store.write(Feed().messages(revision_messages(make_analysis(), 1)))
    reader = sqlite3.connect(tmp_path / "sink.db")
    assert reader.execute("SELECT count(*) FROM casualties").fetchone()[0] == 2


def test_sink_store_one_batch_or_many_give_the_same_tables(database, tmp_path):
    first = revision_messages(make_analysis(), 1)
    stream = first + revision_messages(revised(make_analysis()), 2, [first[1].value["event_id"]]) + first
    together = Store(database).open()
    together.write(Feed().messages(stream))
    apart = Store(f"sqlite:///{tmp_path / 'apart.db'}").open()
    for record in Feed().messages(stream):
        apart.write([record])
    assert {t: rows(together, t) for t in COLUMNS} == {t: rows(apart, t) for t in COLUMNS}
    assert len(rows(together, CASUALTIES)) == 1


def test_sink_store_sinks_starting_together_create_the_tables_once(database):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: Store(database).open(), range(4)))
    assert [s.table_version() for s in stores] == [TABLE_VERSION] * 4
