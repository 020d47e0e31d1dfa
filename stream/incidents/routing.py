"""Where an article's candidates go: one message per bucket, keyed by the bucket.

The bucket is the candidate's country, else a guess from the places it names (the
likely country of an ambiguous town), else "ZZ": every report of an
incident must meet the others in one partition, and an incident's reports agree on its
country far more often than on its week (a follow-up story weeks later, a date read as
publication day). Buckets the article used before and no longer does get an empty
message, which withdraws its old reports there.
"""

from __future__ import annotations

from stream.analysis.pipeline import SCHEMA_VERSION

UNKNOWN_BUCKET = "ZZ"


def bucket_of(candidate: dict) -> str:
    return candidate["country"] or candidate["country_guess"] or UNKNOWN_BUCKET


def route(article_id: str, revision: int, candidates: list[dict], previous_buckets: list[str]) -> list[dict]:
    """The ``incidents.candidates`` messages of one article revision, in a stable order."""
    by_bucket: dict[str, list[dict]] = {bucket: [] for bucket in previous_buckets}
    for candidate in candidates:
        by_bucket.setdefault(bucket_of(candidate), []).append(candidate)
    return [{"schema_version": SCHEMA_VERSION, "article_id": article_id, "revision": revision, "bucket": bucket,
             "candidates": found} for bucket, found in sorted(by_bucket.items())]
