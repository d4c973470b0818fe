"""Follow-ups that scale, are retried and are never doubled: the claims_watch list (each stored analysis's
flagged claims, with a claims_watched marker per analysis), followup_posts (one row per (claim, new
article), both keyed by article text rather than address, with a status so a failed post is retried), and
an index for "this team's shares since".

The old followups rows move to followup_posts as posted, their addresses turned into the text hashes
those addresses led to, so nothing already followed up is followed up again. The watch list itself is
filled for the analyses already stored at start-up (bot.slack.upkeep), not here: a migration stays quick.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims_watch",
        sa.Column("analysis_key", sa.Text, nullable=False),
        sa.Column("sentence_id", sa.Integer, nullable=False),
        sa.Column("text_hash", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("level", sa.Text, nullable=False),
        sa.Column("cues", sa.Text, nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("sent_to_model", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("analysis_key", "sentence_id", name="claims_watch_pkey"),
    )
    op.create_table(
        "claims_watched",
        sa.Column("analysis_key", sa.Text, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    posts = op.create_table(
        "followup_posts",
        sa.Column("team", sa.Text, nullable=False),
        sa.Column("claim_key", sa.Text, nullable=False),
        sa.Column("new_key", sa.Text, nullable=False),
        sa.Column("new_url", sa.Text, nullable=False),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("thread_ts", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("ts", sa.Text),
        sa.Column("created", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("team", "claim_key", "new_key", name="followup_posts_pkey"),
    )
    op.create_index("followup_posts_status_expires", "followup_posts", ["status", "expires"])
    op.create_index("shared_links_team_created", "shared_links", ["team", "created"])
    _move_followups(op.get_bind(), posts)
    op.drop_table("followups")


def _move_followups(conn: sa.Connection, posts: sa.Table) -> None:
    meta = sa.MetaData()
    old = sa.Table("followups", meta, autoload_with=conn)
    urls = sa.Table("analysis_urls", meta, autoload_with=conn)
    analyses = sa.Table("analyses", meta, autoload_with=conn)
    hashes: dict[str, list[str]] = {}

    def texts(url: str) -> list[str]:
        """The article texts (hashes) `url` led to; the address itself when it led to none."""
        if url not in hashes:
            rows = conn.execute(sa.select(analyses.c.text_hash).distinct()
                                .join(urls, urls.c.analysis_key == analyses.c.key).where(urls.c.url == url))
            hashes[url] = sorted(row[0] for row in rows) or [url]
        return hashes[url]

    rows: dict[tuple[str, str, str], dict] = {}
    for row in conn.execute(sa.select(old)):
        earlier_url, _, sentence = row.claim_key.rpartition("#")
        for earlier in texts(earlier_url):
            for new in texts(row.new_url):
                key = (row.team, f"{earlier}#{sentence}", new)
                rows.setdefault(key, {
                    "team": row.team, "claim_key": key[1], "new_key": new, "new_url": row.new_url,
                    "decision": row.decision, "channel": row.channel, "thread_ts": row.thread_ts,
                    "message": "{}", "status": "posted", "holder": "migrated", "attempts": 1, "expires": 0.0,
                    "created": row.created})
    if rows:
        conn.execute(posts.insert(), list(rows.values()))


def downgrade() -> None:
    raise RuntimeError("newsbot does not downgrade its store; restore a backup instead")
