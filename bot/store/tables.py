"""Every table newsbot keeps, defined once as SQLAlchemy Core `Table`s; the queries in this package use
them, and the Alembic revisions in `migrations/versions/` build them (one new revision per change: see
DEVELOPERS.md "Adding a table")."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# One analysis per (engine, article text): the same wire story under ten addresses is analysed once.
# `key` is a digest of the pair (bot.analysis.pipeline.cache_key), kept as the row's short handle.
analyses = Table(
    "analyses", metadata,
    Column("key", Text, primary_key=True),
    Column("text_hash", Text, nullable=False),
    Column("engine_id", Text, nullable=False),
    Column("json", Text, nullable=False),
    Column("created", Float, nullable=False),
    UniqueConstraint("engine_id", "text_hash", name="analyses_engine_text"),
)

# Every address that led to an analysis keeps leading to it. `meta` is that address's own source and
# links ({"source": ..., "links": [...]}, JSON) so a syndicated copy keeps its title and site; NULL means
# the analysis's own (rows migrated from the first schema, where the analysis row carried its URL).
analysis_urls = Table(
    "analysis_urls", metadata,
    Column("url", Text, nullable=False),
    Column("engine_id", Text, nullable=False),
    Column("analysis_key", Text, nullable=False),
    Column("meta", Text),
    Column("created", Float, nullable=False),
    PrimaryKeyConstraint("url", "engine_id", name="analysis_urls_pkey"),
    Index("analysis_urls_analysis", "analysis_key"),
)

# One row per link shared in a message. team and channel_type come from the Slack event (privacy: what
# was shared in a private channel, group DM or DM is only shown inside it).
shared_links = Table(
    "shared_links", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team", Text),
    Column("channel", Text, nullable=False),
    Column("message_ts", Text, nullable=False),
    Column("user", Text),
    Column("url", Text, nullable=False),
    Column("created", Float, nullable=False),
    Column("channel_type", Text),
    UniqueConstraint("channel", "message_ts", "url", name="shared_links_channel_message_ts_url_key"),
    Index("shared_links_channel_created", "channel", "created"),
    Index("shared_links_team_created", "team", "created"),
)

# Handled Slack event ids (Slack retries an event it thinks was not acked).
events = Table(
    "events", metadata,
    Column("event_id", Text, primary_key=True),
    Column("created", Float, nullable=False),
    Index("events_created", "created"),
)

# LLM tokens spent per UTC day, added by one atomic upsert so every process counts against one budget.
token_usage = Table(
    "token_usage", metadata,
    Column("day", Text, primary_key=True),
    Column("tokens", BigInteger, nullable=False, server_default="0"),
)

# Single flight across processes: whoever holds the row does the work; `expires` is pushed forward while
# the holder lives, so a row whose holder died is taken over once it expires.
leases = Table(
    "leases", metadata,
    Column("name", Text, primary_key=True),
    Column("holder", Text, nullable=False),
    Column("expires", Float, nullable=False),
)

# A link that could not be fetched, remembered briefly: a 404 shared in 30 channels is fetched once.
fetch_failures = Table(
    "fetch_failures", metadata,
    Column("url", Text, primary_key=True),
    Column("message", Text, nullable=False),
    Column("expires", Float, nullable=False),
)

# Placeholders ("Reading…") still owed their answer. The owner's heartbeat keeps `expires` ahead; a row
# past it belongs to a process that died, and a survivor completes the reply or apologises.
replies_owed = Table(
    "replies_owed", metadata,
    Column("channel", Text, nullable=False),
    Column("ts", Text, nullable=False),
    Column("thread_ts", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("expires", Float, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("created", Float, nullable=False),
    PrimaryKeyConstraint("channel", "ts", name="replies_owed_pkey"),
    Index("replies_owed_expires", "expires"),
)

# Answers owed through a slash command's or button's response_url (valid 30 minutes): kept like replies
# owed, so a survivor answers when the process that acked dies. Deleted once answered.
responses_owed = Table(
    "responses_owed", metadata,
    Column("id", Text, nullable=False),
    Column("response_url", Text, nullable=False),
    Column("kind", Text, nullable=False),  # command | share | compare
    Column("view", Text),
    Column("url", Text, nullable=False),
    Column("url2", Text),  # compare: the second link
    Column("channel", Text),
    Column("user", Text),
    Column("owner", Text, nullable=False),
    Column("expires", Float, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("created", Float, nullable=False),
    PrimaryKeyConstraint("id", name="responses_owed_pkey"),
    Index("responses_owed_expires", "expires"),
)

# --- memory: digests and source lookup (team is '' when Slack gave none: it is part of primary keys) ---

# One digest schedule per channel: a wall-clock time in a named zone, and the instant it is next due.
schedules = Table(
    "schedules", metadata,
    Column("team", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("channel_type", Text),
    Column("cadence", Text, nullable=False),  # daily | weekly
    Column("hour", Integer, nullable=False),
    Column("minute", Integer, nullable=False),
    Column("weekday", Integer),  # 0 = Monday; weekly only
    Column("tz", Text, nullable=False),
    Column("next_due", Float, nullable=False),
    Column("created_by", Text),
    Column("created", Float, nullable=False),
    PrimaryKeyConstraint("team", "channel", name="schedules_pkey"),
    Index("schedules_next_due", "next_due"),
)

# One row per (channel, period) digest, claimed before posting: at most one post across processes.
# status: claimed (being posted by `holder` until `expires`), posted, empty, failed.
digest_runs = Table(
    "digest_runs", metadata,
    Column("team", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("holder", Text, nullable=False),
    Column("expires", Float, nullable=False),
    Column("until", Float),
    Column("ts", Text),
    Column("error", Text),
    Column("created", Float, nullable=False),
    PrimaryKeyConstraint("team", "channel", "period", name="digest_runs_pkey"),
)

# /sources NAME: one row per (name key, quote or claim) of each stored analysis.
sources_index = Table(
    "sources_index", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("analysis_key", Text, nullable=False),
    Column("key", Text, nullable=False),
    Column("who", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("title", Text),
    Column("speaker_kind", Text, nullable=False),
    Column("item", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("article_title", Text),
    Column("published", Text),
    Column("site", Text),
    Index("sources_index_key", "key"),
    Index("sources_index_analysis", "analysis_key"),
)

# Which analyses the index holds, and in which INDEX_VERSION: older ones are indexed again at start-up.
sources_indexed = Table(
    "sources_indexed", metadata,
    Column("analysis_key", Text, primary_key=True),
    Column("version", Integer, nullable=False),
)

# --- follow-ups on unconfirmed claims ---

# The claims each stored analysis flagged (unconfirmed or hedged: bot.memory.followups.watched), written
# as the analysis is stored, so matching a new article reads these few rows, never whole analyses.
# `text_hash` is the article's (engine-independent: a syndicated copy has the same); `names` the prefixes
# of the names the claim may share with a later sentence (bot.memory.watch), for a cheap first cut.
claims_watch = Table(
    "claims_watch", metadata,
    Column("analysis_key", Text, nullable=False),
    Column("sentence_id", Integer, nullable=False),
    Column("text_hash", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("level", Text, nullable=False),
    Column("cues", Text, nullable=False),  # JSON list of the flag's cue words
    Column("names", Text, nullable=False),  # space-separated
    Column("sent_to_model", Boolean, nullable=False),  # Watched.sent_to_model: the model engine read it
    PrimaryKeyConstraint("analysis_key", "sentence_id", name="claims_watch_pkey"),
)

# Which analyses claims_watch holds, in which WATCH_VERSION: others are filled in at start-up.
claims_watched = Table(
    "claims_watched", metadata,
    Column("analysis_key", Text, primary_key=True),
    Column("version", Integer, nullable=False),
)

# One row per (claim, new article), inserted before posting, so that no claim is followed up twice by one
# article whatever the number of processes or syndicated copies: `claim_key` is the earlier article's text
# hash and the sentence's, `new_key` the new article's text hash. `message` is the update as posted
# (chat.postMessage arguments, JSON) so a failed post is retried as it was. status: posting (by `holder`
# until `expires`), waiting (to be tried again from `expires`), posted, failed (for good: `error`).
followup_posts = Table(
    "followup_posts", metadata,
    Column("team", Text, nullable=False),
    Column("claim_key", Text, nullable=False),
    Column("new_key", Text, nullable=False),
    Column("new_url", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("channel", Text, nullable=False),  # the earlier article's conversation and thread
    Column("thread_ts", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("holder", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("expires", Float, nullable=False),
    Column("error", Text),
    Column("ts", Text),
    Column("created", Float, nullable=False),
    PrimaryKeyConstraint("team", "claim_key", "new_key", name="followup_posts_pkey"),
    Index("followup_posts_status_expires", "status", "expires"),
)

# A channel's own engine setting (`/newsbot engine offline|auto`): "offline" keeps the channel's articles
# away from every model provider. No row: the workspace's default (bot/analysis/engine_choice.py).
channel_settings = Table(
    "channel_settings", metadata,
    Column("team", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("engine", Text, nullable=False),  # offline | auto
    Column("set_by", Text),
    Column("updated", Float, nullable=False),
    PrimaryKeyConstraint("team", "channel", name="channel_settings_pkey"),
)
