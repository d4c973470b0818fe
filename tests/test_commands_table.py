"""Slash commands are one table: the manifests, the docs and the views are checked against it."""

from pathlib import Path

import pytest
import yaml

from bot.analysis.model import Analysis
from bot.slack import blocks
from bot.slack.listeners.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("manifest", ["manifest.yml", "manifest.socket.yml"])
def test_manifest_lists_exactly_the_table(manifest):
    data = yaml.safe_load((ROOT / manifest).read_text())
    listed = {c["command"]: c for c in data["features"]["slash_commands"]}
    assert list(listed) == [cmd.name for cmd in COMMANDS]
    for cmd in COMMANDS:
        entry = listed[cmd.name]
        assert entry["description"] == cmd.description and len(cmd.description) <= 100
        assert entry["usage_hint"] == cmd.usage_hint and entry["should_escape"] is False
        if manifest == "manifest.yml":
            assert entry["url"].endswith("/slack/events")
        else:
            assert "url" not in entry
    # What the memory features need from Slack: time zones, membership, the Home tab.
    scopes = data["oauth_config"]["scopes"]["bot"]
    assert {"users:read", "channels:read", "groups:read", "commands", "chat:write"} <= set(scopes)
    assert data["features"]["app_home"]["home_tab_enabled"] is True
    assert "app_home_opened" in data["settings"]["event_subscriptions"]["bot_events"]


def test_setup_doc_names_every_command():
    doc = (ROOT / "docs" / "slack-setup.md").read_text()
    for cmd in COMMANDS:
        assert f"`{cmd.name}" in doc, cmd.name


def test_every_view_is_rendered_by_its_own_spec():
    for cmd in COMMANDS:
        if cmd.view:
            assert blocks.view_spec(cmd.view).name == cmd.view
    assert set(blocks.VIEWS) == set(blocks.VIEW_SPECS)


def test_a_missing_view_fails_loudly_instead_of_rendering_as_another():
    with pytest.raises(ValueError, match="no such view"):
        blocks.analysis_message(Analysis(text="x"), "digest")  # type: ignore[arg-type]


def test_usage_of_each_command_names_it():
    for cmd in COMMANDS:
        assert cmd.name in cmd.usage_message().text
