"""Answers owed through a response_url, so a surviving process answers a slash command whose process died.

A new table only: nothing existing changes.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "responses_owed",
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("response_url", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("view", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("url2", sa.Text),
        sa.Column("channel", sa.Text),
        sa.Column("user", sa.Text),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("id", name="responses_owed_pkey"),
    )
    op.create_index("responses_owed_expires", "responses_owed", ["expires"])


def downgrade() -> None:
    raise RuntimeError("newsbot does not downgrade its store; restore a backup instead")
