"""GraphQL subscriptions: the `Subscription` type (schema.py) over WebSockets at /graphql,
authenticated at `connection_init` (connection.py), fed by one event bus per process
(bus.py) from the outbox (gql/domains/events/outbox.py)."""
