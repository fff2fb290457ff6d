"""throttle: what each payment took from the bucket (its cost, and any points paid ahead)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 07:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "rate_bucket",
        sa.Column(
            "taken",
            sa.Numeric(precision=20, scale=3).with_variant(sa.BigInteger(), "sqlite"),
            nullable=False,
            server_default="0",
        ),
    )


def downgrade() -> None:
    op.drop_column("rate_bucket", "taken")
