"""The outside world for the Slack benches, in a process of its own: a fake Slack Web API, article servers
and (optionally) a fake OpenAI-compatible model, all on 127.0.0.1.

    python bench/fake_services.py --links 20 [--article-delay 1] [--model-delay 5] [--slack-faults 0.05]

Prints one JSON line with the addresses ({"slack_api", "links", "openai", "stats"}), then serves until
killed. GET <stats> answers what the fakes saw: every chat.postMessage and chat.update (channel, ts,
thread_ts, whether it was a warning), the 429s and 5xx answered, and article fetches per path. Running them
apart from the load generator keeps their work out of the ack latencies the bench measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.article_server import EXAMPLE, ArticleServer  # noqa: E402
from tests.fakes.fake_openai import FakeOpenAI, answer  # noqa: E402
from tests.fakes.fake_slack import FakeSlack  # noqa: E402

# A schema v1 model answer about examples/article.txt (sentence ids as the offline splitter numbers them).
MODEL_ANSWER = {
    "kind": "news",
    "summary": [{"text": "Officials told residents of three districts to stop drinking tap water after a "
                         "chemical leak.", "sentence_ids": [1]}],
    "claims": [{"text": "Residents have begun stockpiling bottled water.", "sentence_ids": [13],
                "source": "author", "source_kind": "author"}],
    "quotes": [{"speaker": "Elena Varga", "speaker_title": "Mayor", "speaker_kind": "person",
                "text": "We are not going to take chances with people's health,", "kind": "direct",
                "sentence_id": 2}],
    "flags": [{"sentence_id": 13, "cue": "reportedly", "type": "reported"}],
}


class SlowArticles(ArticleServer):
    """Every /news/<slug> answers after `delay` seconds, as a slow news site does."""

    delay: float = 0.0

    async def _news(self, request: web.Request) -> web.Response:
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super()._news(request)


class FlakySlack(FakeSlack):
    """A share of chat.postMessage / chat.update calls, drawn at random, answered with 429 + Retry-After: 1
    or a 5xx page: what slack_sdk's retry handlers must absorb without losing or doubling an answer."""

    share_429: float = 0.0
    share_5xx: float = 0.0

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method in ("chat.postMessage", "chat.update"):
            draw = random.random()
            if draw < self.share_429:
                self.rate_limit[method] = 1
            elif draw < self.share_429 + self.share_5xx:
                self.http_fail[method] = [random.choice([500, 502, 503, 504])]
        return await super()._api(request)


def stats(fake: FakeSlack, articles: list[ArticleServer], model: FakeOpenAI | None) -> dict:
    posts, updates, faults = [], [], {"429": 0, "5xx": 0}
    for call in fake.calls:
        if call.method.endswith(":429"):
            faults["429"] += 1
        elif ":" in call.method:
            faults["5xx"] += 1
        elif call.method == "chat.postMessage":
            posts.append({"channel": call.args.get("channel"), "thread_ts": call.args.get("thread_ts"),
                          "text": str(call.args.get("text", ""))[:80]})
        elif call.method == "chat.update":
            updates.append({"channel": call.args.get("channel"), "ts": call.args.get("ts"),
                            "text": str(call.args.get("text", ""))[:120]})
    hits: dict[str, int] = {}
    for server in articles:
        for path, n in server.hits.items():
            hits[server.base + path] = hits.get(server.base + path, 0) + n
    return {"posts": posts, "updates": updates, "faults": faults, "fetches": hits,
            "model_calls": model.calls if model else 0}


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--links", type=int, default=20, help="distinct article links")
    ap.add_argument("--sites", type=int, default=1, help="article servers the links are spread over")
    ap.add_argument("--same-text", action="store_true",
                    help="every link serves the same story (one wire story syndicated on several sites)")
    ap.add_argument("--article-delay", type=float, default=0.0, help="seconds each article page takes")
    ap.add_argument("--model-delay", type=float, default=None, help="start a fake model answering after this")
    ap.add_argument("--slack-faults", type=float, default=0.0,
                    help="share of chat.postMessage/chat.update calls answered 429 (and as many 5xx)")
    args = ap.parse_args()

    fake = FlakySlack()
    fake.share_429 = fake.share_5xx = args.slack_faults
    await fake.start()
    sites: list[ArticleServer] = []
    for _ in range(args.sites):
        site = SlowArticles()
        site.delay = args.article_delay
        sites.append(await site.start())
    text = EXAMPLE.read_text()
    links = []
    for i in range(args.links):
        story = text if args.same_text else f"{text}\nThis is edition {i} of the story."
        links.append(sites[i % len(sites)].add(f"story-{i}", story))
    model = None
    model_url = None
    if args.model_delay is not None:
        model = FakeOpenAI(default=answer(MODEL_ANSWER, delay=args.model_delay))
        model_url = await model.start()

    app = web.Application()

    async def get_stats(_: web.Request) -> web.Response:
        return web.json_response(stats(fake, sites, model))

    app.router.add_get("/stats", get_stats)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    control = web.TCPSite(runner, "127.0.0.1", 0)
    await control.start()
    port = control._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(json.dumps({"slack_api": fake.api_url, "links": links, "openai": model_url,
                      "stats": f"http://127.0.0.1:{port}/stats"}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
