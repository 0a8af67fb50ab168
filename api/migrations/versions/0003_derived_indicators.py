"""derived indicators: computed from a count indicator in the child areas (e.g. segregation from school counts)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derivation", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("derivation_group", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("derived_from_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_indicator_derived_from", "indicator", ["derived_from_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_constraint("fk_indicator_derived_from", type_="foreignkey")
        batch_op.drop_column("derived_from_id")
        batch_op.drop_column("derivation_group")
        batch_op.drop_column("derivation")
