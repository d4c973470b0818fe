"""newsbot's memory: digest schedules, digest runs (claimed once), and the /sources NAME index.

New tables only: nothing existing changes, so no data moves. The index is filled at start-up for the
analyses already stored (bot.slack.runtime), not here: a migration should stay quick.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("team", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("channel_type", sa.Text),
        sa.Column("cadence", sa.Text, nullable=False),
        sa.Column("hour", sa.Integer, nullable=False),
        sa.Column("minute", sa.Integer, nullable=False),
        sa.Column("weekday", sa.Integer),
        sa.Column("tz", sa.Text, nullable=False),
        sa.Column("next_due", sa.Float, nullable=False),
        sa.Column("created_by", sa.Text),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("team", "channel", name="schedules_pkey"),
    )
    op.create_index("schedules_next_due", "schedules", ["next_due"])
    op.create_table(
        "digest_runs",
        sa.Column("team", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("period", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.Column("until", sa.Float),
        sa.Column("ts", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("team", "channel", "period", name="digest_runs_pkey"),
    )
    op.create_table(
        "sources_index",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("analysis_key", sa.Text, nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("speaker_kind", sa.Text, nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("article_title", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("site", sa.Text),
    )
    op.create_index("sources_index_key", "sources_index", ["key"])
    op.create_index("sources_index_analysis", "sources_index", ["analysis_key"])
    op.create_table(
        "sources_indexed",
        sa.Column("analysis_key", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    raise RuntimeError("newsbot does not downgrade its store; restore a backup instead")
