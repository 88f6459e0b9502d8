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
from plans.progress import Progress, Schedule, progress

from .private import THERAPIST_SIGNED_IN, _plan, _track, gone, kept_private
from .progress_words import (
    count,
    history,
    last_said,
    now,
    pains_said,
    skipped_said,
    step_names,
    steps_chart,
    weekly,
)
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
    played = history()
    if "build" in report:
        return jsonify(session=_start(played, plan, report)), 201
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
        played.heard(session, _owner(plan), report.get("played_ms"), steps)
        if finished:
            played.finish(session, _owner(plan))
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
    sessions = history().of_plan(plan.id)
    found = progress(sessions, now(), Schedule(plan.times_per_week, plan.until),
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
    deleted = history().forget_plan(plan.id)
    flash(f"Your history is deleted: {count(deleted, 'session')}.")
    return redirect(url_for("private_progress.page", token=token), 303)


# --- What the page says: one sentence next to each chart, which says the same ---


def _view(found: Progress, plan: PlanView, sessions: list[SessionView]) -> dict:
    """The page's sentences, charts and tables for `found`, which has sessions."""
    tallies = [t for t in found.steps if t.routine == f"plan:{plan.id}"]
    names = step_names(tallies)
    view = {
        **weekly(found, plan.times_per_week),
        "sessions": _sessions_said(found, plan),
        "streak": _streak_said(found, plan),
        "last": last_said(found, sessions),
        "skipped": skipped_said(tallies, names),
        "pains": pains_said(found, tallies, names),
        "steps": list(zip(names, tallies, strict=True))}
    if tallies:
        view["steps_chart"] = steps_chart("steps-chart", "Steps done and skipped", names,
                                          tallies)
    return view


def _sessions_said(found: Progress, plan: PlanView) -> str:
    said = f"{count(found.this_week.sessions, 'session')} in the last 7 days"
    until = f" until {plan.until:%-d %B %Y}" if plan.until else ""
    if found.ended:
        return f"{said}; your plan ran{until}."
    if found.to_go is not None:
        pace = "on track" if found.to_go == 0 else \
            f"{count(found.to_go, 'more session')} to keep to it"
        return f"{said}; the plan asks for {plan.times_per_week} a week{until}: {pace}."
    return f"{said}; your plan runs{until}." if until else f"{said}."


def _streak_said(found: Progress, plan: PlanView) -> str:
    pace = (f"the {count(plan.times_per_week, 'session')} your plan asks for"
            if plan.times_per_week else "at least one session")
    if found.streak_weeks == 0:
        return f"No streak yet: it counts the weeks in a row with {pace}."
    return f"{count(found.streak_weeks, 'week')} in a row with {pace}."


__all__ = ["bp", "pings_for"]
