"""An Alexa listener's own progress (issue 14), through the link on the skill's card that
"how am I doing" sends: no account to sign in to, the link is the key.

    progress_path(app.config["SECRET_KEY"], "person:amzn1.ask.person…")  -> /progress/<token>
    GET  /progress/<token>          the page: sessions and minutes a week, the streak, the
                                    last session, and each routine's steps skipped and hurt
    POST /progress/<token>/delete   confirm=yes: every session of the listener deleted

The token is the listener's digest (plans.models.digest: History keeps nothing else of
them, and the Alexa id never shows in the link) signed with the app's SECRET_KEY and the
time it was made. It opens the page for LINK_DAYS, then says to ask for a new one (410);
a link not made here is the same "not here" page as an unknown private link (404).
Every answer is kept private as a plan's link is: no-store, no-referrer, noindex.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from plans.codes import Codes
from plans.history import SessionView
from plans.models import digest
from plans.progress import Progress, progress

from . import EXTENSION
from .private import kept_private
from .progress import EXPIRED as FORM_EXPIRED
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
from .therapist.signed import plans_store

SALT = "matcoach.listener-progress"
LINK_DAYS = 30   # a card stays in the Alexa app; each "how am I doing" makes a fresh link
EXPIRED = "This link has expired: say, Alexa, ask Mat Coach how am I doing, for a new one."
NOT_HERE = ("The link may be mistyped or cut short: say, Alexa, ask Mat Coach how am I "
            "doing, for a new one.")
PLAN = "plan:"
PLAN_TITLE = "Your therapist's plan"
GONE_TITLE = "A routine no longer in the library"
_DIGEST = re.compile(r"[0-9a-f]{64}")

bp = Blueprint("listener_progress", __name__, url_prefix="/progress")
bp.after_request(kept_private)


def progress_path(secret_key: str | bytes, listener: str) -> str:
    """The path, under the public address, of `listener`'s page (an Alexa person or
    account id, as History's owner), signed with `secret_key` as of now; no app needed."""
    return f"/progress/{_serializer(secret_key).dumps(digest(listener))}"


def _serializer(secret_key: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _owner(token: str) -> str:
    """The digest `token` was made for: 404 for a link not made here (mistyped, cut short,
    altered), 410 for one made more than LINK_DAYS ago."""
    try:
        owner = _serializer(current_app.config["SECRET_KEY"]).loads(
            token, max_age=LINK_DAYS * 24 * 3600)
    except SignatureExpired:   # ours, but old: its signature was checked first
        abort(410)
    except BadData:
        abort(404)
    if not isinstance(owner, str) or not _DIGEST.fullmatch(owner):
        abort(404)   # signed with our key and salt, but not by progress_path
    return owner


@bp.errorhandler(404)
def not_here(error):
    """A link not made here: said as for an unknown private link, with how to get one."""
    return render_template("private_gone.html", title="This page is not here",
                           message=NOT_HERE), 404


@bp.errorhandler(410)
def expired(error):
    """A link older than LINK_DAYS: one sentence, how to get a new one."""
    return render_template("private_gone.html", title="This link has expired",
                           message=EXPIRED), 410


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """The delete form sent without the page's token, or an old one."""
    return render_template("private_gone.html", title="That form has expired",
                           message=FORM_EXPIRED), 400


@bp.get("/<token>")
def page(token: str):
    """The listener's progress over every routine they played by voice, and deleting it."""
    owner = _owner(token)
    sessions = history().of_listener(owner, _plans(owner))
    found = progress(sessions, now())
    # Deleting is offered for whatever is kept, even sessions too short to show.
    return render_template("listener_progress.html", token=token, link_days=LINK_DAYS,
                           kept=bool(sessions),
                           view=_view(found, sessions) if found.sessions else None)


@bp.post("/<token>/delete")
def delete(token: str):
    """Delete every session of the listener, once they ticked to confirm; back to the page,
    which says how many went."""
    owner = _owner(token)
    if request.form.getlist("confirm") != ["yes"]:
        return render_template("private_gone.html", title="Tick the box to delete",
                               message="Nothing was deleted: tick the box that says you "
                               "want your history deleted, then press the button."), 400
    deleted = history().forget_listener(owner, _plans(owner))
    flash(f"Your history is deleted: {count(deleted, 'session')}.")
    return redirect(url_for("listener_progress.page", token=token), 303)


def _plans(owner: str) -> list[int]:
    """The plans the listener said the codes of: their sessions on the plan's own page
    are theirs too (as "how am I doing" counts them)."""
    return Codes(plans_store(), current_app.config.get("CLOCK")).plan_ids_of(owner)


# --- What the page says: one sentence next to each chart, which says the same ---


def _view(found: Progress, sessions: list[SessionView]) -> dict:
    """The page's sentences, charts and tables for `found` (which has sessions), with a
    part for each routine, the one played last first."""
    played = [s for s in sessions if s.started_at <= found.now]   # newest first
    weeks = len(found.weeks)
    return {
        **weekly(found),
        "sessions": f"{count(found.this_week.sessions, 'session')} in the last 7 days, "
                    f"{count(sum(w.sessions for w in found.weeks), 'session')} over the "
                    f"last {weeks} weeks.",
        "streak": _streak_said(found),
        "last": last_said(found, played),
        "routines": _routines(played, found.now)}


def _streak_said(found: Progress) -> str:
    if found.streak_weeks == 0:
        return "No streak yet: it counts the weeks in a row with at least one session."
    return f"{count(found.streak_weeks, 'week')} in a row with at least one session."


def _routines(played: list[SessionView], now: dt.datetime) -> list[dict]:
    """One part per routine of `played` (newest first), in the order last played."""
    ids = list(dict.fromkeys(s.routine for s in played))
    seen: dict[str, int] = {}
    parts = []
    for number, routine_id in enumerate(ids, start=1):
        title, steps = _routine(routine_id)
        seen[title] = seen.get(title, 0) + 1
        if seen[title] > 1:   # two plans, say: each heading names one part
            title = f"{title} ({seen[title]})"
        parts.append(_part(number, title, routine_id, steps,
                           [s for s in played if s.routine == routine_id], now))
    return parts


def _routine(routine_id: str) -> tuple[str, list[str]]:
    """The title a routine is shown by, and its steps' titles by step index (none when
    not known). A plan is only named as such: its details are for its own private link,
    which this one is not."""
    if routine_id.startswith(PLAN):
        return PLAN_TITLE, []
    # The library's routine, built or not: a built Track's routine is this same one
    # (audio/shelf.py pairs each cue sheet with it), and one being rebuilt was played too.
    routine = current_app.extensions[EXTENSION].library.routines.get(routine_id)
    if routine is None:   # taken out of the library since
        return GONE_TITLE, []
    return routine.title, [step.title for step in routine.steps]


def _part(number: int, title: str, routine_id: str, steps: list[str],
          sessions: list[SessionView], now: dt.datetime) -> dict:
    """One routine's sessions in words, and its steps as a chart and a table."""
    found = progress(sessions, now, titles={routine_id: steps}, weeks=1)
    tallies = list(found.steps)
    names = step_names(tallies)
    return {
        "heading_id": f"routine-{number}", "title": title,
        "played": _played_said(found),
        "skipped": skipped_said(tallies, names),
        "pains": pains_said(found, tallies, names),
        "steps": list(zip(names, tallies, strict=True)),
        # A chart of one bar (a routine of one step) says nothing its table does not.
        "chart": steps_chart(f"steps-chart-{number}", f"{title}: steps done and skipped",
                             names, tallies) if len(tallies) > 1 else None}


def _played_said(found: Progress) -> str:
    heard = "under a minute" if found.minutes == 0 else count(found.minutes, "minute")
    ended = "none" if found.finished == 0 else \
        "all" if found.finished == found.sessions else str(found.finished)
    return f"{count(found.sessions, 'session')}, {heard} in all; {ended} played to the end."


__all__ = ["LINK_DAYS", "bp", "progress_path"]
