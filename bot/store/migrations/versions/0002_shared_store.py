"""A store several processes share: analyses keyed by (engine, text) with a URL → analysis mapping of its
own; shared_links.channel_type; leases (single flight), fetch_failures (brief), replies_owed.

The first schema kept one URL per analysis row and replaced the row when the same text came from another
address; each row's URL becomes a mapping row here (the newest analysis per URL and engine wins), so
every address the old file knew still leads to its analysis.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_urls",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("engine_id", sa.Text, nullable=False),
        sa.Column("analysis_key", sa.Text, nullable=False),
        sa.Column("meta", sa.Text),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("url", "engine_id", name="analysis_urls_pkey"),
    )
    op.create_index("analysis_urls_analysis", "analysis_urls", ["analysis_key"])
    _copy_urls()
    op.drop_index("analyses_url", table_name="analyses")
    op.drop_index("analyses_text", table_name="analyses")
    with op.batch_alter_table("analyses") as batch:
        batch.drop_column("url")
        batch.create_unique_constraint("analyses_engine_text", ["engine_id", "text_hash"])
    with op.batch_alter_table("shared_links") as batch:
        batch.add_column(sa.Column("channel_type", sa.Text))
    op.create_table(
        "leases",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_table(
        "fetch_failures",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_table(
        "replies_owed",
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("ts", sa.Text, nullable=False),
        sa.Column("thread_ts", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("channel", "ts", name="replies_owed_pkey"),
    )
    op.create_index("replies_owed_expires", "replies_owed", ["expires"])


def _copy_urls() -> None:
    """Each old analysis row's URL → a mapping row; when one URL had several rows (its page changed), the
    newest wins. Done in Python so it reads the same on both backends."""
    bind = op.get_bind()
    old = sa.table("analyses", sa.column("key"), sa.column("url"), sa.column("engine_id"), sa.column("created"))
    newest: dict[tuple[str, str], tuple[str, float]] = {}
    rows = bind.execute(sa.select(old.c.url, old.c.engine_id, old.c.key, old.c.created)
                        .where(old.c.url.is_not(None)).order_by(old.c.created, old.c.key))
    for url, engine_id, key, created in rows:
        newest[(url, engine_id)] = (key, created)
    if newest:
        urls = sa.table("analysis_urls", sa.column("url"), sa.column("engine_id"), sa.column("analysis_key"),
                        sa.column("meta"), sa.column("created"))
        bind.execute(urls.insert(), [
            {"url": url, "engine_id": engine_id, "analysis_key": key, "meta": None, "created": created}
            for (url, engine_id), (key, created) in newest.items()
        ])


def downgrade() -> None:
    raise RuntimeError("newsbot does not downgrade its store; restore a backup instead")
