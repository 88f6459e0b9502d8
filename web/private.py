"""A plan as its client opens it, without signing in: `/p/<token>`, the private link the
therapist shares (with its QR code), its audio, and a private podcast feed of its own.

The token (256 random bits) is the key, so every answer keeps it to itself: never stored
by a cache (no-store), never sent on as a referrer (no-referrer), never indexed
(X-Robots-Tag). An unknown token is the same 404 as a deleted plan's.
"""

from __future__ import annotations

import email.utils
from xml.etree import ElementTree as ET

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from audio.kept import BUILDS
from audio.one_track import track_in
from audio.shelf import Track
from builder.durations import clock
from plans import NotFound, PlanView
from plans.consent import Consent

from .feed import ITUNES
from .pages import steps
from .therapist import CONTEXT
from .therapist.editor import check
from .therapist.signed import plans_store
from .therapist.tracks import AUDIO_NAME, folder_of, newest_build, send_build
from .views import public_url

bp = Blueprint("private", __name__, url_prefix="/p")


@bp.after_request
def kept_private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.errorhandler(404)
def gone(error):
    """A link that opens nothing (mistyped, or its plan deleted): said for the client."""
    return render_template("private_gone.html"), 404


def _plan(token: str) -> PlanView:
    plan = plans_store().plan_by_token(token)
    if plan is None:
        abort(404)
    return plan


@bp.get("/<token>")
def plan_page(token: str):
    """The client's page: the therapist's note and schedule, the phone player with its
    follow-along view (as for a routine of the library), and the private feed."""
    plan = _plan(token)
    track = _track(plan)
    return render_template("private_plan.html", plan=plan, track=track,
                           therapist_here=THERAPIST_SIGNED_IN
                           if current_user.is_authenticated else None,
                           steps=steps(track) if track else [],
                           length=clock(track.duration_ms) if track else None,
                           feed=f"{public_url()}{url_for('private.feed', token=token)}")


def _track(plan: PlanView) -> Track | None:
    """The plan's newest build as a Track (its cue sheet's chapters and work windows, and
    the routine of the plan's latest version, checked), or None while there is none."""
    routine = check(plan.routine_yaml, current_app.extensions[CONTEXT](), plan.title).routine
    return track_in(folder_of(plan.token), routine) if routine is not None else None


THERAPIST_SIGNED_IN = ("You are signed in as a therapist here. Whether you see your "
                       "client's progress is theirs to say: on their speaker, or on this "
                       "page on their own phone.")


@bp.post("/<token>/progress-sharing")
def progress_sharing(token: str):
    """The client's answer: may their therapist see their progress? (Flask-WTF checks the
    form's CSRF token, as on every form.) Back to the page, which says what holds now."""
    plan = _plan(token)
    if current_user.is_authenticated:   # the therapist, from the link on their own page
        return render_template("private_gone.html", title="Your client answers this",
                               message=THERAPIST_SIGNED_IN), 403
    answers = request.form.getlist("share")
    answer = answers[0] if len(answers) == 1 else None   # two at once is no answer
    if answer not in ("yes", "no"):
        return render_template("private_gone.html", title="Choose an answer",
                               message="Choose whether to share your progress with one of "
                               "the page's two buttons."), 400
    try:
        Consent(plans_store(), current_app.config.get("CLOCK")).answer(
            plan.id, answer == "yes", "on the private page")
    except NotFound:   # deleted meanwhile
        abort(404)
    return redirect(url_for("private.plan_page", token=token, _anchor="sharing-heading"), 303)


@bp.route("/<token>/audio/<build>.mp3", methods=["GET", "HEAD"])
def audio(token: str, build: str):
    """One build of the plan's track, with ranges; a build no longer kept is 404."""
    return send_build(_plan(token), build, "my-plan.mp3")


@bp.get("/<token>/feed.xml")
def feed(token: str):
    """A podcast feed of this plan alone: one episode, the newest build, blocked from
    every directory (itunes:block), for the client's podcast app."""
    plan = _plan(token)
    base = public_url()
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", f"{plan.title} (Mat Coach)")
    _text(channel, "link", f"{base}{url_for('private.plan_page', token=token)}")
    _text(channel, "description", "Your therapist's plan for you, from Mat Coach. This feed "
          "is private: do not share its address.")
    _text(channel, f"{{{ITUNES}}}block", "Yes")
    _text(channel, f"{{{ITUNES}}}explicit", "false")
    build = newest_build(plan.token)
    mp3 = folder_of(plan.token) / BUILDS / build / AUDIO_NAME if build else None
    if mp3 is not None and mp3.is_file():
        item = ET.SubElement(channel, "item")
        _text(item, "title", plan.title)
        # One episode per build: an edited plan, once built, is new to the podcast app,
        # and one still building does not change the episode it has.
        _text(item, "guid", f"matcoach-plan:{plan.id}:{build}").set("isPermaLink", "false")
        _text(item, "pubDate", email.utils.formatdate(mp3.stat().st_mtime, usegmt=True))
        ET.SubElement(item, "enclosure", {
            "url": f"{base}{url_for('private.audio', token=token, build=build)}",
            "length": str(mp3.stat().st_size), "type": "audio/mpeg"})
    body = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/rss+xml")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
