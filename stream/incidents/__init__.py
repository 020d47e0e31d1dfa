"""Incidents: one record per real-world event, built from the claims of many articles. Pure: no Kafka, no Faust.

``candidates`` (what one article says about each event) -> ``routing`` (the bucket, a
country, where its candidates meet others) -> ``matching`` (does a report fit an incident)
-> ``clustering`` (incidents joined, merged, closed) -> ``records`` (the published form).
``batch.IncidentBuilder`` runs them in one process for ``stream extract --incidents`` and
the evaluation; the worker runs the same steps in two agents over Faust tables.
"""
