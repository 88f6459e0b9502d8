"""Progress from listening history (issue 14): a week of sessions against a plan's
schedule, the streak, and for each step how often it was done, skipped or hurt. The same
numbers feed the voice, the client's page, the therapist's view and its CSV."""

from __future__ import annotations

import datetime as dt

from plans.history import SessionView
from plans.progress import Schedule, progress

NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
TITLES = {"plan:3": ["Calf roll", "Foot ball", "Hamstring stretch"]}


def played(days_ago: float, minutes: float = 10, steps=(), finished=False, pains=(),
           routine="plan:3") -> SessionView:
    return SessionView(id=int(days_ago * 100), plan_id=3, routine=routine, build="b",
                       started_at=NOW - DAY * days_ago, played_ms=int(minutes * 60_000),
                       steps_done=frozenset(steps), finished=finished,
                       pain_steps=tuple(pains))


def test_nothing_played_is_nothing_to_say():
    standing = progress([], NOW, Schedule(3))
    assert standing.sessions == 0 and standing.last_at is None
    assert standing.streak_weeks == 0 and standing.this_week.sessions == 0
    assert standing.to_go == 3 and standing.days_since_last() is None
    assert len(standing.weeks) == 8 and standing.steps == ()


def test_the_last_seven_days_against_three_a_week():
    sessions = [played(0.1, 14), played(2, 14.4), played(4, 13.7), played(8, 10)]
    standing = progress(sessions, NOW, Schedule(3, dt.date(2027, 1, 14)))
    assert standing.this_week.sessions == 3 and standing.this_week.minutes == 42
    assert standing.to_go == 0 and not standing.ended
    assert standing.weeks[-2].sessions == 1
    assert standing.sessions == 4 and standing.minutes == 52
    assert standing.days_since_last() == 0


def test_a_session_on_a_weeks_boundary_counts_once():
    standing = progress([played(7)], NOW)
    assert sum(week.sessions for week in standing.weeks) == 1


def test_the_streak_counts_whole_weeks_and_this_one_once_it_is_met():
    weekly = [played(1 + 7 * week) for week in range(4)]
    assert progress(weekly, NOW).streak_weeks == 4
    # Three a week asked: only weeks with three count; this week, with one so far, does
    # not break the streak of the two full weeks before it.
    sessions = [played(1), played(8), played(9), played(10), played(15), played(16),
                played(17), played(22)]
    assert progress(sessions, NOW, Schedule(3)).streak_weeks == 2
    assert progress([played(15)], NOW).streak_weeks == 0   # a week missed breaks it


def test_an_ended_plan_asks_for_nothing_more():
    standing = progress([played(1)], NOW, Schedule(3, dt.date(2026, 12, 1)))
    assert standing.ended and standing.to_go is None


def test_steps_done_skipped_and_hurt():
    sessions = [played(1, steps={0, 1, 2}, finished=True),
                played(2, steps={0, 2}, finished=True, pains=(1, 1, None)),   # skipped 1
                played(3, steps={0}, finished=True),     # skipped the rest to the end
                played(4, steps={0})]                   # stopped after the first: no skips
    tallies = {t.step: t for t in progress(sessions, NOW, titles=TITLES).steps}
    assert [tallies[s].title for s in range(3)] == TITLES["plan:3"]
    assert (tallies[0].reached, tallies[0].done, tallies[0].skipped) == (4, 4, 0)
    assert (tallies[1].reached, tallies[1].done, tallies[1].skipped, tallies[1].pains) == \
        (3, 1, 2, 2)
    assert (tallies[2].reached, tallies[2].done, tallies[2].skipped) == (3, 2, 1)


def test_sessions_after_now_are_left_out():
    standing = progress([played(-1)], NOW)
    assert standing.sessions == 0


def test_a_start_abandoned_at_once_is_no_session_but_its_pain_report_counts():
    sessions = [played(1, minutes=0.2, pains=(0,)), played(2, minutes=0.5),
                played(3, minutes=0.4, steps={0}), played(4, minutes=0.3, finished=True)]
    standing = progress(sessions, NOW, Schedule(3), TITLES)
    assert standing.this_week.sessions == 2 and standing.to_go == 1
    assert standing.pains == 1 and {t.step: t.pains for t in standing.steps}[0] == 1
