"""`stream browse` (Datasette over a sink's SQLite file) on a database of N articles: start-up, memory, page times.

    .venv/bin/python bench/browse.py --articles 20000     # JSON in bench/results/browse.json

The database is written by the sink's own store from hand-made messages (three claims an article,
spread over 12 countries), so no broker is needed. Each page is fetched --repeat times
after one warm-up; the figures are the median and the slowest.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import free_port, rss_mb  # noqa: E402
from stream.analysis.ids import assign_event_ids  # noqa: E402
from stream.sink.store import Store  # noqa: E402
from tests.unit.test_publish import make_analysis  # noqa: E402
from tests.unit.test_sink import Feed, revision_messages  # noqa: E402

COUNTRIES = [("UA", 49.98, 36.25), ("SY", 36.2, 37.16), ("SD", 15.5, 32.56), ("ML", 12.65, -8.0),
             ("NG", 10.52, 7.44), ("SO", 2.05, 45.32), ("MM", 21.97, 96.08), ("PS", 31.5, 34.47),
             ("CD", -1.68, 29.22), ("AF", 34.53, 69.17), ("YE", 15.35, 44.2), ("BF", 12.37, -1.53)]
PAGES = {
    "casualties, one country, newest first": "/{db}/casualties?country_code=SY&_sort_desc=date",
    "casualties as JSON, one country and month": "/{db}/casualties.json?country_code=SD&date__startswith=2024-10",
    "attacks with their facets": "/{db}/attacks",
    "killed by country and day (kept query)": "/{db}/killed_by_country_and_day.json?since=2024-01-01",
}


def article(n: int) -> dict:
    analysis = copy.deepcopy(make_analysis())
    code, lat, lon = COUNTRIES[n % len(COUNTRIES)]
    analysis["article_id"] = f"bench-{n:06d}"
    for claim in analysis["casualties"] + analysis["attacks"]:
        claim["location"].update(country_code=code, latitude=lat, longitude=lon)
    assign_event_ids(analysis["article_id"], "casualty", analysis["casualties"])
    assign_event_ids(analysis["article_id"], "attack", analysis["attacks"])
    return analysis


def build(url: str, count: int) -> None:
    store = Store(url).open()
    feed = Feed()
    for start in range(0, count, 500):
        batch = [m for n in range(start, min(count, start + 500)) for m in feed.messages(revision_messages(article(n), 1))]
        store.write(batch)
        print(f"\r  database: {min(count, start + 500)}/{count} articles", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    store.close()


def fetch_seconds(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "browse.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="browse-") as tmp:
        path = Path(tmp) / "events.db"
        build(f"sqlite:///{path}", args.articles)
        port = free_port()
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "stream.cli", "browse", f"sqlite:///{path}", "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            while True:
                try:
                    fetch_seconds(f"{base}/events.json")
                    break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - started > 120:
                        raise SystemExit("stream browse did not answer")
                    time.sleep(0.1)
            result = {"articles": args.articles, "file_mb": round(path.stat().st_size / 2**20, 1),
                      "start_seconds": round(time.perf_counter() - started, 2), "pages": {}}
            for name, page in PAGES.items():
                url = base + page.format(db="events")
                fetch_seconds(url)
                times = [fetch_seconds(url) for _ in range(args.repeat)]
                result["pages"][name] = {"median_ms": round(1000 * statistics.median(times), 1),
                                         "slowest_ms": round(1000 * max(times), 1)}
                print(f"  {name}: median {result['pages'][name]['median_ms']} ms, slowest "
                      f"{result['pages'][name]['slowest_ms']} ms", flush=True)
            children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
            result["rss_mb"] = round(sum(rss_mb(int(p)) for p in [proc.pid, *children]), 1)
        finally:
            proc.terminate()
            proc.wait(20)
    print(f"{args.articles} articles ({result['file_mb']} MB): answering after {result['start_seconds']} s, "
          f"RSS {result['rss_mb']} MB (command and server)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"measured": time.strftime("%Y-%m-%d %H:%M:%S"), **result}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
