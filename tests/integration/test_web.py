"""The ops view of a real worker on the real broker: probes, Prometheus, JSON API, dashboard in Chromium.

One worker (with an access token) serves the module: it is sent the sample articles, an exact
re-send, a hostile article and known bad inputs, and every test reads what it reports.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from stream import topics
from stream.demo import samples_dir
from stream.ingest.files import read_items
from tests.integration.conftest import Pipeline, Worker, new_pipeline, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "web-test-token-4f9a"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"
# Either would set the page's title or a mark on <body> if it ever ran.
SCRIPT_PAYLOAD = "<script>document.title='pwned';document.body.dataset.pwned='script'</script>"
IMG_PAYLOAD = "<img src=x onerror=\"document.title='pwned';document.body.dataset.pwned='img'\">"
HOSTILE = orjson.dumps({
    "id": "web-hostile", "title": f"Gunmen kill five in Zamfara {IMG_PAYLOAD}", "source": "<b>Example Wire</b>",
    "published_at": "2026-02-02",
    "body": f"Gunmen killed five villagers {SCRIPT_PAYLOAD} in Zamfara state on Sunday, police said.",
})
BAD = {
    b"{not json": "not_json",
    b"[1, 2]": "not_an_object",
    b'{"id": "web-no-body"}': "missing_body",
    b'{"id": "web-no-body-2", "title": "still none"}': "missing_body",
    b'{"id": 7, "body": "An id must be a string."}': "wrong_type",
    b'{"id": "web-dated", "body": "Text.", "published_at": "soon"}': "invalid_published_at",
}


@dataclass
class Served:
    pipe: Pipeline
    worker: Worker
    sent: int  # messages put on articles.raw
    processed: list[dict]  # every articles.processed value, in order
    resent: int


def get(worker: Worker, path: str, token: str | None = TOKEN) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(worker.web_url + path,
                                     headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(worker: Worker, path: str, token: str | None = TOKEN) -> dict:
    status, _, body = get(worker, path, token)
    assert status == 200, (path, status, body)
    return json.loads(body)


@pytest.fixture(scope="module")
def served(kafka, tmp_path_factory) -> Served:
    pipe = new_pipeline(kafka, tmp_path_factory.mktemp("web"))
    worker = pipe.start_worker(STREAM_WEB_TOKEN=TOKEN)
    articles = [item for path in sorted(samples_dir().glob("*.json")) for item in read_items(str(path))]
    asyncio.run(pipe.produce([item.value for item in articles] + list(BAD),
                             [item.key for item in articles] + [None] * len(BAD)))
    expected = len(articles)
    asyncio.run(pipe.read((topics.PROCESSED,), until=lambda r: len(r[topics.PROCESSED]) >= expected))
    asyncio.run(pipe.produce([articles[0].value, HOSTILE]))  # an exact re-send, then the hostile article
    out = asyncio.run(pipe.read((topics.PROCESSED,), until=lambda r: len(r[topics.PROCESSED]) >= expected + 1))
    sent = len(articles) + len(BAD) + 2

    def caught_up() -> bool:  # offsets are committed, and read from Kafka, every few seconds
        group = get_json(worker, "/api/stats")["group"]
        arrived = sum(p["end"] for p in group["partitions"] if p["topic"] == pipe.topic(topics.RAW))
        return arrived == sent and group["lag_total"] == 0
    wait_for(caught_up, "Kafka's offsets to show every message arrived and committed")
    yield Served(pipe, worker, sent, [r.value for r in out[topics.PROCESSED]], 1)
    worker.stop()


def test_web_stats_count_what_was_produced(served):
    stats = get_json(served.worker, "/api/stats")
    claims = {"casualty": Counter(c["status"] for p in served.processed for c in p["casualties"]),
              "attack": Counter(c["attack_type"] for p in served.processed for c in p["attacks"])}
    assert stats["totals"] == {
        "consumed": served.sent, "processed": len(served.processed), "dead_lettered": len(BAD),
        "duplicates": served.resent, "casualty_claims": sum(claims["casualty"].values()),
        "attack_claims": sum(claims["attack"].values())}
    assert stats["dead_letters"] == Counter(BAD.values())
    assert stats["claims"] == claims
    assert stats["worker"]["group"] == served.pipe.prefix + "conflict-stream"
    assert stats["worker"]["extractor_version"] == served.processed[0]["extractor_version"]
    assert stats["worker"]["ready"]["status"] == "ok" and stats["worker"]["uptime_seconds"] > 0
    group = stats["group"]
    assert {(p["topic"], p["partition"]) for p in group["partitions"]} == {
        (served.pipe.topic(name), n) for name in (topics.RAW, topics.ACCEPTED) for n in (0, 1)}
    assert sum(p["end"] for p in group["partitions"] if p["topic"] == served.pipe.topic(topics.RAW)) == served.sent
    assert group["lag_total"] == 0 and group["error"] is None
    assert stats["per_second"]["processed"] > 0


def test_web_metrics_parse_with_the_client_parser_and_match_the_stats(served):
    status, headers, body = get(served.worker, "/metrics", token=None)  # open, like the probes
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")
    families = {family.name: family for family in text_string_to_metric_families(body.decode())}
    value = lambda name, **labels: sum(s.value for s in families[name].samples  # noqa: E731
                                       if s.name == name + "_total" and labels.items() <= s.labels.items())
    stats = get_json(served.worker, "/api/stats")
    assert value("conflict_stream_articles_consumed") == served.sent
    assert value("conflict_stream_articles_processed") == len(served.processed)
    assert value("conflict_stream_articles_duplicate") == served.resent
    for reason, count in Counter(BAD.values()).items():
        assert value("conflict_stream_articles_dead_lettered", reason=reason, stage="ingest") == count
    for status_name, count in stats["claims"]["casualty"].items():
        assert value("conflict_stream_casualty_claims", status=status_name) == count
    for attack_type, count in stats["claims"]["attack"].items():
        assert value("conflict_stream_attack_claims", attack_type=attack_type) == count

    def histogram(name: str, suffix: str) -> float:
        return next(s.value for s in families[name].samples if s.name == name + suffix)
    assert histogram("conflict_stream_processing_latency_seconds", "_count") == len(served.processed)
    assert 0 < histogram("conflict_stream_processing_latency_seconds", "_sum") < 120 * len(served.processed)
    assert histogram("conflict_stream_batch_size", "_sum") == len(served.processed) + served.resent
    assert histogram("conflict_stream_nlp_seconds", "_count") == histogram("conflict_stream_batch_size", "_count")
    lag = {(s.labels["topic"], s.labels["partition"]) for s in families["conflict_stream_consumer_lag"].samples}
    assert lag == {(served.pipe.topic(n), str(p)) for n in (topics.RAW, topics.ACCEPTED) for p in (0, 1)}
    assert value("conflict_stream_rebalances") >= 1
    assert families["process_resident_memory_bytes"].samples[0].value > 50e6
    (info,) = families["conflict_stream_worker_info"].samples
    assert info.labels == {"extractor_version": stats["worker"]["extractor_version"]}


def test_web_health_probes_answer_200_once_ready_without_a_token(served):
    status, _, body = get(served.worker, "/health/ready", token=None)
    ready = json.loads(body)
    assert status == 200 and ready["status"] == "ok" and "reason" not in ready
    assert {name: check["ok"] for name, check in ready["checks"].items()} == {
        "broker": True, "partitions": True, "model": True}
    assert ready["checks"]["partitions"]["detail"] == "4 input partition(s) assigned"  # alone in its group
    status, _, body = get(served.worker, "/health/live", token=None)
    assert status == 200 and json.loads(body)["checks"]["event_loop"]["ok"]


def test_web_recent_filters_by_type_and_limit_and_keeps_text_as_text(served):
    casualties = get_json(served.worker, "/api/recent?type=casualty&limit=100")["events"]
    attacks = get_json(served.worker, "/api/recent?type=attack&limit=3")["events"]
    assert casualties and {e["type"] for e in casualties} == {"casualty"}
    assert len(attacks) == 3 and {e["type"] for e in attacks} == {"attack"}
    newest = casualties[0]
    assert newest["article_id"] == "web-hostile" and newest["what"] == "killed"
    hostile = {"".join(piece["text"] for piece in e["evidence"]): e for e in casualties
               if e["article_id"] == "web-hostile"}
    body = next(e for text, e in hostile.items() if SCRIPT_PAYLOAD in text)  # markup kept as text
    assert any(IMG_PAYLOAD in text for text in hostile)  # the headline's claim: its markup too
    assert body["title"].endswith(IMG_PAYLOAD) and body["source"] == "<b>Example Wire</b>"
    assert {"text": "killed", "mark": "trigger"} in body["evidence"]
    # The updated Kharkiv story replaced its first revision's events.
    assert {e["revision"] for e in casualties if e["article_id"] == "demo-wire-0002"} == {2}
    both = get_json(served.worker, "/api/recent?limit=5")["events"]
    assert len(both) == 5 and both[0]["article_id"] == "web-hostile"
    for bad in ("type=bombs", "limit=0", "limit=many", "limit=1000"):
        status, _, body = get(served.worker, f"/api/recent?{bad}")
        assert status == 400 and json.loads(body)["error"], bad


def test_web_token_guards_dashboard_and_api_but_not_probes_or_metrics(served):
    for path in ("/dashboard", "/api/stats", "/api/recent"):
        status, headers, _ = get(served.worker, path, token=None)
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), path
        assert get(served.worker, path, token="wrong")[0] == 401, path
        assert get(served.worker, f"{path}?token={TOKEN}", token=None)[0] == 200, path
    for path in ("/health/live", "/health/ready", "/metrics"):
        assert get(served.worker, path, token=None)[0] == 200, path
    _, _, page = get(served.worker, "/dashboard")
    _, _, metrics = get(served.worker, "/metrics")
    assert TOKEN.encode() not in page + metrics
    assert TOKEN not in served.worker.output()


def test_web_listens_on_loopback_without_faust_table_and_router(served):
    port = int(served.worker.web_url.rsplit(":", 1)[1])
    listening = _listening_addresses(port)
    assert listening == {"127.0.0.1"}, listening
    for path in ("/table", "/router"):
        assert get(served.worker, path)[0] == 404, path


def _listening_addresses(port: int) -> set[str]:
    """Addresses with a TCP socket listening on ``port``, from /proc/net/tcp and tcp6 (Linux)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:  # 0A: LISTEN
                found.add("127.0.0.1" if address == "0100007F" else address)
    return found


def test_web_status_command_summarises_the_worker(served):
    env = {**os.environ, **served.pipe.env, "STREAM_WEB_TOKEN": TOKEN}
    done = subprocess.run([sys.executable, "-m", "stream.cli", "status", "--url", served.worker.web_url],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "ready" in done.stdout and f"processed {len(served.processed)}" in done.stdout
    assert "articles.raw" in done.stdout and "not_json 1" in done.stdout
    as_json = subprocess.run([sys.executable, "-m", "stream.cli", "status", "--url", served.worker.web_url, "--json"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(as_json.stdout)["totals"]["processed"] == len(served.processed)
    refused = subprocess.run([sys.executable, "-m", "stream.cli", "status", "--url", served.worker.web_url,
                              "--token", "wrong"], env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "token" in refused.stderr


# -- the dashboard in a real browser ------------------------------------------------------
def chromium(url: str, *flags: str, home: Path) -> str:
    """Headless Chromium on ``url`` (scripts and fetches run in virtual time first); returns its stdout."""
    binary = shutil.which("chromium")
    if binary is None:
        pytest.skip("Debian's chromium is not installed (`make test` installs it)")
    done = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={home}", "--virtual-time-budget=10000", "--window-size=1400,1500", *flags, url],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class EvidenceText(HTMLParser):
    """The text of each ``blockquote.evidence`` in a page, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.quotes: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += 1
        elif tag == "blockquote" and "evidence" in (dict(attrs).get("class") or ""):
            self._depth = 1
            self.quotes.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.quotes[-1] += data


def test_web_dashboard_in_chromium_shows_the_events_and_hostile_text_as_text(served, tmp_path):
    url = f"{served.worker.web_url}/dashboard?token={TOKEN}"
    shown = {kind: get_json(served.worker, f"/api/recent?type={kind}&limit=12")["events"]
             for kind in ("casualty", "attack")}
    expected = ["".join(piece["text"] for piece in event["evidence"]) for kind in shown for event in shown[kind]]
    incidents = wait_for(lambda: get_json(served.worker, "/api/incidents?limit=12")["incidents"],
                         "the incident stage to list the samples' incidents")

    def rendered() -> str | None:
        dom = chromium(url, "--dump-dom", home=tmp_path / "profile")
        parser = EvidenceText()
        parser.feed(dom)
        listed = all(incident["incident_id"] in dom for incident in incidents)
        return dom if sorted(parser.quotes) == sorted(expected) and listed else None
    dom = wait_for(rendered, "the dashboard to show the latest events", timeout=90)

    assert "<title>conflict-stream · " in dom and "pwned" not in dom.split("</title>")[0]  # the title was not set
    assert "data-pwned" not in dom  # neither payload ran
    assert "<img" not in dom and "<b>" not in dom  # the markup in the article is text, not elements:
    assert "&lt;img src=x onerror=" in dom and "&lt;b&gt;Example Wire&lt;/b&gt;" in dom
    assert "&lt;script&gt;document.title='pwned'" in dom
    assert 'class="pill ok"' in dom and ">ready</span>" in dom
    assert 'id="rate-processed">' in dom and 'id="reasons"><tr><td>' in dom
    placed = sum(1 for kind in shown for event in shown[kind] if event["point"])
    assert dom.count("<circle ") == placed  # one dot per event with coordinates, or the note says there are none
    assert dom.count('<path class="country"') == 177  # Natural Earth's outlines under the dots
    for kind in shown:  # each dot coloured by how precisely its event is placed
        for event in (e for e in shown[kind] if e["point"]):
            assert f'class="{kind} precision-{event["precision"] or "unknown"}"' in dom
    assert ('<p id="map-note" class="note">no coordinates yet</p>' in dom) == (placed == 0)

    screenshot = tmp_path / "dashboard.png"
    chromium(url, f"--screenshot={screenshot}", home=tmp_path / "profile")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(screenshot, SCREENSHOT)
