"""data quality: flags raised by the rules, admins' rules between indicators, thresholds per indicator

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quality_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("breakdown", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("observed", sa.Float(), nullable=True),
        sa.Column("expected", sa.Float(), nullable=True),
        sa.Column("low", sa.Float(), nullable=True),
        sa.Column("high", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["changed_by_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quality_flag") as batch:
        for column in ("rule", "indicator_id", "area_id", "organisation_id", "status"):
            batch.create_index(batch.f(f"ix_quality_flag_{column}"), [column], unique=False)
    op.create_table(
        "quality_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("left", sa.String(length=500), nullable=False),
        sa.Column("operator", sa.String(length=2), nullable=False),
        sa.Column("right", sa.String(length=500), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.JSON(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quality_rule") as batch:
        batch.create_index(batch.f("ix_quality_rule_code"), ["code"], unique=True)
    op.create_table(
        "quality_setting",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("z_score", sa.Float(), nullable=True),
        sa.Column("modified_z_score", sa.Float(), nullable=True),
        sa.Column("min_points", sa.Integer(), nullable=True),
        sa.Column("denominator_jump", sa.Float(), nullable=True),
        sa.Column("sum_tolerance", sa.Float(), nullable=True),
        sa.Column("min_deviation", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.PrimaryKeyConstraint("indicator_id"),
    )


def downgrade() -> None:
    op.drop_table("quality_setting")
    op.drop_table("quality_rule")
    op.drop_table("quality_flag")
