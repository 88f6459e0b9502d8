"""Progress from listening history (issue 14): sessions and minutes a week against a plan's
schedule, the streak, the last session, and for each step how often it was done, skipped
or hurt. Pure: the same sessions and `now` give the same answer, for the voice, the
client's page, the therapist's view and its CSV alike.

    standing = progress(history.sessions(owner), now, Schedule(3, until), titles)
    standing.this_week.sessions, standing.streak_weeks, standing.to_go

A week here is the seven days up to `now` (and the seven before that, and so on): Mat
Coach does not know the listener's time zone (Alexa's settings API is a network call
away), and "the last seven days" means the same in every one of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .history import SessionView

WEEK = dt.timedelta(days=7)
WEEKS_SHOWN = 8   # the charts' span: about two months between appointments
COUNTS_MS = 60_000
"""A session counts (towards the weeks, the streak, the plan) once it finished, did a
step, or played a minute: a start abandoned at once, or started over, is no session."""


def counts(session: SessionView) -> bool:
    """Whether `session` counts as one (COUNTS_MS)."""
    return session.finished or bool(session.steps_done) or session.played_ms >= COUNTS_MS


@dataclass(frozen=True)
class Schedule:
    """What a plan asks for: `times_per_week` sessions (None: no number given) until the
    date `until` (None: open-ended)."""

    times_per_week: int | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Week:
    """Seven days, after `start` up to and including `end`: how many sessions started in
    them and how many whole minutes were heard."""

    start: dt.datetime
    end: dt.datetime
    sessions: int
    minutes: int


@dataclass(frozen=True)
class StepTally:
    """One step of one routine (`routine`, its id or `plan:<id>`; `step`, 0-based; `title`,
    "" when unknown) over the sessions that reached it: done (its end tone heard), skipped
    (a later step done, or the routine finished, without it), and pain reports at it."""

    routine: str
    step: int
    title: str
    reached: int
    done: int
    skipped: int
    pains: int


@dataclass(frozen=True)
class Progress:
    """A listener's (or a plan's) progress as of `now`; `weeks` oldest first, the last
    being the seven days up to now."""

    now: dt.datetime
    weeks: tuple[Week, ...]
    sessions: int
    minutes: int
    finished: int
    last_at: dt.datetime | None
    streak_weeks: int
    """Weeks in a row, back from this one, with at least one session (as many as the
    schedule asks, when it asks a number); this week counts once it does."""
    schedule: Schedule | None
    steps: tuple[StepTally, ...]
    pains: int

    @property
    def this_week(self) -> Week:
        """The last seven days."""
        return self.weeks[-1]

    @property
    def to_go(self) -> int | None:
        """Sessions still to do in the last seven days to keep to the schedule (0: on
        track), None without a number of times a week, or once the plan has ended."""
        if self.schedule is None or self.schedule.times_per_week is None or self.ended:
            return None
        return max(0, self.schedule.times_per_week - self.this_week.sessions)

    @property
    def ended(self) -> bool:
        """Whether the schedule's last day is past."""
        until = self.schedule.until if self.schedule else None
        return until is not None and until < self.now.date()

    def days_since_last(self) -> int | None:
        """Whole days since the last session started (None: none)."""
        return None if self.last_at is None else (self.now - self.last_at).days


def progress(sessions: Sequence[SessionView], now: dt.datetime,
             schedule: Schedule | None = None,
             titles: Mapping[str, Sequence[str]] | None = None,
             weeks: int = WEEKS_SHOWN) -> Progress:
    """Progress as of `now` (aware) from `sessions` (any order; those after `now` are left
    out, and those that do not count are left out of all but the pain reports); `titles`
    maps a routine id to its steps' titles, which also tells how many steps a finished
    session skipped at its end. `weeks` >= 1 windows of seven days."""
    played = [s for s in sessions if s.started_at <= now]
    sessions = [s for s in played if counts(s)]
    windows = tuple(_week(sessions, now - WEEK * (back + 1), now - WEEK * back)
                    for back in reversed(range(max(1, weeks))))
    return Progress(
        now=now, weeks=windows, sessions=len(sessions),
        minutes=_minutes(sum(s.played_ms for s in sessions)),
        finished=sum(s.finished for s in sessions),
        last_at=max((s.started_at for s in sessions), default=None),
        streak_weeks=_streak(sessions, now, _needed(schedule)),
        # Every pain report counts, said in however short a session.
        schedule=schedule, steps=_tallies(played, titles or {}),
        pains=sum(len(s.pain_steps) for s in played))


def _week(sessions: Sequence[SessionView], start: dt.datetime, end: dt.datetime) -> Week:
    inside = [s for s in sessions if start < s.started_at <= end]
    return Week(start, end, len(inside), _minutes(sum(s.played_ms for s in inside)))


def _minutes(ms: int) -> int:
    return round(ms / 60_000)


def _needed(schedule: Schedule | None) -> int:
    return schedule.times_per_week if schedule and schedule.times_per_week else 1


def _streak(sessions: Sequence[SessionView], now: dt.datetime, needed: int) -> int:
    """Weeks in a row with `needed` sessions, back from this one (which counts once it has
    them; until then the streak runs to last week)."""
    if not sessions:
        return 0
    oldest = min(s.started_at for s in sessions)
    counts = []
    end = now
    while end >= oldest:
        counts.append(_week(sessions, end - WEEK, end).sessions)
        end -= WEEK
    if counts and counts[0] < needed:
        counts = counts[1:]   # this week is not over: it does not break the streak yet
    streak = 0
    for count in counts:
        if count < needed:
            break
        streak += 1
    return streak


def _tallies(sessions: Sequence[SessionView],
             titles: Mapping[str, Sequence[str]]) -> tuple[StepTally, ...]:
    counts: dict[tuple[str, int], list[int]] = {}   # reached, done, skipped, pains
    for session in sessions:
        known = len(titles.get(session.routine, ()))
        last = max(session.steps_done, default=-1)
        if session.finished:
            last = max(last, known - 1)
        steps = set(range(last + 1)) | set(session.steps_done)
        for step in steps:
            row = counts.setdefault((session.routine, step), [0, 0, 0, 0])
            row[0] += 1
            done = step in session.steps_done
            row[1 if done else 2] += 1
        for step in session.pain_steps:
            if step is not None:
                counts.setdefault((session.routine, step), [0, 0, 0, 0])[3] += 1
    return tuple(StepTally(routine, step, _title(titles, routine, step), *row)
                 for (routine, step), row in sorted(counts.items()))


def _title(titles: Mapping[str, Sequence[str]], routine: str, step: int) -> str:
    known = titles.get(routine, ())
    return known[step] if step < len(known) else ""


__all__ = ["COUNTS_MS", "WEEK", "WEEKS_SHOWN", "Progress", "Schedule", "StepTally", "Week",
           "counts", "progress"]
