"""A plan's track, for its therapist: how its build is going (polled by the plan page),
and its audio. Plan audio is private: it is sent only to the signed-in therapist who owns
the plan, and to whoever holds the plan's private link (web/private.py), and never kept
by a cache."""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, url_for

from audio.kept import BUILD_ID, BUILDS
from audio.one_track import read_track_status
from builder.lengths import read_cue_sheet
from plans import PlanView

from ..files import open_inside, send_opened
from .json_errors import json_errors
from .signed import for_therapists, owned, plans_store

bp = json_errors(for_therapists(Blueprint("plan_tracks", __name__, url_prefix="/therapist")))
AUDIO_NAME = "plan.mp3"   # the routine id the builder gives a plan (matcoach/plan_builds.py)



def folder_of(token: str) -> Path:
    """Where the builder keeps the tracks of the plan with this token."""
    return Path(current_app.config["PLAN_AUDIO_DIR"]) / token


def forget(tokens: list[str]) -> None:
    """Delete the tracks of these plans at once (their client is gone); the builder also
    removes any it finds of a plan no longer stored."""
    for token in tokens:
        shutil.rmtree(folder_of(token), ignore_errors=True)


def track_state(plan: PlanView) -> dict:
    """How the plan's latest version stands, as the plan page shows it: "waiting" (not
    started), "building" (with a percentage), "ready" or "failed" (with why); and the
    audio of the newest build there is, which may be of an earlier version."""
    status = read_track_status(folder_of(plan.token)) or {}
    current = status.get("version") == plan.version
    state = status.get("state") if current else "waiting"
    found = {"state": state if state in ("building", "ready", "failed") else "waiting",
             "version": plan.version}
    if found["state"] == "building":
        total = status.get("total") or 1
        found["percent"] = max(0, min(99, int(100 * (status.get("done") or 0) / total)))
    if found["state"] == "failed":
        found["why"] = str(status.get("why") or "")
    build = newest_build(plan.token)
    if build:
        found["audio"] = url_for("plan_tracks.audio", plan_id=plan.id, build=build)
        found["audio_is_latest"] = found["state"] == "ready" and status.get("build") == build
    return found


@bp.get("/plans/<int:plan_id>/track.json")
def track(plan_id: int):
    return jsonify(track_state(owned(plans_store().plan, plan_id)))


@bp.route("/plans/<int:plan_id>/audio/<build>.mp3", methods=["GET", "HEAD"])
def audio(plan_id: int, build: str):
    plan = owned(plans_store().plan, plan_id)
    # Cache-Control: no-store, as every therapist page (signed.private): no cache keeps it.
    return send_build(plan, build, f"plan-{plan.id}.mp3")


def send_build(plan: PlanView, build: str, download_name: str):
    """One kept build of the plan's track, with ranges (404 for one not kept)."""
    handle = (open_inside(folder_of(plan.token), BUILDS, build, AUDIO_NAME)
              if BUILD_ID.fullmatch(build) else None)
    if handle is None:
        abort(404)
    return send_opened(handle, mimetype="audio/mpeg", download_name=download_name, etag=build)


def newest_build(token: str) -> str | None:
    """The build the plan's published cue sheet names, if that build is kept whole."""
    folder = folder_of(token)
    build = str((read_cue_sheet(folder / "plan.json") or {}).get("build"))
    return build if BUILD_ID.fullmatch(build) and (folder / BUILDS / build / AUDIO_NAME
                                                   ).is_file() else None

