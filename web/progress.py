"""A plan's progress for its client (issue 14), under its private link /p/<token>: the
pings of the page's player (web/static/progress.js) that record what was played there,
the progress page with its charts, and deleting the plan's history.

    POST /p/<token>/progress {"build": "<16 hex>"}                      -> 201 {"session": id}
    POST /p/<token>/progress {"session": id, "played_ms": 61000, "steps": [0, 1],
                              "finished": false}                         -> 200 {"session": id}
    GET  /p/<token>/progress          the page: sessions and minutes a week, steps
    POST /p/<token>/progress/delete   confirm=yes: every session of the plan deleted

Sessions played on the page belong to the link (owner `link:<token>`); the page shows the
plan's sessions whoever played them (on the page, or by voice on the client's speaker).
A refused ping is {"error": one sentence, "field": the field} with a 4xx, never a 5xx.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import NoReturn

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf

from audio.kept import BUILD_ID, BUILDS
from audio.shelf import Track
from plans import InvalidInput, NotFound, PlanView
from plans.history import MOST_STEPS, History, SessionView
from plans.progress import Progress, Schedule, StepTally, counts, progress

from .charts import bars
from .private import THERAPIST_SIGNED_IN, _plan, _track, gone, kept_private
from .therapist import CONTEXT
from .therapist.editor import check
from .therapist.signed import plans_store
from .therapist.tracks import AUDIO_NAME, folder_of

bp = Blueprint("private_progress", __name__, url_prefix="/p")
bp.after_request(kept_private)
bp.register_error_handler(404, gone)
MOST_BYTES = 4096   # a report of 500 steps is about 2.5 KB
REPLAYS = 3   # a session hears its track at most this many times over (going back)
REPORT_FIELDS = {"session", "played_ms", "steps", "finished"}
EXPIRED = "This page is out of date: reload it and try again."


def _owner(plan: PlanView) -> str:
    """Whose sessions played on the page are: the link's (History keeps only a digest)."""
    return f"link:{plan.token}"


def _history() -> History:
    return History(plans_store(), current_app.config.get("CLOCK"))


@bp.app_template_global("progress_pings")
def pings_for(plan: PlanView, track: Track) -> dict:
    """What the player's script needs (private_plan.html writes it as JSON): where to send,
    with which CSRF token, the build playing, and [step, ms] for each chapter of a step:
    where its end tone is (the end of its work window; the chapter's end without one)."""
    work = track.work or tuple((c.start_ms, c.start_ms) for c in track.chapters)
    ends = [[chapter.step, end if end > start else chapter.end_ms]
            for chapter, (start, end) in zip(track.chapters, work, strict=True)
            if chapter.step is not None]
    return {"url": url_for("private_progress.ping", token=plan.token),
            "fresh": url_for("private_progress.fresh_token", token=plan.token),
            "csrf": generate_csrf(), "build": track.build, "ends": ends}


@bp.post("/<token>/progress")
def ping(token: str):
    """Start a session ({"build"}), or report on one: what has been heard so far."""
    plan = plans_store().plan_by_token(token)
    if plan is None:
        _refuse(404, "There is no plan at this link: it may have been removed.", "token")
    if current_user.is_authenticated:   # the therapist trying the plan is not their client
        _refuse(403, "You are signed in as a therapist here: what you play is not recorded "
                "as your client's progress.", "token")
    report = _report()
    history = _history()
    if "build" in report:
        return jsonify(session=_start(history, plan, report)), 201
    session = _whole(report, "session", required=True)
    steps = report.get("steps", [])
    if not isinstance(steps, list) or len(steps) > MOST_STEPS or not all(
            isinstance(step, int) and not isinstance(step, bool) for step in steps):
        _refuse(400, f"steps must be a list of at most {MOST_STEPS} step numbers.", "steps")
    finished = report.get("finished", False)
    if not isinstance(finished, bool):
        _refuse(400, "finished must be true or false.", "finished")
    _within(plan, report.get("played_ms"), steps)
    try:
        history.heard(session, _owner(plan), report.get("played_ms"), steps)
        if finished:
            history.finish(session, _owner(plan))
    except InvalidInput as error:
        _refuse(400, f"{error.field} is refused: {error.reason}.", error.field)
    except NotFound:
        _refuse(404, "That session is not one of this link's: reload the page.", "session")
    return jsonify(session=session)


def _within(plan: PlanView, played_ms: object, steps: list[int]) -> None:
    """Refuse a report no play of the plan could make (found by a hostile tester: a day
    heard, 500 steps done, for a plan of a minute): a step past its last, or more heard
    than REPLAYS times its length (going back hears a stretch again, within reason)."""
    track = _track(plan)
    if track is None:
        return
    if any(step >= len(track.routine.steps) for step in steps):
        _refuse(400, f"steps: this plan has {len(track.routine.steps)} steps, numbered "
                "from 0.", "steps")
    if isinstance(played_ms, int) and played_ms > REPLAYS * track.duration_ms:
        _refuse(400, "played_ms is more than this plan can have played.", "played_ms")


def _report() -> dict:
    """The request's JSON object, at most MOST_BYTES (else the request is refused)."""
    if (request.content_length or 0) > MOST_BYTES:
        _refuse(413, f"A progress report is at most {MOST_BYTES} bytes.", "body")
    body = request.get_data(cache=False)
    if len(body) > MOST_BYTES:   # sent without its length
        _refuse(413, f"A progress report is at most {MOST_BYTES} bytes.", "body")
    try:
        report = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        report = None
    if not isinstance(report, dict):
        _refuse(400, "Send the progress as a JSON object.", "body")
    allowed = {"build"} if "build" in report else REPORT_FIELDS
    unknown = sorted(set(report) - allowed)
    if unknown:
        name = unknown[0][:40]
        _refuse(400, f"{name} is not a field of a progress report.", name)
    return report


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")   # NaN and Infinity, which JSON lacks


def _start(history: History, plan: PlanView, report: dict) -> int:
    build = report["build"]
    if not (isinstance(build, str) and BUILD_ID.fullmatch(build)
            and (folder_of(plan.token) / BUILDS / build / AUDIO_NAME).is_file()):
        _refuse(400, "build is not a track of this plan: reload the page.", "build")
    return history.start(_owner(plan), f"plan:{plan.id}", build, plan_id=plan.id)


def _whole(report: dict, field: str, required: bool = False) -> int:
    value = report.get(field)
    if (value is None and required) or (value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1)):
        _refuse(400, f"{field} must be the number the page was given.", field)
    return value


def _refuse(code: int, message: str, field: str) -> NoReturn:
    abort(make_response(jsonify(error=message, field=field), code))


@bp.get("/<token>/progress/token.json")
def fresh_token(token: str):
    """A CSRF token for a page older than the form token it carries (open for days)."""
    _plan(token)
    return jsonify(token=generate_csrf())


@bp.errorhandler(CSRFError)
def expired(error: CSRFError):
    """Sent without the page's token, or an old one: one sentence (the script asks for a
    fresh token and sends once more)."""
    if request.endpoint == "private_progress.ping":
        return jsonify(error="form-expired", message=EXPIRED), 400
    return render_template("private_gone.html", title="That form has expired",
                           message=EXPIRED), 400


@bp.get("/<token>/progress")
def page(token: str):
    """The client's progress: sessions and minutes a week against the plan, the streak,
    the last session, steps skipped and pain reports by step, and deleting it all. A
    therapist signed in here sees it only if their client agreed to share it."""
    plan = _plan(token)
    therapist = current_user.is_authenticated
    if therapist and not plan.progress_shared:
        return render_template("private_gone.html", title="Your client's to share",
                               message=THERAPIST_SIGNED_IN), 403
    routine = check(plan.routine_yaml, current_app.extensions[CONTEXT](), plan.title).routine
    titles = [step.title for step in routine.steps] if routine else []
    sessions = _history().of_plan(plan.id)
    clock = current_app.config.get("CLOCK") or (lambda: dt.datetime.now(dt.UTC))
    found = progress(sessions, clock(), Schedule(plan.times_per_week, plan.until),
                     {f"plan:{plan.id}": titles})
    return render_template("private_progress.html", plan=plan,
                           view=_view(found, plan, sessions) if found.sessions else None,
                           therapist_here=THERAPIST_SIGNED_IN if therapist else None)


@bp.post("/<token>/progress/delete")
def delete(token: str):
    """Delete every session of the plan, once the client ticked to confirm; back to the
    page, which says how many went."""
    plan = _plan(token)
    if current_user.is_authenticated:   # the therapist, on their own browser
        return render_template("private_gone.html", title="Your client decides this",
                               message=THERAPIST_SIGNED_IN), 403
    if request.form.getlist("confirm") != ["yes"]:
        return render_template("private_gone.html", title="Tick the box to delete",
                               message="Nothing was deleted: tick the box that says you "
                               "want your history deleted, then press the button."), 400
    count = _history().forget_plan(plan.id)
    flash(f"Your history is deleted: {count} session{'' if count == 1 else 's'}.")
    return redirect(url_for("private_progress.page", token=token), 303)


# --- What the page says: one sentence next to each chart, which says the same ---


def _view(found: Progress, plan: PlanView, sessions: list[SessionView]) -> dict:
    """The page's sentences, charts and tables for `found`, which has sessions."""
    labels = ["Today" if week is found.this_week else f"{week.end:%-d %b}"
              for week in found.weeks]
    per_week = [week.sessions for week in found.weeks]
    minutes = [week.minutes for week in found.weeks]
    tallies = [t for t in found.steps if t.routine == f"plan:{plan.id}"]
    names = [t.title or f"Step {t.step + 1}" for t in tallies]
    oldest_first = f"in each of the last {len(labels)} weeks, oldest first"
    view = {
        "sessions": _sessions_said(found, plan),
        "minutes": f"{_count(found.this_week.minutes, 'minute')} in the last 7 days, "
                   f"{_count(sum(minutes), 'minute')} over the last {len(labels)} weeks.",
        "streak": _streak_said(found, plan),
        "last": _last_said(found, sessions),
        "skipped": _skipped_said(tallies, names),
        "pains": _pains_said(found, tallies, names),
        "weeks": list(zip(labels, per_week, minutes, strict=True)),
        "steps": list(zip(names, tallies, strict=True)),
        "sessions_chart": bars(
            "sessions-chart", "Sessions a week",
            f"Sessions {oldest_first}: {_listed(per_week)}"
            + (f"; the plan asks for {plan.times_per_week} a week." if plan.times_per_week
               else "."), labels, {"Sessions": per_week}, target=plan.times_per_week),
        "minutes_chart": bars("minutes-chart", "Minutes a week",
                              f"Minutes {oldest_first}: {_listed(minutes)}.", labels,
                              {"Minutes": minutes})}
    if tallies:
        view["steps_chart"] = bars(
            "steps-chart", "Steps done and skipped", "How often each step was done and "
            "skipped: " + "; ".join(f"{name}, {t.done} done, {t.skipped} skipped"
                                    for name, t in zip(names, tallies, strict=True)) + ".",
            names, {"Done": [t.done for t in tallies], "Skipped": [t.skipped for t in tallies]},
            horizontal=True)
    return view


def _sessions_said(found: Progress, plan: PlanView) -> str:
    said = f"{_count(found.this_week.sessions, 'session')} in the last 7 days"
    until = f" until {plan.until:%-d %B %Y}" if plan.until else ""
    if found.ended:
        return f"{said}; your plan ran{until}."
    if found.to_go is not None:
        pace = "on track" if found.to_go == 0 else \
            f"{_count(found.to_go, 'more session')} to keep to it"
        return f"{said}; the plan asks for {plan.times_per_week} a week{until}: {pace}."
    return f"{said}; your plan runs{until}." if until else f"{said}."


def _streak_said(found: Progress, plan: PlanView) -> str:
    pace = (f"the {_count(plan.times_per_week, 'session')} your plan asks for"
            if plan.times_per_week else "at least one session")
    if found.streak_weeks == 0:
        return f"No streak yet: it counts the weeks in a row with {pace}."
    return f"{_count(found.streak_weeks, 'week')} in a row with {pace}."


def _last_said(found: Progress, sessions: list[SessionView]) -> str:
    """Days ago, not a date: Mat Coach does not know the client's time zone."""
    last = max((s for s in sessions if s.started_at <= found.now and counts(s)),
               key=lambda s: s.started_at)
    days = found.days_since_last()
    ago = "less than a day ago" if days == 0 else f"{_count(days, 'day')} ago"
    heard = ("under a minute" if last.played_ms < 60_000
             else _count(round(last.played_ms / 60_000), "minute"))
    end = "played to the end" if last.finished else "not played to the end"
    return f"Your last session was {ago}: {heard}, {end}."


def _skipped_said(tallies: list[StepTally], names: list[str]) -> str:
    skipped = sorted(((t, name) for t, name in zip(tallies, names, strict=True) if t.skipped),
                     key=lambda row: (-row[0].skipped, row[0].step))
    if not skipped:
        return "No step skipped so far."
    return "Skipped most often: " + "; ".join(
        f"{name} ({t.skipped} of {t.reached} times)" for t, name in skipped[:3]) + "."


def _pains_said(found: Progress, tallies: list[StepTally], names: list[str]) -> str:
    hurt = [f"{name} ({_count(t.pains, 'time')})"
            for t, name in zip(tallies, names, strict=True) if t.pains]
    elsewhere = found.pains - sum(t.pains for t in tallies)
    if elsewhere:
        hurt.append(f"outside the steps ({_count(elsewhere, 'time')})")
    return f"Pain reported: {'; '.join(hurt)}." if hurt else "No pain reported."


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _listed(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


__all__ = ["bp", "pings_for"]
