"""audit: the append-only trail of metadata changes; audit_event and observation_history refuse UPDATE and DELETE

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from api.db import guard_append_only, unguard_append_only

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Named here, not taken from api.db, so this migration does the same whatever later code appends.
TABLES = ("audit_event", "observation_history")


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_event_at"), "audit_event", ["at"], unique=False)
    op.create_index("ix_audit_event_entity", "audit_event", ["entity", "entity_key"], unique=False)
    op.create_index(op.f("ix_audit_event_submission_id"), "audit_event", ["submission_id"], unique=False)
    op.create_index(op.f("ix_audit_event_user_id"), "audit_event", ["user_id"], unique=False)
    guard_append_only(op.get_bind(), TABLES)


def downgrade() -> None:
    unguard_append_only(op.get_bind(), TABLES)
    op.drop_index(op.f("ix_audit_event_user_id"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_submission_id"), table_name="audit_event")
    op.drop_index("ix_audit_event_entity", table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_at"), table_name="audit_event")
    op.drop_table("audit_event")
