"""Database plumbing in three parts: `columns` (column types and the base tables),
`tenant` (the ORM tenant filter) and `engine` (engine, sessions, time budget and the
per-transaction settings PostgreSQL's row-level security reads)."""
