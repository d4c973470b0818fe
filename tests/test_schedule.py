"""Digest schedules: what /digest accepts, and when each schedule falls due across zones and DST."""

from datetime import UTC, datetime

import pytest

from bot.memory.schedule import Schedule, ScheduleError, parse_schedule, period_key


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize("words,expected", [
    (["daily", "09:00"], Schedule("daily", 9, 0, "Europe/Paris")),
    (["daily", "9:30"], Schedule("daily", 9, 30, "Europe/Paris")),
    (["daily", "5pm"], Schedule("daily", 17, 0, "Europe/Paris")),
    (["weekly", "mon", "09:00"], Schedule("weekly", 9, 0, "Europe/Paris", weekday=0)),
    (["weekly", "Sunday", "18:15"], Schedule("weekly", 18, 15, "Europe/Paris", weekday=6)),
    (["WEEKLY", "08:00", "fri"], Schedule("weekly", 8, 0, "Europe/Paris", weekday=4)),
])
def test_parse(words, expected):
    assert parse_schedule(words, "Europe/Paris") == expected


@pytest.mark.parametrize("words,says", [
    (["daily"], "one time"), (["daily", "25:00"], "not a time of day"), (["daily", "noonish"], "not a time"),
    (["weekly", "funday", "09:00"], "not a day"), (["weekly", "09:00"], "a day and a time"),
    (["hourly", "09:00"], "not a schedule"), (["daily", "9"], "HH:MM"),
])
def test_parse_errors_say_what_to_type(words, says):
    with pytest.raises(ScheduleError, match=says):
        parse_schedule(words, "UTC")


def test_unknown_zone():
    with pytest.raises(ScheduleError, match="time zone"):
        parse_schedule(["daily", "09:00"], "Mars/Olympus")


def test_daily_in_new_york_keeps_its_wall_clock_across_dst():
    s = Schedule("daily", 9, 0, "America/New_York")
    # 2026-11-01: DST ends in the US (EDT -4 → EST -5).
    before = s.next_due(utc(2026, 10, 31, 14, 0))
    assert before == utc(2026, 11, 1, 14, 0)  # 09:00 EST, the first morning after the change
    assert s.next_due(utc(2026, 10, 30, 12, 0)) == utc(2026, 10, 30, 13, 0)  # 09:00 EDT
    assert s.next_due(before) == utc(2026, 11, 2, 14, 0)
    # Spring forward (2026-03-08): 09:00 EDT is 13:00 UTC.
    assert s.next_due(utc(2026, 3, 7, 15, 0)) == utc(2026, 3, 8, 13, 0)


def test_time_skipped_by_dst_fires_after_the_gap_once():
    s = Schedule("daily", 2, 30, "Europe/Berlin")  # 2026-03-29 02:30 does not exist in Berlin
    due = s.next_due(utc(2026, 3, 28, 12, 0))
    assert due == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert s.next_due(due) == utc(2026, 3, 30, 0, 30)  # back to 02:30 CEST the next day


def test_time_repeated_by_dst_fires_once():
    s = Schedule("daily", 1, 30, "America/New_York")  # 01:30 happens twice on 2026-11-01
    first = s.next_due(utc(2026, 11, 1, 4, 0))
    assert first == utc(2026, 11, 1, 5, 30)
    assert s.next_due(first) == utc(2026, 11, 2, 6, 30)


def test_weekly_across_zones_and_previous_period():
    s = Schedule("weekly", 9, 0, "Asia/Tokyo", weekday=0)  # Monday 09:00 JST = Sunday 24:00 UTC
    due = s.next_due(utc(2026, 12, 2, 0, 0))  # a Wednesday
    assert due == utc(2026, 12, 7, 0, 0)
    assert s.previous_due(due) == utc(2026, 11, 30, 0, 0)
    assert s.latest_due(utc(2026, 12, 7, 0, 0)) == due
    assert s.latest_due(utc(2026, 12, 10, 0, 0)) == due


def test_acknowledgement_names_schedule_zone_and_next_day():
    s = Schedule("daily", 9, 0, "America/New_York")
    # Mon 2 Dec 2024, 15:00 UTC = 10:00 in New York: the next one is Tuesday.
    assert s.acknowledgement(utc(2024, 12, 2, 15, 0)) == "Daily at 09:00 America/New_York, next on Tue 3 Dec"
    weekly = Schedule("weekly", 17, 30, "Europe/Paris", weekday=4)
    assert weekly.acknowledgement(utc(2024, 12, 2, 15, 0)) == \
        "Weekly on Friday at 17:30 Europe/Paris, next on Fri 6 Dec"


def test_period_key_is_the_due_instant():
    assert period_key(utc(2026, 12, 7, 0, 0)) == "2026-12-07T00:00:00Z"
