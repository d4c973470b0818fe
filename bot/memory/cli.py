"""`newsbot digest`: the digest a channel would get, printed without Slack (same builder as the bot)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from typing import TextIO

from bot.config import ConfigError, Settings
from bot.memory.collect import collect
from bot.memory.digest import Digest


def parse_when(text: str, name: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"{name} must be a date (YYYY-MM-DD) or an ISO time, got {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def render_text(digest: Digest) -> str:
    """The digest as plain text: every story, every article title, the claims to watch, who was quoted."""
    if digest.empty:
        return f"No links were shared in this period ({digest.label}); no digest would be posted.\n"
    out = [f"News digest · {digest.label}: {digest.links} link(s) in {len(digest.stories)} story(ies)", ""]
    for story in digest.stories:
        out.append(f"* {story.title}" + (f"  ({len(story.articles)} outlets)" if len(story.articles) > 1 else ""))
        for a in story.articles:
            facts = f"{a.claims} claims, {a.unconfirmed} unconfirmed" if a.read else "could not be read"
            kind = f" · {a.kind}" if a.kind != "unknown" else ""
            out.append(f"    {a.title} · {a.site or ''}{kind} · {facts} · shared by {', '.join(a.shared_by)}")
            out.append(f"    {a.url}")
        summary = next((a.summary for a in story.articles if a.summary), None)
        if summary:
            out.append(f"    {summary}")
    if digest.watch:
        out += ["", "Unconfirmed claims to watch"]
        out += [f"  - {w.text} ({w.source}; {', '.join(w.cues)}) — {w.article_title}" for w in digest.watch]
    if digest.most_quoted:
        out += ["", "Most quoted"]
        out += [f"  - {q.name}{', ' + q.title if q.title else ''}: {q.quotes} quote(s) in {q.articles} article(s)"
                for q in digest.most_quoted]
    return "\n".join(out) + "\n"


async def digest_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from bot.analysis.pipeline import Pipeline
    from bot.store import Store

    until = parse_when(args.until, "--until") if args.until else datetime.now(UTC)
    store = await Store.open(args.db or settings.db_path)
    try:
        if args.since:
            since = parse_when(args.since, "--since")
        else:
            last = await store.last_digest_until(team=args.team, channel=args.channel)
            since = datetime.fromtimestamp(last, UTC) if last else until - timedelta(days=1)
        try:
            engine_id = Pipeline(settings).engine().engine_id
        except ConfigError:
            engine_id = None
        label = f"{since:%a %d %b %H:%M} – {until:%a %d %b %H:%M} UTC"
        digest = await collect(store, team=args.team, channel=args.channel, since=since.timestamp(),
                               until=until.timestamp(), label=label, engine_id=engine_id)
    finally:
        await store.close()
    out.write(json.dumps(digest.to_dict(), ensure_ascii=False) + "\n" if args.json else render_text(digest))
    return 0
