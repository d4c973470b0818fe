"""The Bolt AsyncApp: over HTTP on aiohttp (`/slack/events` for events, commands and interactivity), or
over Socket Mode when SLACK_APP_TOKEN is set. `serve()` is what `newsbot serve` runs.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import signal

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult

from bot.analysis.pipeline import Pipeline
from bot.config import ConfigError, Settings
from bot.memory.clock import Clock
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
    )
    register_listeners(app, rt)
    return app


def create_web_app(settings: Settings, *, pipeline: Pipeline | None = None,
                   clock: Clock | None = None) -> web.Application:
    """The aiohttp application: POST /slack/events for Slack, GET /healthz for load balancers."""
    check_settings(settings)
    web_app = web.Application()

    async def startup(app: web.Application) -> None:
        rt = await Runtime.start(settings, pipeline=pipeline, clock=clock)
        app[RUNTIME] = rt
        app[BOLT] = build_bolt_app(rt)

    async def cleanup(app: web.Application) -> None:
        if RUNTIME in app:
            await app[RUNTIME].close()

    async def events(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
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


async def run_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    check_settings(settings)
    rt = await Runtime.start(settings)
    handler = None
    try:
        app = build_bolt_app(rt, socket_mode=True)
        handler = AsyncSocketModeHandler(
            app, settings.slack_app_token, web_client=web_client(rt.settings, rt.session, None)
        )
        await handler.connect_async()
        print("newsbot: connected to Slack over Socket Mode", flush=True)
        await _until_stopped()
    finally:
        if handler is not None:
            await handler.close_async()
        await rt.close()


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
