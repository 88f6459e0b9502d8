"""The web library: browse, filter, play, follow and download the built routines."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.sansio.utils import get_host

from audio.shelf import Shelf, Track
from builder.durations import clock
from builder.search import filter_routines, resolve_term

from . import EXTENSION
from .feed import feed_xml
from .files import open_inside, send_opened
from .pages import (
    card,
    count_text,
    library_cards,
    minutes_limit,
    pending_card,
    pictures,
    preparing,
    steps,
    transcript,
)
from .readiness import progress_text, readiness

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")


def _shelf() -> Shelf:
    return current_app.extensions[EXTENSION]


def _track(routine_id: str) -> Track:
    track = _shelf().get(routine_id)
    if track is None:
        abort(404)
    return track


def public_url() -> str:
    """Where links point: MATCOACH_BASE_URL when it is set (a public address, whatever the
    request says), else the address this request came to, so a phone on the same network
    that opened http://192.168.1.20:5301/ gets links it can follow."""
    if current_app.config["BASE_URL"]:
        return current_app.config["BASE_URL"]
    # request.host is "" when the Host header fails werkzeug's check (a path, spaces,
    # quotes, a bad port): then the address the server listens at.
    host = request.host or get_host(request.scheme, None, request.server)
    return f"{request.scheme}://{host}"


@bp.get("/")
def library():
    """Every routine as a card, filtered by the query (the page's script does it live);
    those not built yet say when they will be ready."""
    shelf = _shelf()
    vocabulary = shelf.library.context.vocabulary
    chosen = {kind: _term(kind, request.args.get(name))
              for name, kind in (("equipment", "equipment"), ("area", "body_areas"),
                                 ("goal", "goals"))}
    max_minutes = minutes_limit(request.args.get("minutes"))
    status = shelf.build_status()
    cards = library_cards(shelf, status)
    progress = progress_text(status)
    lengths = {c.id: c.duration_ms for c in cards}
    # The skill's own filter, so web and voice agree (library.js applies the same rules live).
    shown = {r.id for r in filter_routines(
        [c.routine for c in cards], vocabulary, equipment=chosen["equipment"],
        area=chosen["body_areas"], goal=chosen["goals"],
        max_ms=max_minutes * 60_000 if max_minutes else None, length=lambda r: lengths[r.id])}
    return render_template("library.html", cards=cards, shown=shown, chosen=chosen,
                           max_minutes=max_minutes, vocabulary=vocabulary,
                           used=_used_terms(cards, chosen), count=count_text(cards, shown),
                           progress=progress, preparing=preparing(cards, progress))


@bp.get("/build-status.json")
def build_status():
    """What the background builder is doing, for the pages' scripts: the progress line, and
    each routine's state ("ready", "waiting", "failed", "unbuilt") with its line of text."""
    shelf = _shelf()
    status = shelf.build_status()
    cards = library_cards(shelf, status)
    progress = progress_text(status)
    routines = {c.id: {"state": c.readiness.state, "text": c.readiness.text,
                       "wait": c.readiness.wait, "ready_in_s": c.readiness.ready_in_s}
                for c in cards}
    body = {"progress": progress, "preparing": preparing(cards, progress), "routines": routines}
    return body, 200, {"Cache-Control": "no-store"}


@bp.get("/routines/<routine_id>")
def routine(routine_id: str):
    """One routine: the player, its steps with start times, what you need, the transcript;
    while it is not built, what it is and when it will be ready."""
    shelf = _shelf()
    track = shelf.get(routine_id)
    if track is None:
        return _not_built(shelf, routine_id)
    handle = open_inside(Path(current_app.config["AUDIO_DIR"]), f"{track.id}.vtt")
    return render_template("routine.html", track=track, card=card(track, shelf),
                           steps=steps(track), lines=transcript(handle),
                           length=clock(track.duration_ms))


def _not_built(shelf: Shelf, routine_id: str):
    """The "being prepared" page of a routine in the library with no track yet (404 for an
    id the library does not have). Never stored: it is out of date within minutes."""
    routine = shelf.library.routines.get(routine_id)
    if routine is None:
        abort(404)
    ready = readiness(routine_id, False, shelf.build_status())
    pending = pending_card(routine, shelf, ready)
    return render_template("preparing.html", card=pending), 200, {"Cache-Control": "no-store"}


# A year (the most RFC 2616 let a server ask for); `immutable`: not even checked on reload.
FOR_GOOD = "public, max-age=31536000, immutable"


@bp.get("/routines/<routine_id>/picture.svg")
def routine_picture(routine_id: str):
    """A routine's picture (built or not; 404 for an id the library does not have). The
    cards ask for it with ?v= its version, an address whose picture never changes, which
    browsers keep for good; any other address is checked again each time (its ETag)."""
    picture = pictures(_shelf()).get(routine_id)
    if picture is None:
        abort(404)
    reply = Response(picture.svg, mimetype="image/svg+xml")
    reply.set_etag(picture.version)
    kept = request.args.get("v") == picture.version
    reply.headers["Cache-Control"] = FOR_GOOD if kept else "no-cache"
    # Opened on its own, an SVG is a document that could run scripts: it has none, and
    # may load nothing.
    reply.headers["Content-Security-Policy"] = "default-src 'none'"
    return reply.make_conditional(request)


@bp.get("/routines/<routine_id>/transcript.vtt")
def routine_transcript(routine_id: str):
    """The WebVTT transcript, for players and podcast apps."""
    track = _track(routine_id)
    handle = open_inside(Path(current_app.config["AUDIO_DIR"]), f"{track.id}.vtt")
    if handle is None:
        abort(404)
    return send_opened(handle, mimetype="text/vtt", download_name=f"{track.id}.vtt")


@bp.get("/routines/<routine_id>/chapters.json")
def routine_chapters(routine_id: str):
    """Chapters in the Podcasting 2.0 JSON format."""
    track = _track(routine_id)
    chapters = [{"startTime": c.start_ms / 1000, "endTime": c.end_ms / 1000, "title": c.title}
                for c in track.chapters]
    return {"version": "1.2.0", "chapters": chapters}, 200, {
        "Content-Type": "application/json+chapters"}


# RSS first: a request that takes anything (*/*), or says nothing, gets the feed.
FEED_TYPES = ["application/rss+xml", "application/xml", "text/xml", "text/html"]


@bp.get("/feed.xml")
def feed():
    """The podcast feed, so a phone can subscribe and download routines. A browser (which
    prefers text/html) gets a page saying how to subscribe instead of raw XML; podcast apps
    (which ask for RSS or anything) get the RSS. Chosen by content negotiation, not XSLT,
    which Chromium is removing."""
    shelf = _shelf()
    wanted = request.accept_mimetypes.best_match(FEED_TYPES, default=FEED_TYPES[0])
    if wanted == "text/html":
        page = render_template("feed.html", feed_url=f"{public_url()}/feed.xml",
                               tracks=list(shelf.tracks().values()))
        return Response(page, mimetype="text/html", headers={"Vary": "Accept"})
    body = feed_xml(list(shelf.tracks().values()), Path(current_app.config["AUDIO_DIR"]),
                    shelf.library.context.vocabulary, public_url())
    return Response(body, mimetype="application/rss+xml", headers={"Vary": "Accept"})


@bp.app_errorhandler(404)
def not_found(error):
    """A page that says what happened and where to go, for people; plain for the rest."""
    if request.path.startswith(("/routines/", "/feed")) or request.path == "/":
        return render_template("not_found.html"), 404
    return error


def _term(kind: str, words: str | None) -> str | None:
    if not words:
        return None
    return resolve_term(_shelf().library.context.vocabulary, kind, words)


def _used_terms(cards, chosen: dict[str, str | None]) -> dict[str, list[str]]:
    """The filter choices to offer: terms some routine matches, and whatever was chosen."""
    routines = [c.routine for c in cards]
    used = {"equipment": {e for r in routines for e in r.equipment},
            "body_areas": {a for c in cards for a in c.matches_areas},
            "goals": {g for r in routines for g in r.goals}}
    return {kind: sorted(terms | ({chosen[kind]} if chosen[kind] else set()))
            for kind, terms in used.items()}
