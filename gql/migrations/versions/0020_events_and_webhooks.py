"""events: the outbox, webhook endpoints and their deliveries

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 22:55:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from gql.tenancy import drop_row_level_security_statements, row_level_security_statements

# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tenant-owned tables this revision creates, each confined to its company. The
# outbox is a platform table (gql/domains/events/outbox.py says why).
TABLES = ("webhook_endpoint", "webhook_delivery")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"  # SQLite has no row-level security


def _entity_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.String(length=24), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("company_id", sa.String(length=24), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=24), nullable=False),
        sa.Column("node_id", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_outbox_events_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_events_company_id_id", "outbox_events", ["company_id", "id"])

    op.create_table(
        "webhook_endpoint",
        *_entity_columns(),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_webhook_endpoint_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoint")),
    )
    with op.batch_alter_table("webhook_endpoint", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_endpoint_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "ix_webhook_endpoint_company_created", ["company_id", "created_at", "id"], unique=False
        )

    op.create_table(
        "webhook_delivery",
        *_entity_columns(),
        sa.Column("endpoint_id", sa.String(length=24), nullable=False),
        sa.Column("event_id", BIG_ID, nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_webhook_delivery_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoint.id"],
            name=op.f("fk_webhook_delivery_endpoint_id_webhook_endpoint"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["outbox_events.id"],
            name=op.f("fk_webhook_delivery_event_id_outbox_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_delivery")),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_webhook_delivery_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "ix_webhook_delivery_due", ["company_id", "status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_webhook_delivery_endpoint",
            ["company_id", "endpoint_id", "created_at", "id"],
            unique=False,
        )

    if _on_postgresql():
        for table in TABLES:
            for statement in row_level_security_statements(table):
                op.execute(statement)


def downgrade() -> None:
    if _on_postgresql():
        for table in reversed(TABLES):
            for statement in drop_row_level_security_statements(table):
                op.execute(statement)
    op.drop_table("webhook_delivery")
    op.drop_table("webhook_endpoint")
    op.drop_index("ix_outbox_events_company_id_id", table_name="outbox_events")
    op.drop_table("outbox_events")
