"""The first schema (SQLite `PRAGMA user_version = 1` in newsbot before Alembic): analyses keyed by a
digest with the URL in the row, shared links, handled events, token usage.

An existing SQLite file of that schema is stamped at this revision, not rebuilt (bot.store.migrate).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analyses",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("text_hash", sa.Text, nullable=False),
        sa.Column("engine_id", sa.Text, nullable=False),
        sa.Column("json", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.create_index("analyses_url", "analyses", ["url", "engine_id"])
    op.create_index("analyses_text", "analyses", ["text_hash", "engine_id"])
    op.create_table(
        "shared_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("team", sa.Text),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("message_ts", sa.Text, nullable=False),
        sa.Column("user", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        sa.UniqueConstraint("channel", "message_ts", "url", name="shared_links_channel_message_ts_url_key"),
    )
    op.create_index("shared_links_channel_created", "shared_links", ["channel", "created"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("created", sa.Float, nullable=False),
    )
    op.create_index("events_created", "events", ["created"])
    op.create_table(
        "token_usage",
        sa.Column("day", sa.Text, primary_key=True),
        sa.Column("tokens", sa.BigInteger, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in ("token_usage", "events", "shared_links", "analyses"):
        op.drop_table(table)
