"""Deterministic event ids: the same article text always yields the same ids.

An id hashes what the claim *is* (article, kind, the words of its sentence, its trigger
and figure), not where it sits, so a revision that inserts a paragraph elsewhere keeps
the ids of the claims it did not touch, and retracts only those that changed.
"""

from __future__ import annotations

import hashlib
import re

_SPACE = re.compile(r"\s+")


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


def assign_event_ids(article_id: str, kind: str, claims: list[dict]) -> None:
    """Give each claim an ``event_id`` (in place): ``cas-…`` for casualties, ``att-…`` for attacks."""
    seen: dict[str, int] = {}
    prefix = {"casualty": "cas", "attack": "att"}[kind]
    for claim in claims:
        sentence = claim["evidence"]["text"]
        label = claim.get("status") or claim.get("attack_type")
        count = (claim.get("count") or {}).get("text") or ""
        victims = (claim.get("victims") or {}).get("text") or ""
        trigger_at = claim["trigger"]["start"] - claim["evidence"]["start"]
        key = _digest(article_id, kind, label, _SPACE.sub(" ", sentence).strip(), claim["trigger"]["text"],
                      str(trigger_at), count, victims)
        n = seen.get(key, 0)
        seen[key] = n + 1
        claim["event_id"] = f"{prefix}-{key}" if n == 0 else f"{prefix}-{_digest(key, str(n))}"
