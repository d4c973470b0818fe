"""A fake Slack Web API on 127.0.0.1 that records every call, plus a signer for requests "from Slack".

Point the app at it with SLACK_API_URL=<fake.url>/api/. Response URLs handed out in slash command
payloads (`fake.response_url(...)`) are served here too, so what the app answers through them is recorded.
Files added with `fake.add_file(...)` are described by files.info and served at their url_private
(/files-pri/...), only to a request bearing the bot token, as Slack's file host does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

DEFAULT_TZ = "America/New_York"
BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"


@dataclass
class Call:
    method: str  # "chat.postMessage", ... or "response_url"
    args: dict[str, Any]
    path: str = ""
    token: str | None = None


@dataclass
class FakeFile:
    id: str
    name: str
    body: bytes
    mimetype: str
    filetype: str
    url_private: str | None = None  # default: served by the fake itself
    redirect_to: str | None = None  # the download answers 302 to this
    size: int | None = None  # default: len(body); files.info reports it
    chunked: bool = False  # send the body in chunks, with no Content-Length
    external: bool = False  # files.info says is_external (a Google Drive file linked in Slack)

    @property
    def path(self) -> str:
        return f"/files-pri/{TEAM_ID}-{self.id}/{self.name}"

    def info(self, base: str) -> dict[str, Any]:
        url = self.url_private or base + self.path
        return {"id": self.id, "name": self.name, "title": self.name, "mimetype": self.mimetype,
                "filetype": self.filetype, "size": len(self.body) if self.size is None else self.size,
                "url_private": url, "url_private_download": url + "?download=1", "is_external": self.external}


@dataclass
class FakeSlack:
    """`await fake.start()`; inspect `fake.calls`; `fail[method] = "error_code"` makes a method fail;
    `rate_limit[method] = n` answers the next n calls with 429 Retry-After: 1; `http_fail[method] = [502, ...]`
    answers the next calls with those statuses and a plain-text page, not JSON."""

    calls: list[Call] = field(default_factory=list)
    fail: dict[str, str] = field(default_factory=dict)
    rate_limit: dict[str, int] = field(default_factory=dict)
    # method → HTTP statuses: the next calls get a plain-text error page instead of Slack's JSON (a proxy, an outage)
    http_fail: dict[str, list[int]] = field(default_factory=dict)
    # channel → HTTP statuses: the same, for the next chat.postMessage calls into that channel only
    http_fail_in: dict[str, list[int]] = field(default_factory=dict)
    omit_ts: bool = False  # answer chat.postMessage without a ts, as a broken proxy might
    # Error pages (http_fail, and response_url answers) repeat the request's headers, as a debugging proxy
    # might: the Authorization header must still never reach the bot's log.
    echo_headers: bool = False
    # Where the Web API methods live: "/api" as on slack.com, or "" for a fake with methods at its root.
    api_prefix: str = "/api"
    # Answer any other POST with Slack's {"ok": false, "error": "unknown_method"}, as a catch-all fake might.
    unknown_method_json: bool = False
    # users.info: user id → {"tz": ..., "display_name": ...}; users not listed get tz DEFAULT_TZ.
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    # conversations.info: channels the bot is not in (public ones answer is_member false, others
    # channel_not_found, as Slack does), and each channel's type when its id does not say (C… public,
    # G… private, D… DM).
    not_member: set[str] = field(default_factory=set)
    channel_types: dict[str, str] = field(default_factory=dict)
    url: str = ""
    _runner: web.AppRunner | None = None
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Event | None = None
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _envelopes: itertools.count = field(default_factory=lambda: itertools.count(1))
    # Files: id → FakeFile (files.info and the url_private download). Downloads need this bearer token.
    files: dict[str, FakeFile] = field(default_factory=dict)
    bot_token: str = "xoxb-test-token"
    # Conversations the bot is not a member of → the error posting there gets (not_in_channel for a
    # public channel, channel_not_found for a private one or a DM it can't see).
    not_in: dict[str, str] = field(default_factory=dict)

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post(self.api_prefix + "/{method}", self._api)
        app.router.add_get(self.api_prefix + "/{method}", self._api)  # slack_sdk GETs users.info, files.info...
        app.router.add_post("/response/{id}", self._response)
        app.router.add_get("/socket", self._socket)
        app.router.add_get("/files-pri/{key}/{name}", self._file)
        if self.unknown_method_json:
            app.router.add_post("/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._changed = asyncio.Event()
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.url}{self.api_prefix}/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:
        """Wait until predicate(self) is true (checked on every recorded call)."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; calls so far: {[(c.method, c.args) for c in self.calls]}")
            assert self._changed is not None
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.2))
            except TimeoutError:
                pass

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        if self._changed:
            self._changed.set()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or args.get("token")
        if self.rate_limit.get(method, 0) > 0:
            self.rate_limit[method] -= 1
            self._record(Call(method + ":429", args, request.path, token))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        failing = self.http_fail.get(method) or (method == "chat.postMessage"
                                                 and self.http_fail_in.get(str(args.get("channel"))))
        if failing:
            status = failing.pop(0)
            self._record(Call(f"{method}:{status}", args, request.path, token))
            return web.Response(status=status, text=f"{status}: Bad Gateway{self._echo(request)}")  # as nginx sends
        self._record(Call(method, args, request.path, token))
        if method in self.fail:
            return web.json_response({"ok": False, "error": self.fail[method]})
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        if method == "auth.test":
            return web.json_response({"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "newsbot",
                                      "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID})
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"})
        if method in ("chat.postMessage", "chat.postEphemeral") and args.get("channel") in self.not_in:
            return web.json_response({"ok": False, "error": self.not_in[args["channel"]]})
        if method == "files.info":
            found = self.files.get(str(args.get("file")))
            if found is None:
                return web.json_response({"ok": False, "error": "file_not_found"})
            return web.json_response({"ok": True, "file": found.info(self.url)})
        if method in ("chat.postMessage", "chat.postEphemeral") and args.get("blocks") in ([], "[]"):
            # Slack may refuse an empty block list on a new message; the app must leave `blocks` out instead.
            return web.json_response({"ok": False, "error": "invalid_blocks"})
        if method == "chat.postMessage":
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            if self.omit_ts:
                return web.json_response({"ok": True, "channel": args.get("channel")})
            return web.json_response({"ok": True, "channel": args.get("channel"), "ts": ts,
                                      "message": {"text": args.get("text"), "ts": ts, "bot_id": BOT_ID}})
        if method in _ANSWERS:
            return web.json_response(_ANSWERS[method](self, args))
        if method == "chat.update":
            return web.json_response({"ok": True, "channel": args.get("channel"), "ts": args.get("ts"),
                                      "text": args.get("text")})
        return web.json_response({"ok": True})

    def add_file(self, file_id: str, name: str, body: bytes, mimetype: str, filetype: str, **extra: Any) -> FakeFile:
        """Serve `body` as a Slack file; `extra` sets FakeFile fields (url_private, redirect_to, size)."""
        self.files[file_id] = FakeFile(file_id, name, body, mimetype, filetype, **extra)
        return self.files[file_id]

    async def _file(self, request: web.Request) -> web.StreamResponse:
        """url_private: the file to the bot token; anyone else is sent to the sign-in page, as Slack does."""
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self._record(Call("file_download", {"key": request.match_info["key"]}, request.path, token or None))
        found = next((f for f in self.files.values() if request.path == f.path), None)
        if found is None:
            raise web.HTTPNotFound(text="file_not_found")
        if token != self.bot_token:
            raise web.HTTPFound(location="https://fake.slack.com/?redir=" + request.path)
        if found.redirect_to:
            raise web.HTTPFound(location=found.redirect_to)
        if not found.chunked:
            return web.Response(body=found.body, content_type=found.mimetype)
        resp = web.StreamResponse(headers={"Content-Type": found.mimetype})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for start in range(0, len(found.body), 16_384):
            await resp.write(found.body[start:start + 16_384])
        await resp.write_eof()
        return resp
    def channel_type(self, channel: str) -> str:
        return self.channel_types.get(channel) or {"G": "group", "D": "im"}.get(channel[:1], "channel")

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = args.get("user") or ""
        info = {"tz": DEFAULT_TZ, "display_name": f"person-{user.lower()}", **self.users.get(user, {})}
        return {"ok": True, "user": {"id": user, "name": info["display_name"], "real_name": info["display_name"],
                                     "tz": info["tz"], "profile": {"display_name": info["display_name"]}}}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel") or ""
        kind = self.channel_type(channel)
        if channel in self.not_member and kind != "channel":
            return {"ok": False, "error": "channel_not_found"}
        info = {"id": channel, "is_channel": kind in ("channel", "group"), "is_group": kind == "group",
                "is_private": kind in ("group", "mpim"), "is_im": kind == "im", "is_mpim": kind == "mpim"}
        if kind != "im":
            info["is_member"] = channel not in self.not_member
        return {"ok": True, "channel": info}

    async def _unknown(self, request: web.Request) -> web.Response:
        self._record(Call("unknown:" + request.path, {}, request.path))
        return web.json_response({"ok": False, "error": "unknown_method"})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record every envelope ack the app sends back."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        self._record(Call("socket_connect", {}, request.path))
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"},
                            "connection_info": {"app_id": "A0000001"}})
        async for msg in ws:
            if msg.type == 1:  # text
                self._record(Call("socket_ack", json.loads(msg.data), request.path))
        return ws

    async def send_envelope(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                            envelope_id: str | None = None) -> str:
        """Push an envelope to the connected app over Socket Mode; returns its id."""
        envelope_id = envelope_id or f"env-{next(self._envelopes)}"
        await self.sockets[-1].send_json({
            "envelope_id": envelope_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api", "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        })
        return envelope_id

    async def _response(self, request: web.Request) -> web.Response:
        args = await _read_args(request)
        self._record(Call("response_url", args, request.path))
        if args.get("blocks") == []:
            return web.Response(status=400, text="invalid_blocks")
        if self.echo_headers:
            return web.Response(status=502, text=f"upstream failed{self._echo(request)}")
        return web.Response(text="ok")

    def _echo(self, request: web.Request) -> str:
        if not self.echo_headers:
            return ""
        return "\n" + "\n".join(f"{k}: {v}" for k, v in request.headers.items())


async def _read_args(request: web.Request) -> dict[str, Any]:
    if request.method == "GET":
        return dict(request.query)
    if request.content_type == "application/json":
        return await request.json()
    form = await request.post()
    args: dict[str, Any] = dict(form)
    for key in ("blocks", "attachments", "unfurls"):
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except ValueError:
                pass
    return args


# --- requests signed as Slack signs them ---------------------------------------------------------------------


def signed_headers(secret: str, body: str, *, timestamp: int | None = None, content_type: str = "application/json",
                   retry_num: int | None = None) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


_event_ids = itertools.count(1)


# Methods answered with more than {"ok": true}: method → answer(fake, args).
_ANSWERS = {
    "users.info": FakeSlack._users_info,
    "conversations.info": FakeSlack._conversations_info,
    "chat.getPermalink": lambda fake, args: {
        "ok": True, "channel": args.get("channel"),
        "permalink": f"https://fake.slack.com/archives/{args.get('channel')}/p{str(args.get('message_ts')).replace('.', '')}"},
    "views.publish": lambda fake, args: {"ok": True, "view": {"id": "V1", "type": "home"}},
}


def message_event(text: str, *, channel: str = "C0000001", ts: str | None = None, user: str = "U0000001",
                  event_id: str | None = None, event_type: str = "message", **extra: Any) -> dict[str, Any]:
    ts = ts or f"{time.time():.6f}"
    event = {"type": event_type, "channel": channel, "user": user, "text": text, "ts": ts,
             "channel_type": "channel", **extra}
    return {
        "token": "legacy", "team_id": TEAM_ID, "api_app_id": "A0000001", "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):010d}", "event_time": int(time.time()), "event": event,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }


def command_body(command: str, text: str, response_url: str, *, user: str = "U0000001",
                 channel: str = "C0000001", team: str = TEAM_ID) -> str:
    return urlencode({
        "token": "legacy", "team_id": team, "team_domain": "fake", "channel_id": channel,
        "channel_name": "general", "user_id": user, "user_name": "someone", "command": command, "text": text,
        "api_app_id": "A0000001", "response_url": response_url, "trigger_id": "1.2.3",
    })


def action_body(action_id: str, value: str, response_url: str, *, user: str = "U0000001",
                channel: str = "C0000001") -> str:
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID}, "user": {"id": user}, "api_app_id": "A0000001",
        "channel": {"id": channel}, "container": {"type": "message", "is_ephemeral": True},
        "response_url": response_url, "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                     "action_ts": f"{time.time():.6f}"}],
    }
    return urlencode({"payload": json.dumps(payload)})


def shortcut_body(message: dict[str, Any], response_url: str, *, callback_id: str = "analyze_message",
                  user: str = "U0000001", channel: str = "C0000001") -> str:
    """A message shortcut ("Analyze with newsbot") on `message`, as Slack posts it to the app."""
    payload = {
        "type": "message_action", "token": "legacy", "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": "fake"}, "user": {"id": user, "name": "someone"},
        "channel": {"id": channel, "name": "general"}, "is_enterprise_install": False,
        "callback_id": callback_id, "trigger_id": "1.2.3", "response_url": response_url,
        "message_ts": message.get("ts"), "message": {"type": "message", **message},
    }
    return urlencode({"payload": json.dumps(payload)})
