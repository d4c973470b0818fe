"""`newsbot digest` prints the digest a channel would get, from the database the bot writes (no Slack)."""

from __future__ import annotations

import asyncio
import json

from bot.analysis import offline
from bot.analysis.model import Article, Source
from bot.memory.digest import Share, build_digest
from bot.store import Store
from tests.test_cli import newsbot
from tests.test_memory import PUTIN_TEXT


async def _fill(db: str) -> str:
    store = await Store.open(db)
    analysis = offline.analyze(Article(text=PUTIN_TEXT, source=Source(title="Putin says Russia wants calm in Gaza",
                                                                      site="Harbor Daily")))
    url = "https://news.example/putin"
    await store.put_analysis("K1", url=url, text_hash="h", engine_id="x", analysis_json=analysis.to_json())
    await store.record_link(team="T1", channel="C1", message_ts="1.1", user="U1", url=url, channel_type="channel")
    await store.record_link(team="T1", channel="C2", message_ts="1.2", user="U2", url="https://news.example/other")
    await store.close()
    return url


def test_digest_json_and_text(tmp_path):
    db = str(tmp_path / "n.sqlite")
    url = asyncio.run(_fill(db))
    out = newsbot("digest", "--channel", "C1", "--db", db, "--since", "2000-01-01", "--json")
    assert out.returncode == 0, out.stderr
    digest = json.loads(out.stdout)
    assert digest["schema"] == "newsbot/digest@1"
    [story] = digest["stories"]
    assert story["title"] == "Putin says Russia wants calm in Gaza" and story["articles"][0]["url"] == url
    assert story["articles"][0]["shared_by"] == ["U1"]
    assert any("Wagner" in w["text"] for w in digest["watch"])
    assert digest["most_quoted"][0]["name"] == "Vladimir Putin"
    text = newsbot("digest", "--channel", "C1", "--db", db, "--since", "2000-01-01")
    assert "Putin says Russia wants calm in Gaza" in text.stdout and "Unconfirmed claims to watch" in text.stdout
    # The same builder as the bot: the JSON is build_digest's own.
    same = build_digest([Share(url, "U1", 0.0, "1.1")], {}, {}, label="x", since=0, until=1)
    assert set(same.to_dict()) == set(digest)


def test_digest_of_an_empty_period_and_bad_dates(tmp_path):
    db = str(tmp_path / "n.sqlite")
    asyncio.run(_fill(db))
    out = newsbot("digest", "--channel", "C1", "--db", db, "--since", "2000-01-01", "--until", "2000-01-02")
    assert out.returncode == 0 and "no digest would be posted" in out.stdout
    bad = newsbot("digest", "--channel", "C1", "--db", db, "--since", "yesterday")
    assert bad.returncode == 2 and "--since must be a date" in bad.stderr
