"""A channel's own engine setting (`/newsbot engine offline|auto`).

A new table only: nothing existing changes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_settings",
        sa.Column("team", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("engine", sa.Text, nullable=False),
        sa.Column("set_by", sa.Text),
        sa.Column("updated", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("team", "channel", name="channel_settings_pkey"),
    )


def downgrade() -> None:
    op.drop_table("channel_settings")
