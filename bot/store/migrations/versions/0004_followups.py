"""Follow-ups on unconfirmed claims: the followups table, one row per (claim, new article) claimed before
posting. A new table only: nothing existing changes.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followups",
        sa.Column("team", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("new_url", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("thread_ts", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("team", "claim_key", "new_url", name="followups_pkey"),
    )


def downgrade() -> None:
    raise RuntimeError("newsbot does not downgrade its store; restore a backup instead")
