"""bench/common.py's sampler: each mix is taken evenly across the corpus, the same for the same seed."""

import json

import pytest

from bench.common import sampled_articles


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    rows = [{"id": str(n), "title": f"t{n}", "text": f"row {n}", "conflict_domain": n % 3 == 0} for n in range(300)]
    path.write_text("\n".join(json.dumps(row) for row in rows))
    return path


def _rows(items):
    return [int(item["body"].split()[1]) for item in items]


@pytest.mark.parametrize("mix,keep", [("conflict", lambda n: n % 3 == 0), ("other", lambda n: n % 3 != 0),
                                      ("even", lambda n: True)])
def test_sampled_articles_takes_only_the_mix_and_spreads_across_it(corpus, mix, keep):
    rows = _rows(sampled_articles(corpus, 10, "x", mix))
    assert len(rows) == 10 and all(keep(n) for n in rows)
    assert min(rows) < 40 and max(rows) > 250  # from the start of the corpus to its end, not its first rows


def test_sampled_articles_is_seeded_and_gives_fresh_ids(corpus):
    first = sampled_articles(corpus, 10, "x", "even", seed=1)
    assert first == sampled_articles(corpus, 10, "x", "even", seed=1)
    assert [item["id"] for item in first] == [f"x-{n}" for n in range(10)]
    assert _rows(first) != _rows(sampled_articles(corpus, 10, "x", "even", seed=2))


def test_sampled_articles_cycles_a_small_mix_and_is_empty_for_a_missing_one(corpus, tmp_path):
    assert len(set(_rows(sampled_articles(corpus, 150, "x", "conflict")))) == 100
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"text": "no domain field"}))
    assert sampled_articles(plain, 3, "x", "conflict") == []
    assert len(sampled_articles(plain, 3, "x", "even")) == 3
