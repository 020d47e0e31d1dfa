"""SASL/SCRAM over TLS against the project's own broker: certificates made here, a SCRAM user written into
the broker's storage. A real worker and the CLI reach it over SASL_SSL only; a wrong password fails with a
clear error; the password never appears in any output."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid

import orjson
import pytest

from stream import settings as settings_module
from stream import topics
from stream.broker.security import MECHANISM, SecureCluster, make_certificates
from stream.kafka_io import ensure_topics
from tests.integration.conftest import Pipeline

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PASSWORD = "pw-" + uuid.uuid4().hex  # unique, so finding it anywhere in an output is a leak
ARTICLE = orjson.dumps({"id": "secure-1", "published_at": "2024-10-22",
                        "body": "Gunmen killed 12 people in Kaduna on Monday, police said."})


@pytest.fixture(scope="module")
def secure(tmp_path_factory):
    """(the broker, its CA file): clients over SASL_SSL on ``secure_url()``; the tests' own reader on PLAINTEXT."""
    defaults = settings_module.load()
    home = tmp_path_factory.mktemp("secure-kafka")
    tls = make_certificates(home / "tls")
    cluster = SecureCluster(home / "state", tls=tls, users={"ingestor": PASSWORD}, cache_dir=defaults.cache_dir,
                            maven_repo=defaults.maven_repo, port=0, partitions=2)
    cluster.start(timeout=180)
    yield cluster, tls.ca
    cluster.stop(delete=True)


def secure_pipeline(secure, home, password: str = PASSWORD) -> Pipeline:
    cluster, ca = secure
    prefix = f"s{uuid.uuid4().hex[:10]}."
    return Pipeline(cluster.url(), prefix, home, env={
        "STREAM_BROKER": cluster.secure_url(), "STREAM_TOPIC_PREFIX": prefix, "STREAM_PARTITIONS": "2",
        "STREAM_NLP_PROCESSES": "1", "STREAM_STATE_DIR": str(home / "state"), "STREAM_REPLICATION_FACTOR": "1",
        "STREAM_SECURITY_PROTOCOL": "SASL_SSL", "STREAM_SASL_MECHANISM": MECHANISM,
        "STREAM_SASL_USERNAME": "ingestor", "STREAM_SASL_PASSWORD": password, "STREAM_SSL_CAFILE": str(ca)})


def cli(pipeline: Pipeline, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stream.cli", *args], env={**os.environ, **pipeline.env},
                          input=stdin, capture_output=True, timeout=120)


def test_security_worker_and_cli_work_over_sasl_ssl_without_logging_the_password(secure, tmp_path):
    pipeline = secure_pipeline(secure, tmp_path)
    created = asyncio.run(ensure_topics(pipeline.settings(), pipeline.env["STREAM_BROKER"]))  # admin over SASL_SSL
    assert pipeline.topic(topics.RAW) in created
    worker = pipeline.start_worker()
    produced = cli(pipeline, "produce", "-", stdin=ARTICLE + b"\n")  # a producer over SASL_SSL
    assert produced.returncode == 0, produced.stderr.decode()
    out = asyncio.run(pipeline.read((topics.PROCESSED, topics.CASUALTIES),
                                    until=lambda r: len(r[topics.PROCESSED]) >= 1))
    assert out[topics.PROCESSED][0].value["article_id"] == "secure-1" and out[topics.CASUALTIES]
    tailed = cli(pipeline, "tail", topics.PROCESSED, "--json", "--from-beginning", "--limit", "1")
    assert tailed.returncode == 0 and b'"secure-1"' in tailed.stdout, tailed.stderr.decode()
    listed = cli(pipeline, "deadletter", "list")
    assert listed.returncode == 0 and b"0 dead letter(s)" in listed.stdout, listed.stderr.decode()
    worker.stop()
    for output in (worker.output().encode(), produced.stdout + produced.stderr, tailed.stdout + tailed.stderr,
                   listed.stdout + listed.stderr):
        assert PASSWORD.encode() not in output


def test_security_wrong_password_fails_with_a_clear_error(secure, tmp_path):
    pipeline = secure_pipeline(secure, tmp_path, password=PASSWORD + "-wrong")
    refused = [cli(pipeline, "deadletter", "list"), cli(pipeline, "produce", "-", stdin=ARTICLE + b"\n"),
               cli(pipeline, "tail", topics.PROCESSED, "--from-beginning")]
    for done in refused:
        error = done.stderr.decode()
        assert done.returncode == 1, error
        assert "SaslAuthenticationFailed" in error and "invalid credentials" in error
        assert "cannot connect to" in error and "STREAM_SASL_PASSWORD" in error and "Traceback" not in error
    worker = pipeline.start_worker(wait=False)
    deadline = time.monotonic() + 90
    while "SaslAuthenticationFailed" not in worker.output():
        assert time.monotonic() < deadline, worker.output()[-3000:]
        time.sleep(0.5)
    time.sleep(5)
    assert worker.proc.poll() is None  # it waits and says why; no crash loop
    worker.stop()
    assert "ready in" not in worker.output()
    for output in [done.stdout + done.stderr for done in refused] + [worker.output().encode()]:
        assert PASSWORD.encode() not in output
