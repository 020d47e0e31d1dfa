"""``stream sink``: the event topics kept as current tables in SQLite or PostgreSQL, exactly once."""
