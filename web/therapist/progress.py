"""A client's sessions on a plan, for its therapist (issue 14): adherence at a glance on the
client's page (`plan_progress(plan_id)` in the templates), and every session as CSV for
their notes at /therapist/plans/<id>/progress.csv.

Only the sessions of the signed-in therapist's own plan (History.of_plan), and only while
its client agrees to share them (PlanView.progress_shared is True): before they are asked,
or after a no, no number of theirs leaves the store, on the page or in a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user

from plans import PlanView, audit
from plans.history import History, SessionView
from plans.progress import Progress, Schedule, Week, progress

from ..progress_words import count
from . import CONTEXT, accounts_of
from .codes import day_in_words
from .editor import check
from .signed import for_therapists, owned, plans_store

bp = for_therapists(Blueprint("plan_progress", __name__, url_prefix="/therapist"))

EXPORTED = "progress_exported"
# Why there is nothing to download, by the client's answer (None: not asked yet).
_NOT_SHARED = {None: "has not yet been asked whether to share", False: "does not share"}

HEADER = ("started (UTC)", "minutes played", "finished", "steps done", "steps skipped",
          "pain reports")
# A spreadsheet runs a cell that begins with one of these as a formula; step titles are
# free text, so `=HYPERLINK(...)` in one would become a live link in the therapist's notes
# (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OUTSIDE_STEPS = "Outside the steps"   # a pain report made in the intro or the outro


@dataclass(frozen=True)
class Tally:
    """One step as the page lists it: its title and a count (`of`: times reached)."""

    title: str
    count: int
    of: int = 0


@dataclass(frozen=True)
class WeekRow:
    """Seven days of the table: their dates, sessions, and whole minutes heard."""

    label: str
    start: dt.datetime
    end: dt.datetime
    sessions: int
    minutes: int


@dataclass(frozen=True)
class Glance:
    """A plan's adherence as its therapist sees it; `progress` is None unless the client
    agreed to share (then nothing else here is filled in either)."""

    plan: PlanView
    progress: Progress | None = None
    titles: tuple[str, ...] = ()
    """The titles of the steps of the plan's latest version, by step index."""

    @property
    def adherence(self) -> str:
        """The last seven days against the plan's times a week, in one sentence."""
        p, plan = self.progress, self.plan
        done = p.this_week.sessions
        if p.ended:
            return (f"{count(done, 'session')} in the last 7 days; the plan ended on "
                    f"{day_in_words(_midday(plan.until), p.now)}.")
        if plan.times_per_week is None:
            return f"{count(done, 'session')} in the last 7 days; the plan asks no set number."
        state = "on track" if p.to_go == 0 else f"{p.to_go} to go"
        return f"{done} of {count(plan.times_per_week, 'session')} in the last 7 days: {state}."

    @property
    def on_track(self) -> bool:
        return self.progress.to_go == 0

    @property
    def last_day(self) -> str | None:
        """The day the last session started ("Thursday 3 December"), or None."""
        p = self.progress
        return day_in_words(p.last_at, p.now) if p.last_at else None

    @property
    def last_ago(self) -> str | None:
        """How long ago, in whole days of 24 hours (the listener's time zone is unknown,
        so "yesterday" could be wrong): "less than a day ago", "3 days ago"."""
        days = self.progress.days_since_last()
        if days is None:
            return None
        return "less than a day ago" if days == 0 else f"{count(days, 'day')} ago"

    @property
    def weeks(self) -> list[WeekRow]:
        """The last weeks, newest first (read down into the past). All of them, those
        before the plan was written too: PlanView does not say when that was, and leaving
        out empty weeks would hide the weeks missed."""
        return [WeekRow(_week_label(week), week.start, week.end, week.sessions, week.minutes)
                for week in reversed(self.progress.weeks)]

    @property
    def skipped(self) -> list[Tally]:
        """Steps left out (a later step done, or the routine finished, without them), the
        most often first: title, times skipped, of times reached."""
        found = [Tally(self.title(s.step), s.skipped, s.reached)
                 for s in self.progress.steps if s.skipped]
        return sorted(found, key=lambda t: -t.count)

    @property
    def pains(self) -> list[Tally]:
        """Pain reports by step, the most first; reports made outside the steps last."""
        found = sorted((Tally(self.title(s.step), s.pains) for s in self.progress.steps
                        if s.pains), key=lambda t: -t.count)
        outside = self.progress.pains - sum(t.count for t in found)
        return found + ([Tally(OUTSIDE_STEPS, outside)] if outside else [])

    def title(self, step: int) -> str:
        """Step `step`'s title; "Step 5" for one the latest version has no title for (a
        session of an older, longer version)."""
        known = step < len(self.titles) and self.titles[step]
        return known or f"Step {step + 1}"


@bp.app_template_global("plan_progress")
def plan_progress(plan_id: int) -> Glance:
    """The signed-in therapist's plan's adherence (404 for another's), for the client's
    page; the sessions are read only when the client agreed to share them."""
    plan = owned(plans_store().plan, plan_id)
    if plan.progress_shared is not True:
        return Glance(plan)
    now = accounts_of().clock()
    titles = _titles(plan)
    standing = progress(_sessions(plan, now), now,
                        Schedule(plan.times_per_week, plan.until), {_routine(plan): titles})
    return Glance(plan, standing, titles)


@bp.get("/plans/<int:plan_id>/progress.csv")
def progress_csv(plan_id: int):
    """Every session of the plan, oldest first, one row each (HEADER), as a download that
    is never stored (for_therapists); 404 for another therapist's plan, 403 with one
    sentence while the client has not agreed to share. The export is audit-logged."""
    plan = owned(plans_store().plan, plan_id)
    if plan.progress_shared is not True:
        client = plans_store().client(current_user.id, plan.client_id)
        return render_template(
            "therapist/problem.html", title="Nothing to download",
            message=f"{client.name} {_NOT_SHARED[plan.progress_shared]} their sessions of "
                    "this plan, so there is nothing to download."), 403
    now = accounts_of().clock()
    glance = Glance(plan, titles=_titles(plan))
    sessions = list(reversed(_sessions(plan, now)))
    text = _csv([_row(glance, session, now) for session in sessions])
    with plans_store().transaction() as session:
        audit.record(session, current_user.id, EXPORTED,
                     f"plan {plan.id}, {count(len(sessions), 'session')}", now)
    name = f"progress-plan-{plan.id}-{now:%Y-%m-%d}.csv"   # digits only: safe as it is
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def _sessions(plan: PlanView, now: dt.datetime) -> list[SessionView]:
    """The plan's sessions up to `now`, newest first: whoever played them, by voice or on
    its page, and nothing else of the client's."""
    played = History(plans_store(), accounts_of().clock).of_plan(plan.id)
    return [s for s in played if s.started_at <= now]


def _titles(plan: PlanView) -> tuple[str, ...]:
    """The step titles of the plan's latest version, as history numbers the steps; none
    when it no longer passes the checks (the catalog changed): then "Step 1", "Step 2"."""
    routine = check(plan.routine_yaml, current_app.extensions[CONTEXT](), plan.title).routine
    return tuple(step.title for step in routine.steps) if routine else ()


def _row(glance: Glance, session: SessionView, now: dt.datetime) -> list[str]:
    """One session as HEADER's cells. Skipped steps by progress()'s own rule, on this one
    session, so the file and the page never disagree."""
    steps = progress([session], now, None, {session.routine: glance.titles}).steps
    return [f"{session.started_at.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
            f"{session.played_ms / 60_000:.1f}",
            "yes" if session.finished else "no",
            _joined(glance.title(step) for step in sorted(session.steps_done)),
            _joined(glance.title(s.step) for s in steps if s.skipped),
            _joined(OUTSIDE_STEPS if step is None else glance.title(step)
                    for step in session.pain_steps)]


def _csv(rows: Sequence[Sequence[str]]) -> str:
    """HEADER and `rows`, every cell made inert. With a byte order mark first: without it
    Excel reads UTF-8 as its local code page, and an accented title comes out garbled."""
    out = io.StringIO()
    writer = csv.writer(out)   # RFC 4180: quotes where needed, CRLF line ends
    writer.writerow(HEADER)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return "\ufeff" + out.getvalue()


def inert(cell: str) -> str:
    """`cell`, with an apostrophe first when a spreadsheet would read it as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _joined(titles) -> str:
    return "; ".join(titles)


def _routine(plan: PlanView) -> str:
    return f"plan:{plan.id}"   # how history names a plan's sessions


def _midday(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), dt.UTC)


def _week_label(week: Week) -> str:
    """"30 Nov – 7 Dec": the dates the seven days touch (UTC)."""
    return f"{week.start:%-d %b} – {week.end:%-d %b}"


__all__ = ["FORMULA_STARTS", "HEADER", "Glance", "bp", "inert", "plan_progress"]
