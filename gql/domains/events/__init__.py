"""Events: the outbox every committed write leaves its events in (outbox.py), and the
webhooks that deliver them, signed, to integrations (models, service, delivery worker)."""
