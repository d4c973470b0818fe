"""The Bolt AsyncApp: over HTTP on aiohttp (`/slack/events` for events, commands and interactivity), or
over Socket Mode when SLACK_APP_TOKEN is set. `serve()` is what `newsbot serve` runs.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.analysis.pipeline import Pipeline
from bot.config import ConfigError, Settings
from bot.memory.clock import Clock
from bot.redact import remember
from bot.slack import gate
from bot.slack.listeners import register_listeners
from bot.slack.runtime import Runtime, web_client

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
RUNTIME = web.AppKey("newsbot_runtime", Runtime)
BOLT = web.AppKey("newsbot_bolt", AsyncApp)


class _QuietTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment itself and warns that our token-less client wins;
    that is intended (the token comes from `authorize`), so the warning would only mislead an admin."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.AsyncApp").addFilter(_QuietTokenWarning())


def check_settings(settings: Settings) -> None:
    """Stop start-up with a message naming the setting that is missing or malformed."""
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your app's "
                          "OAuth & Permissions page")
    if settings.slack_bot_token.startswith("xapp-"):
        raise ConfigError("SLACK_BOT_TOKEN holds an app-level token (xapp-…); it must be the Bot User OAuth Token "
                          "(xoxb-…) from OAuth & Permissions. The xapp- token goes in SLACK_APP_TOKEN")
    if settings.slack_app_token:
        if not settings.slack_app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information "
                              "→ App-Level Tokens, scope connections:write); unset it to serve over HTTP")
    elif not settings.slack_signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your app's Basic "
                          "Information page (or set SLACK_APP_TOKEN to use Socket Mode)")


def build_bolt_app(rt: Runtime, *, socket_mode: bool = False) -> AsyncApp:
    async def authorize(enterprise_id: str | None = None, team_id: str | None = None, **_: object) -> AuthorizeResult:
        # A single-workspace app with a fixed token. Unlike Bolt's built-in authorization, a failed auth.test
        # does not turn every event into an error: the identity is only needed to ignore our own messages,
        # and those carry a bot_id anyway.
        me = await rt.who_am_i()
        return AuthorizeResult(
            enterprise_id=enterprise_id, team_id=team_id or me.team_id, bot_token=rt.settings.slack_bot_token,
            bot_id=me.bot_id, bot_user_id=me.user_id,
        )

    app = AsyncApp(
        name="newsbot",
        signing_secret=rt.settings.slack_signing_secret,
        # Token-less: the token comes from `authorize`; base URL, session and retry handlers are copied from
        # this client to the one Bolt builds for each request.
        client=web_client(rt.settings, rt.session, None),
        authorize=authorize,
        request_verification_enabled=not socket_mode,
        # A request no listener handles (a payload Slack would not send us) is one log line, not Bolt's
        # multi-line suggestion of code to write.
        raise_error_for_unhandled_request=True,
    )

    @app.error
    async def on_error(error: Exception, body: dict) -> None:
        if isinstance(error, BoltUnhandledRequestError):
            log.info("ignored a Slack request no listener handles (type %r)", (body or {}).get("type"))
            return
        log.error("a Slack listener failed: %s: %s", type(error).__name__, error, exc_info=error)

    register_listeners(app, rt)
    return app


def create_web_app(settings: Settings, *, pipeline: Pipeline | None = None,
                   clock: Clock | None = None) -> web.Application:
    """The aiohttp application: POST /slack/events for Slack, GET /healthz for load balancers."""
    check_settings(settings)
    remember(settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token)
    web_app = web.Application(client_max_size=gate.MAX_BODY)

    async def startup(app: web.Application) -> None:
        rt = await Runtime.start(settings, pipeline=pipeline, clock=clock)
        app[RUNTIME] = rt
        app[BOLT] = build_bolt_app(rt)

    async def cleanup(app: web.Application) -> None:
        if RUNTIME in app:
            await app[RUNTIME].close()

    async def events(request: web.Request) -> web.Response:
        with request.app[RUNTIME].acks.acking():
            return await _events(request)

    async def _events(request: web.Request) -> web.Response:
        try:
            body, data = await gate.checked_body(request, settings.slack_signing_secret or "")
        except gate.Refused as refused:
            log.warning("refused a request to %s from %s: %s (HTTP %d)", EVENTS_PATH, request.remote,
                        refused.reason, refused.status)
            return web.Response(status=refused.status, text=refused.reason)
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=request.headers)
        if data.get("type") == "event_callback":
            # Slack reads nothing but the status of an Events API ack, so a signed, well-formed event is
            # acked here and Bolt's middleware and listener matching run after it: the ack costs what the
            # signature check and one JSON parse cost, however busy the loop is with earlier events.
            rt = request.app[RUNTIME]
            rt.after_ack(_dispatch(rt, request.app[BOLT], bolt_request))
            return web.Response(status=200)
        return await to_aiohttp_response(await request.app[BOLT].async_dispatch(bolt_request))

    async def home(request: web.Request) -> web.Response:
        # Lets an admin check that a tunnel or load balancer reaches the bot before pasting the URL in Slack.
        return web.Response(text=f"newsbot is running. Slack sends events, commands and interactivity to "
                                 f"{EVENTS_PATH} on this host.\n")

    async def health(request: web.Request) -> web.Response:
        rt = request.app[RUNTIME]
        return web.json_response({"ok": True, "analysing": rt.queue.active, "queued": rt.queue.queued})

    web_app.on_startup.append(startup)
    web_app.on_cleanup.append(cleanup)
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", health)
    web_app.router.add_get("/", home)
    return web_app


async def _dispatch(rt: Runtime, bolt: AsyncApp, request: AsyncBoltRequest) -> None:
    """Bolt's handling of an event already acked: the listeners it starts answer the person as before."""
    await rt.acks.wait()
    response = await bolt.async_dispatch(request)
    if response.status >= 400 and response.status != 404:  # 404: no listener for it, logged by on_error
        log.warning("an acked event was not handled (Bolt answered %d: %s)", response.status, response.body[:200])


async def run_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    check_settings(settings)
    remember(settings.slack_bot_token, settings.slack_app_token)
    rt = await Runtime.start(settings)
    handler = None
    try:
        app = build_bolt_app(rt, socket_mode=True)
        handler = _checked_socket_handler(AsyncSocketModeHandler)(
            app, settings.slack_app_token, web_client=web_client(rt.settings, rt.session, None)
        )
        await handler.connect_async()
        print("newsbot: connected to Slack over Socket Mode", flush=True)
        await _until_stopped()
    finally:
        if handler is not None:
            await handler.close_async()
        await rt.close()


def _checked_socket_handler(base: type) -> type:
    """The Socket Mode handler with the gate's shape check: an envelope whose payload Bolt would choke on
    is acknowledged and ignored with one log line (over HTTP, gate.py refuses it with a 400)."""
    from slack_sdk.socket_mode.response import SocketModeResponse

    class CheckedSocketModeHandler(base):  # type: ignore[misc, valid-type]
        async def handle(self, client, req) -> None:  # type: ignore[no-untyped-def]
            problem = gate.shape_problem(req.payload)
            if problem:
                log.warning("ignored a Socket Mode envelope (%s): %s", req.type, problem)
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
            await super().handle(client, req)

    return CheckedSocketModeHandler


async def _until_stopped() -> None:
    """Wait for SIGTERM (what a PaaS or systemd sends) or Ctrl-C, or for cancellation. Without a handler
    SIGTERM would kill the process on the spot and leave every placeholder saying "Reading…"."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no signals here
            pass
    try:
        await stop.wait()
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def serve(settings: Settings, port: int | None = None) -> None:
    """Run the app until interrupted: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on `port`
    (default: PORT, else 3000) at /slack/events."""
    check_settings(settings)
    if settings.slack_app_token:
        asyncio.run(run_socket_mode(settings))
        return
    port = port or settings.port

    def listening(_: str) -> None:  # run_app calls this once the port is open, after start-up succeeded
        print(f"newsbot: listening on http://0.0.0.0:{port}{EVENTS_PATH}", flush=True)

    try:
        web.run_app(create_web_app(settings), port=port, print=listening, access_log=None)
    except OSError as e:
        if e.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        raise ConfigError(f"cannot listen on port {port} (PORT or --port): {e.strerror or e}; "
                          "stop what is using it or choose another port") from None
