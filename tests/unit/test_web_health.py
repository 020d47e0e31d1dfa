"""Probe answers, the access token and the API's query checks, as pure functions."""

from __future__ import annotations

import pytest

from stream.web import api, auth, health
from stream.web.health import Check


def test_web_report_is_200_when_every_check_passes():
    status, body = health.report({"model": Check(True, "1.0.0+model")})
    assert status == 200
    assert body == {"status": "ok", "checks": {"model": {"ok": True, "detail": "1.0.0+model"}}}


def test_web_report_is_503_with_the_failing_checks_as_the_reason():
    status, body = health.report({"broker": Check(False, "no answer from the broker yet"),
                                  "partitions": Check(True, "2 input partition(s) assigned"),
                                  "model": Check(False, "the model is loading")})
    assert status == 503 and body["status"] == "fail"
    assert body["reason"] == "broker: no answer from the broker yet; model: the model is loading"
    assert body["checks"]["partitions"]["ok"] is True


@pytest.mark.parametrize(("since_beat", "ok"), [(None, True), (0.5, True), (9.9, True), (10.5, False)])
def test_web_event_loop_check_fails_only_when_the_heartbeat_stalls(since_beat, ok):
    assert health.event_loop_check(since_beat, delay=0.002).ok is ok


@pytest.mark.parametrize(("answered_ago", "error", "ok", "says"), [
    (None, None, False, "no answer from the broker yet"),
    (3.0, None, True, "answered 3s ago"),
    (3.0, "KafkaTimeoutError", True, "answered"),  # one failed read is not an outage
    (45.0, None, False, "no answer from the broker for 45s"),
    (45.0, "KafkaConnectionError: Unable to bootstrap", False, "Unable to bootstrap"),
])
def test_web_broker_check(answered_ago, error, ok, says):
    check = health.broker_check(answered_ago, error)
    assert check.ok is ok and says in check.detail


@pytest.mark.parametrize(("recovered", "rebalancing", "ok", "says"), [
    (False, False, False, "waiting for partitions"),
    (True, True, False, "rebalancing"),
    (False, True, False, "rebalancing"),
    (True, False, True, "3 input partition(s) assigned"),
])
def test_web_partitions_check(recovered, rebalancing, ok, says):
    check = health.partitions_check(recovered, rebalancing, assigned=3)
    assert check.ok is ok and says in check.detail


def test_web_model_check():
    assert health.model_check(None) == Check(False, "the model is loading")
    assert health.model_check("1.0.0+model-3.8.0") == Check(True, "1.0.0+model-3.8.0")


@pytest.mark.parametrize(("headers", "query", "allowed"), [
    ({}, {}, False),
    ({"Authorization": "Bearer s3cret"}, {}, True),
    ({"Authorization": "bearer s3cret "}, {}, True),
    ({"Authorization": "Bearer wrong"}, {}, False),
    ({"Authorization": "Basic s3cret"}, {}, False),
    ({}, {"token": "s3cret"}, True),
    ({}, {"token": "s3cre"}, False),
    ({"Authorization": "Bearer wrong"}, {"token": "s3cret"}, False),  # the header, when given, decides
])
def test_web_token_check(headers, query, allowed):
    assert auth.allowed("s3cret", headers, query) is allowed


def test_web_no_token_configured_lets_everyone_in():
    assert auth.allowed("", {}, {})


@pytest.mark.parametrize(("query", "expected"), [
    ({}, (None, api.DEFAULT_LIMIT)),
    ({"type": "casualty"}, ("casualty", api.DEFAULT_LIMIT)),
    ({"type": "attack", "limit": "5"}, ("attack", 5)),
    ({"type": "", "limit": "100"}, (None, 100)),
])
def test_web_recent_query(query, expected):
    assert api.recent_query(query, most=100) == expected


@pytest.mark.parametrize(("query", "says"), [
    ({"type": "bombing"}, "type must be one of casualty, attack"),
    ({"limit": "ten"}, "whole number"),
    ({"limit": "0"}, "between 1 and 100"),
    ({"limit": "101"}, "between 1 and 100"),
])
def test_web_recent_query_refuses_what_it_cannot_use(query, says):
    with pytest.raises(api.BadQuery, match=says):
        api.recent_query(query, most=100)
