"""The engine per conversation: a channel's setting, NEWSBOT_PRIVATE_ENGINE and NEWSBOT_ENGINE."""

from __future__ import annotations

import pytest

from bot.analysis.engine_choice import EngineChoice, choose_engine, conversation_of
from bot.config import ConfigError, load_settings

ALL = ("channel", "private_channel", "group_dm", "dm")


@pytest.mark.parametrize("conversation", ALL)
def test_a_channel_set_to_offline_never_reaches_a_model(conversation):
    for private in (None, "offline", "openai"):
        for default in ("auto", "openai"):
            assert choose_engine("offline", conversation, private_engine=private, default=default) == \
                EngineChoice("offline", by_channel=True)


@pytest.mark.parametrize("conversation", ALL)
def test_a_channel_set_to_auto_gets_the_workspace_engine_even_when_private(conversation):
    assert choose_engine("auto", conversation, private_engine="offline", default="openai") == \
        EngineChoice("openai", by_channel=True)


@pytest.mark.parametrize(
    "conversation, private, expected",
    [("channel", "offline", "auto"), ("private_channel", "offline", "offline"), ("group_dm", "offline", "offline"),
     ("dm", "offline", "offline"), ("dm", None, "auto"), ("private_channel", None, "auto")],
)
def test_without_a_channel_setting_private_conversations_follow_newsbot_private_engine(conversation, private,
                                                                                        expected):
    assert choose_engine(None, conversation, private_engine=private, default="auto") == \
        EngineChoice(expected, by_channel=False)


def test_an_unknown_channel_setting_is_refused():
    with pytest.raises(ValueError, match="offline, auto"):
        choose_engine("gpt-5", "channel", private_engine=None, default="auto")


def test_slack_channel_types_and_unknown_ones_are_taken_as_private():
    assert [conversation_of(t) for t in ("channel", "group", "mpim", "im", None, "app_home")] == [
        "channel", "private_channel", "group_dm", "dm", "private_channel", "private_channel"]


def test_newsbot_private_engine_setting():
    assert load_settings({}, dotenv=False).private_engine is None
    assert load_settings({"NEWSBOT_PRIVATE_ENGINE": "Offline"}, dotenv=False).private_engine == "offline"
    with pytest.raises(ConfigError, match="NEWSBOT_PRIVATE_ENGINE"):
        load_settings({"NEWSBOT_PRIVATE_ENGINE": "never"}, dotenv=False)
