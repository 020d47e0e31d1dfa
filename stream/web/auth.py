"""The optional access token (STREAM_WEB_TOKEN) of the dashboard and the JSON API.

Probes and ``/metrics`` stay open: Kubernetes and Prometheus read them, and they show no article text.
"""

from __future__ import annotations

import hmac
from typing import Mapping


def presented_token(headers: Mapping[str, str], query: Mapping[str, str]) -> str:
    """The token a request carries: ``Authorization: Bearer <token>``, else ``?token=``."""
    scheme, _, value = headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return query.get("token", "")


def allowed(expected: str, headers: Mapping[str, str], query: Mapping[str, str]) -> bool:
    """True if no token is configured, or the request carries it (compared in constant time)."""
    if not expected:
        return True
    return hmac.compare_digest(presented_token(headers, query).encode(), expected.encode())
