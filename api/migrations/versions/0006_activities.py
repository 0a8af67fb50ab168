"""activities: the register of mutually reinforcing activities per organisation and goal

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["goal_id"], ["goal.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_activity_goal_id"), "activity", ["goal_id"], unique=False)
    op.create_index(op.f("ix_activity_organisation_id"), "activity", ["organisation_id"], unique=False)
    op.create_table(
        "activity_area",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.PrimaryKeyConstraint("activity_id", "area_id"),
    )
    op.create_index(op.f("ix_activity_area_area_id"), "activity_area", ["area_id"], unique=False)
    op.create_table(
        "activity_indicator",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"]),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.PrimaryKeyConstraint("activity_id", "indicator_id"),
    )
    op.create_index(op.f("ix_activity_indicator_indicator_id"), "activity_indicator", ["indicator_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_activity_indicator_indicator_id"), table_name="activity_indicator")
    op.drop_table("activity_indicator")
    op.drop_index(op.f("ix_activity_area_area_id"), table_name="activity_area")
    op.drop_table("activity_area")
    op.drop_index(op.f("ix_activity_organisation_id"), table_name="activity")
    op.drop_index(op.f("ix_activity_goal_id"), table_name="activity")
    op.drop_table("activity")
