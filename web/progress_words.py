"""What a progress page says (issue 14), for a plan's client (web/progress.py) and for an
Alexa listener (web/listener_progress.py) alike: the weeks as sentences, charts and a
table, the last session, and the steps skipped and hurt. One sentence next to each chart
says what it shows; the numbers are in a table too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask import current_app
from markupsafe import Markup

from plans.history import History, SessionView
from plans.progress import Progress, StepTally, counts

from .charts import bars
from .therapist.signed import plans_store


def history() -> History:
    """The listening history of the app serving this request, on its clock."""
    return History(plans_store(), current_app.config.get("CLOCK"))


def now() -> dt.datetime:
    """The time now (aware, UTC), on the app's clock when it sets one (tests)."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else dt.datetime.now(dt.UTC)


def weekly(found: Progress, target: int | None = None) -> dict:
    """The weeks of `found`: "minutes" (a sentence), "weeks" (label, sessions, minutes,
    oldest first) and the two charts, "sessions_chart" (with `target` sessions a week
    marked, when the plan asks for a number) and "minutes_chart"."""
    labels = ["Today" if week is found.this_week else f"{week.end:%-d %b}"
              for week in found.weeks]
    per_week = [week.sessions for week in found.weeks]
    minutes = [week.minutes for week in found.weeks]
    oldest_first = f"in each of the last {len(labels)} weeks, oldest first"
    asked = f"; the plan asks for {target} a week." if target else "."
    return {
        "minutes": f"{count(found.this_week.minutes, 'minute')} in the last 7 days, "
                   f"{count(sum(minutes), 'minute')} over the last {len(labels)} weeks.",
        "weeks": list(zip(labels, per_week, minutes, strict=True)),
        "sessions_chart": bars("sessions-chart", "Sessions a week",
                               f"Sessions {oldest_first}: {listed(per_week)}{asked}",
                               labels, {"Sessions": per_week}, target=target),
        "minutes_chart": bars("minutes-chart", "Minutes a week",
                              f"Minutes {oldest_first}: {listed(minutes)}.", labels,
                              {"Minutes": minutes})}


def step_names(tallies: Sequence[StepTally]) -> list[str]:
    """Each step's title; "Step 3" for one whose title is not known."""
    return [t.title or f"Step {t.step + 1}" for t in tallies]


def steps_chart(chart_id: str, title: str, names: Sequence[str],
                tallies: Sequence[StepTally]) -> Markup:
    """How often each step was done and skipped, a bar each."""
    return bars(chart_id, title, "How often each step was done and skipped: " + "; ".join(
        f"{name}, {t.done} done, {t.skipped} skipped"
        for name, t in zip(names, tallies, strict=True)) + ".",
        names, {"Done": [t.done for t in tallies], "Skipped": [t.skipped for t in tallies]},
        horizontal=True)


def last_said(found: Progress, sessions: Sequence[SessionView]) -> str:
    """The last session that counts: days ago, not a date (Mat Coach does not know the
    listener's time zone), how long, whether it ended. `found` has sessions."""
    last = max((s for s in sessions if s.started_at <= found.now and counts(s)),
               key=lambda s: s.started_at)
    days = found.days_since_last()
    ago = "less than a day ago" if days == 0 else f"{count(days, 'day')} ago"
    heard = ("under a minute" if last.played_ms < 60_000
             else count(round(last.played_ms / 60_000), "minute"))
    end = "played to the end" if last.finished else "not played to the end"
    return f"Your last session was {ago}: {heard}, {end}."


def skipped_said(tallies: Sequence[StepTally], names: Sequence[str]) -> str:
    """The three steps skipped most often, with how often of the times reached."""
    skipped = sorted(((t, name) for t, name in zip(tallies, names, strict=True) if t.skipped),
                     key=lambda row: (-row[0].skipped, row[0].step))
    if not skipped:
        return "No step skipped so far."
    return "Skipped most often: " + "; ".join(
        f"{name} ({t.skipped} of {t.reached} times)" for t, name in skipped[:3]) + "."


def pains_said(found: Progress, tallies: Sequence[StepTally], names: Sequence[str]) -> str:
    """Pain reports by step, and those made outside the steps."""
    hurt = [f"{name} ({count(t.pains, 'time')})"
            for t, name in zip(tallies, names, strict=True) if t.pains]
    elsewhere = found.pains - sum(t.pains for t in tallies)
    if elsewhere:
        hurt.append(f"outside the steps ({count(elsewhere, 'time')})")
    return f"Pain reported: {'; '.join(hurt)}." if hurt else "No pain reported."


def count(n: int, thing: str) -> str:
    """"1 session", "3 sessions"."""
    return f"{n} {thing}{'' if n == 1 else 's'}"


def listed(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)
