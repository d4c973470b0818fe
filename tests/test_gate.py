"""The gate's promise to Bolt, as a property: any payload it lets through, Bolt can build a request from
without raising (the crash that turned `{"event": []}` into HTTP 500 and a traceback)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.slack import gate

KEYS = ["type", "event", "team", "user", "channel", "enterprise", "authorizations", "actions", "id", "team_id",
        "user_id", "channel_id", "enterprise_id", "is_enterprise_install", "is_ext_shared_channel", "user_team",
        "message", "previous_message", "view", "container", "response_url", "response_urls", "thread_ts",
        "function_execution_id", "function_data", "bot_access_token", "inputs", "item", "assistant_thread",
        "app_installed_team_id", "text", "ts", "event_id", "links", "url", "value", "action_id"]
SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.sampled_from(["T1", "E1", "U1"])
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6))
def test_a_payload_the_gate_lets_through_never_breaks_bolt(payload):
    if gate.shape_problem(payload) is not None:
        return
    AsyncBoltRequest(body=json.dumps(payload), headers={"content-type": "application/json"})


def _bolt_app(errors: list[BaseException]):
    """A Bolt app with newsbot's listener kinds (as no-ops) and its unhandled-request setting."""
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.authorization import AuthorizeResult
    from slack_bolt.error import BoltUnhandledRequestError

    async def authorize(**_: object) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id="T1", bot_token="xoxb-x", bot_id="B1", bot_user_id="U1")

    app = AsyncApp(signing_secret="x", request_verification_enabled=False, authorize=authorize,
                   raise_error_for_unhandled_request=True)

    async def listener(ack) -> None:  # noqa: ANN001 - Bolt injects by name
        await ack()

    for event in ("message", "app_mention", "link_shared"):
        app.event(event)(listener)
    app.command("/claims")(listener)
    app.action("newsbot_share")(listener)

    @app.error
    async def on_error(error: BaseException) -> None:
        if not isinstance(error, BoltUnhandledRequestError):
            errors.append(error)

    return app


PAYLOAD_TYPES = st.sampled_from(["event_callback", "block_actions", "url_verification", "app_rate_limited"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), JSON, max_size=6), PAYLOAD_TYPES, st.sampled_from(
    ["message", "app_mention", "link_shared", "reaction_added"]), st.booleans())
async def test_bolt_dispatches_whatever_the_gate_lets_through(payload, kind, event_type, as_command):
    payload = {**payload, "type": kind}
    if kind == "event_callback" and isinstance(payload.get("event"), dict):
        payload["event"] = {**payload["event"], "type": event_type}
    if as_command:
        payload = {**payload, "command": "/claims"}
    if gate.shape_problem(payload) is not None:
        return
    errors: list[BaseException] = []
    response = await _bolt_app(errors).async_dispatch(
        AsyncBoltRequest(body=json.dumps(payload), headers={"content-type": "application/json"}))
    assert response.status != 500 and not errors, (response.status, errors)
