"""Ledgergraph: one GraphQL graph over a small business's books."""
