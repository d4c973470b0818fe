"""A fake OpenAI-compatible server on 127.0.0.1: `POST /v1/chat/completions`, scriptable per test.

Tests queue replies (a good answer, invented quotes, a 429 with Retry-After, 500s, a hang, malformed JSON,
a 400 refusing json_schema or any response_format, the shapes real models answer in: reasoning blocks,
prose, content as a list of parts, `reasoning_content`, a refusal...) and drive the server through the
real openai SDK via its base URL. Every request body is recorded in `requests`.

Also runnable by hand for end-to-end checks of `newsbot analyze`:
    python -m tests.fakes.fake_openai --port 8765 --answer answer.json [--fail 2 --status 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Reply:
    status: int = 200
    content: str | list | None = None  # the assistant message content of a 200 answer (a list: parts)
    message: dict[str, Any] = field(default_factory=dict)  # more message fields: reasoning_content, refusal
    body: Any = None  # a raw body (dict → JSON, str/bytes as is) instead of a chat completion
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str = "stop"
    usage: tuple[int, int] | None = (1000, 200)
    content_type: str = "application/json"  # of a raw `body` (a proxy's error page is text/html)


Script = Reply | Callable[[dict], Reply]


def answer(data: dict | str, **kw: Any) -> Reply:
    """A 200 chat completion whose message content is `data` (JSON-encoded when a dict)."""
    return Reply(content=data if isinstance(data, str) else json.dumps(data), **kw)


def error(status: int, message: str = "error", headers: dict[str, str] | None = None, **kw: Any) -> Reply:
    err_type = "rate_limit_error" if status == 429 else "server_error" if status >= 500 else "invalid_request_error"
    body = {"error": {"message": message, "type": err_type, "param": None, "code": None}}
    return Reply(status=status, body=body, headers=headers or {}, **kw)


def refuse_json_schema(then: Reply) -> Callable[[dict], Reply]:
    """Like servers without structured outputs: 400 for response_format json_schema, else `then`."""
    return refuse_formats("json_schema", then=then)


def refuse_formats(*types: str, then: Reply, message: str | None = None) -> Callable[[dict], Reply]:
    """400 for a request whose response_format type is one of `types` ("none": no response_format at
    all), with the server's own message; else `then`."""

    def reply(request: dict) -> Reply:
        kind = (request.get("response_format") or {}).get("type", "none")
        if kind in types:
            return error(400, message or f"response_format type '{kind}' is not supported by this server")
        return then

    return reply


def refuse_params(*names: str, then: Reply) -> Callable[[dict], Reply]:
    """400 naming the first of `names` the request carries (like OpenAI's reasoning models do for
    temperature, or a server for max_tokens), else `then`."""

    def reply(request: dict) -> Reply:
        for name in names:
            if name in request:
                return error(400, f"Unsupported parameter: '{name}' is not supported with this model.")
        return then

    return reply


def completion(content: str | list | None, model: str, finish_reason: str, usage: tuple[int, int] | None,
               message: dict[str, Any] | None = None) -> dict:
    body: dict[str, Any] = {
        "id": f"chatcmpl-fake{int(time.time() * 1000)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None, **(message or {})},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
    }
    if usage is not None:
        body["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return body


class FakeOpenAI:
    """Replies come from the queued script, then from `default` (if set), else a 500."""

    def __init__(self, default: Script | None = None) -> None:
        self.script: list[Script] = []
        self.default = default
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def enqueue(self, *replies: Script) -> FakeOpenAI:
        self.script.extend(replies)
        return self

    @property
    def calls(self) -> int:
        return len(self.requests)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"error": {"message": "bad JSON"}}, status=400)
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        script = self.script.pop(0) if self.script else self.default
        if script is None:
            return web.json_response({"error": {"message": "no scripted reply"}}, status=500)
        reply = script(body) if callable(script) else script
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.body is not None:
            if isinstance(reply.body, dict):
                return web.json_response(reply.body, status=reply.status, headers=reply.headers)
            data = reply.body.encode() if isinstance(reply.body, str) else reply.body
            return web.Response(body=data, status=reply.status, headers=reply.headers,
                                content_type=reply.content_type)
        data = completion(reply.content, body.get("model", "fake"), reply.finish_reason, reply.usage, reply.message)
        return web.json_response(data, status=reply.status, headers=reply.headers)

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        sockets = site._server.sockets  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/v1"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def _serve(args: argparse.Namespace) -> None:
    with open(args.answer, encoding="utf-8") as f:
        good = answer(f.read())
    fake = FakeOpenAI(default=good)
    fake.enqueue(*[error(args.status, "scripted failure") for _ in range(args.fail)])
    url = await fake.start(args.port)
    print(f"fake OpenAI server at {url}", flush=True)
    try:
        while True:
            await asyncio.sleep(3600)
    finally:
        await fake.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--answer", required=True, help="file holding the model answer (schema v1 JSON)")
    parser.add_argument("--fail", type=int, default=0, help="fail this many requests first")
    parser.add_argument("--status", type=int, default=500, help="status of the failures")
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
