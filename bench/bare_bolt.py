"""The yardstick for ack latency: a Bolt AsyncApp over aiohttp that only acks, as small as Bolt allows.

    python bench/bare_bolt.py --port 3100 --secret S

Signatures are checked (as in newsbot), the `message` listener does nothing; no database, no Web API calls.
"""

from __future__ import annotations

import argparse

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult


def build(secret: str) -> AsyncApp:
    async def authorize(**_: object) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id="T0000001", bot_token="xoxb-bare",
                               bot_id="BBARE", bot_user_id="UBARE")

    app = AsyncApp(signing_secret=secret, authorize=authorize)

    @app.event("message")
    async def on_message() -> None:
        return None

    return app


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--secret", required=True)
    args = ap.parse_args()
    build(args.secret).start(port=args.port, path="/slack/events")


if __name__ == "__main__":
    main()
