"""Digest schedules: `/digest daily HH:MM` and `/digest weekly DAY HH:MM` read, and when each is next due.

A schedule is a wall-clock time in a named zone ("09:00 America/New_York"), never a fixed UTC offset, so
it stays at 09:00 local across DST changes. Times that a DST change skips (02:30 on the spring-forward
night) fall at the same offset as the hour before, i.e. an hour later on the clock; a time that occurs
twice (the fall-back night) is taken the first time. All instants handed out are aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Cadence = Literal["daily", "weekly"]

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {**{d: i for i, d in enumerate(DAYS)}, **{d[:3]: i for i, d in enumerate(DAYS)},
              "tues": 1, "wed": 2, "thur": 3, "thurs": 3}
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", re.IGNORECASE)


class ScheduleError(ValueError):
    """What the user typed is not a schedule; the message says what to type instead."""


@dataclass(frozen=True)
class Schedule:
    cadence: Cadence
    hour: int
    minute: int
    tz: str
    weekday: int | None = None  # 0 = Monday; weekly only

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    def describe(self) -> str:
        """'Daily at 09:00 America/New_York' / 'Weekly on Monday at 09:00 Europe/Paris'."""
        when = f"at {self.hour:02d}:{self.minute:02d} {self.tz}"
        if self.cadence == "weekly" and self.weekday is not None:
            return f"Weekly on {DAYS[self.weekday].capitalize()} {when}"
        return f"Daily {when}"

    def acknowledgement(self, now: datetime) -> str:
        """'Daily at 09:00 America/New_York, next on Tue 3 Dec'."""
        return f"{self.describe()}, next on {day_label(self.next_due(now), self.tz)}"

    def occurrence_on(self, day: date) -> datetime | None:
        """The instant this schedule fires on local `day`, or None when it does not fire that day."""
        if self.cadence == "weekly" and day.weekday() != self.weekday:
            return None
        local = datetime.combine(day, time(self.hour, self.minute), tzinfo=self.zone)
        # A wall time skipped by DST does not exist; normalising through UTC moves it past the gap.
        return local.astimezone(UTC)

    def next_due(self, after: datetime) -> datetime:
        """The first instant strictly after `after` at which this schedule fires."""
        start = after.astimezone(self.zone).date() - timedelta(days=1)
        for offset in range(0, 10):
            when = self.occurrence_on(start + timedelta(days=offset))
            if when is not None and when > after:
                return when
        raise AssertionError("a daily or weekly schedule fires within ten days")  # pragma: no cover

    def previous_due(self, before: datetime) -> datetime:
        """The last instant strictly before `before` at which this schedule fires."""
        start = before.astimezone(self.zone).date() + timedelta(days=1)
        for offset in range(0, 10):
            when = self.occurrence_on(start - timedelta(days=offset))
            if when is not None and when < before:
                return when
        raise AssertionError("a daily or weekly schedule fired within ten days")  # pragma: no cover

    def latest_due(self, now: datetime) -> datetime:
        """The most recent instant at or before `now` at which this schedule fired."""
        return self.previous_due(now + timedelta(microseconds=1))


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"I don't know the time zone {name!r}") from None


def day_label(when: datetime, tz: str) -> str:
    """'Tue 3 Dec' in the schedule's zone."""
    local = when.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b}"


def moment_label(when: datetime, tz: str) -> str:
    """'Tue 3 Dec 09:00'."""
    local = when.astimezone(zone(tz))
    return f"{day_label(when, tz)} {local:%H:%M}"


def parse_time(text: str) -> tuple[int, int]:
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ScheduleError(f"{text!r} is not a time: write it as HH:MM, e.g. 09:00 or 17:30")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise ScheduleError(f"{text!r} is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif match.group(2) is None:
        raise ScheduleError(f"{text!r} is not a time: write it as HH:MM, e.g. 09:00 or 17:30")
    if hour > 23 or minute > 59:
        raise ScheduleError(f"{text!r} is not a time of day: hours go 00–23 and minutes 00–59")
    return hour, minute


def parse_day(text: str) -> int:
    day = _DAY_NAMES.get(text.strip().lower().rstrip("."))
    if day is None:
        raise ScheduleError(f"{text!r} is not a day of the week: use mon, tue, wed, thu, fri, sat or sun")
    return day


def parse_schedule(words: list[str], tz: str) -> Schedule:
    """`daily HH:MM` or `weekly DAY HH:MM` (the day and the time in either order) in zone `tz`."""
    zone(tz)
    if not words:
        raise ScheduleError("say when: `/digest daily 09:00` or `/digest weekly mon 09:00`")
    cadence, rest = words[0].lower(), words[1:]
    if cadence == "daily":
        if len(rest) != 1:
            raise ScheduleError("a daily digest needs one time: `/digest daily 09:00`")
        hour, minute = parse_time(rest[0])
        return Schedule("daily", hour, minute, tz)
    if cadence == "weekly":
        if len(rest) != 2:
            raise ScheduleError("a weekly digest needs a day and a time: `/digest weekly mon 09:00`")
        day_word, time_word = (rest[1], rest[0]) if _TIME.fullmatch(rest[0]) else rest
        return Schedule("weekly", *parse_time(time_word), tz, weekday=parse_day(day_word))
    raise ScheduleError(f"{words[0]!r} is not a schedule: use `daily HH:MM`, `weekly DAY HH:MM`, `off` or `now`")


def period_key(due: datetime) -> str:
    """The identity of the period a digest closes: its due instant in UTC, to the second."""
    return due.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ChannelSchedule:
    """A schedule as the store keeps it: where it posts, and when it is next due (epoch seconds)."""

    team: str | None
    channel: str
    channel_type: str | None
    schedule: Schedule
    next_due: float
    created_by: str | None = None
    created: float | None = None  # when the schedule was (last) set, epoch seconds

    def first_since(self) -> datetime | None:
        """Where the first digest after the schedule was set starts: one period before its first time."""
        if self.created is None:
            return None
        first = self.schedule.next_due(datetime.fromtimestamp(self.created, UTC))
        return self.schedule.previous_due(first)
