"""Ingest: raw bytes from ``articles.raw`` to validated articles, or to a dead-letter reason."""
