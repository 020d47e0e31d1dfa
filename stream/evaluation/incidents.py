"""Incident clustering measured on GVA: articles grouped into incidents against the gold incident ids.

The articles of every gold incident go through ``IncidentBuilder`` together, in order of
publication, as a stream would see them; ``_multi_backfill`` sends them again incident after
incident (as an archive or a replay arrives), which must group as well. Each article belongs to the incident its lead
claims joined (an article without claims stays alone). B-cubed precision and recall are
averaged over articles (Bagga and Baldwin, 1998), over all of them and over those whose
gold incident has two or more articles; the trivial one-incident-per-article grouping
scores about 0.72 and 0.55 here. Counts: a gold incident's predicted incident is the one
holding most of its articles; its ``best`` killed (injured) figure, or 0 when it has none,
against ``num_killed`` (``num_injured``), over all incidents and over those with gold > 0.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict

from stream.evaluation.datasets import Case
from stream.evaluation.metrics import SAMPLE_SIZE
from stream.incidents.batch import IncidentBuilder

WINDOW_DAYS = 14  # the worker's defaults (STREAM_INCIDENT_WINDOW_DAYS, STREAM_INCIDENT_UNDATED_DAYS)
UNDATED_DAYS = 7


def score_incidents(cases: list[Case], analyses: list[dict]) -> dict[str, dict]:
    """``gva_incident_*`` metrics from the GVA cases and their analyses (in the order of the cases' articles)."""
    gold_of = [(case, article.id) for case in cases for article in case.articles]
    main, records = _cluster(_in_time_order(analyses))
    items = [(case.case_id, article_id) for case, article_id in gold_of]
    size = Counter(case_id for case_id, _ in items)
    multi = [i for i in items if size[i[0]] >= 2]
    backfill, _ = _cluster(_incident_after_incident(cases, analyses))
    metrics = {"gva_incident_bcubed_f1": _bcubed(items, items, main),
               "gva_incident_bcubed_f1_multi": _bcubed(multi, items, main),
               "gva_incident_bcubed_f1_multi_backfill": _bcubed(multi, items, backfill)}
    for status in ("killed", "injured"):
        outcomes = [_figure_matches(case, status, main, records) for case in cases]
        metrics[f"gva_incident_{status}_exact"] = _share([hit for hit, _ in outcomes], outcomes)
        positive = [(hit, sample) for (hit, sample), case in zip(outcomes, cases) if case.gold[status] > 0]
        metrics[f"gva_incident_{status}_exact_gold_pos"] = _share([hit for hit, _ in positive], positive)
    return {name: result for name, result in metrics.items() if result["n"]}  # a small sample may lack some


def _in_time_order(analyses: list[dict]) -> list[dict]:
    return sorted(analyses, key=lambda a: (a.get("published_at") or "", a["article_id"]))


def _incident_after_incident(cases: list[Case], analyses: list[dict]) -> list[dict]:
    """As an archive is often sent: one incident's articles after the other's (each in time order), the
    incidents in an order that is not time's (by a hash of their id, so every run sends the same)."""
    by_id = {a["article_id"]: a for a in analyses}
    order = sorted(cases, key=lambda c: hashlib.sha256(c.case_id.encode()).hexdigest())
    return [a for case in order for a in _in_time_order([by_id[x.id] for x in case.articles if x.id in by_id])]


def _cluster(analyses: list[dict]) -> tuple[dict[str, str], dict[str, dict]]:
    """(article id -> the incident its lead candidate joined, after merges; incident id -> final record), the
    articles sent in the order given. Articles with no incident are left out."""
    builder = IncidentBuilder(window_days=WINDOW_DAYS, undated_days=UNDATED_DAYS, extractor_version="evaluation")
    now = time.time()
    for analysis in analyses:
        if "error" not in analysis:
            builder.add({**analysis, "revision": 1}, now)
    main = {a["article_id"]: ids[0] for a in analyses if (ids := builder.incident_ids(a["article_id"]))}
    return main, {record["incident_id"]: record for record in builder.final()}


def _bcubed(selected: list[tuple[str, str]], items: list[tuple[str, str]], main: dict[str, str]) -> dict:
    cluster_of = {item: main.get(item[1], item) for item in items}  # no incident: a cluster of its own
    clusters: dict = defaultdict(set)
    golds: dict = defaultdict(set)
    for item in items:
        clusters[cluster_of[item]].add(item)
        golds[item[0]].add(item)
    precision = recall = 0.0
    for item in selected:
        shared = len(clusters[cluster_of[item]] & golds[item[0]])
        precision += shared / len(clusters[cluster_of[item]])
        recall += shared / len(golds[item[0]])
    n = len(selected)
    if not n:
        return {"n": 0}
    p, r = precision / n, recall / n
    split = [item for item in selected if len(clusters[cluster_of[item]] & golds[item[0]]) < len(golds[item[0]])]
    return {"n": n, "value": 2 * p * r / (p + r), "precision": p, "recall": r,
            "failures": [{"case": case_id, "article": article_id, "incident": main.get(article_id)}
                         for case_id, article_id in split[:SAMPLE_SIZE]]}


def _figure_matches(case: Case, status: str, main: dict[str, str], records: dict[str, dict]) -> tuple[bool, dict]:
    votes = Counter(main[a.id] for a in case.articles if a.id in main)
    record = records.get(votes.most_common(1)[0][0]) if votes else None
    figure = (record or {}).get("counts", {}).get(status, {}).get("best", 0)
    return figure == case.gold[status], {"case": case.case_id, "gold": case.gold[status], "predicted": figure,
                                         "incident": record and record["incident_id"]}


def _share(hits: list[bool], outcomes: list[tuple[bool, dict]]) -> dict:
    n = len(hits)
    return {"n": n, "value": sum(hits) / n if n else 0.0,
            "failures": [sample for hit, sample in outcomes if not hit][:SAMPLE_SIZE]}
