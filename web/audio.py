"""GET /audio/: built tracks, with range requests, ETag and Last-Modified.

- `/audio/<build>/<id>.mp3` is one build of a routine, whose bytes never change: what the
  skill plays, the pages and the feed link to, cacheable for a year (`immutable`). Once that
  build is no longer kept (audio/tidy.py) it is 410 Gone.
- `/audio/<id>.mp3?build=<build>`, the form links took before builds were kept, is the same.
- `/audio/<id>.mp3` is the routine's current build, whatever it is (revalidated each time).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from flask import Blueprint, abort, current_app, request

from audio.kept import BUILD_ID, BUILDS
from audio.tags import read_build_from

from . import EXTENSION
from .files import open_inside, send_opened

bp = Blueprint("audio", __name__)
# Only published tracks: never a path, never the staging folder, never a cue sheet.
TRACK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.mp3$")
YEAR_S = 365 * 24 * 3600
GONE = ("That recording of the routine has been replaced by a newer one; open the routine "
        "again to play it.")


@bp.route("/audio/<name>", methods=["GET", "HEAD"])
def track(name: str):
    """The current build of a routine (or the build the query names); 404 for anything that
    is not a published track inside the tracks folder."""
    build = request.args.get("build")
    if build is not None:
        return build_track(build, name)
    handle = open_inside(_folder(), name) if TRACK_NAME.fullmatch(name) else None
    if handle is None:
        abort(404)
    return send_opened(handle, mimetype="audio/mpeg", download_name=name,
                       as_attachment=request.args.get("download") == "1")


@bp.route("/audio/<build>/<name>", methods=["GET", "HEAD"])
def build_track(build: str, name: str):
    """One build of a routine: 410 once it is gone (the routine is still known), 404 for
    anything else that is not a kept build."""
    if not (BUILD_ID.fullmatch(build) and TRACK_NAME.fullmatch(name)):
        abort(404)
    handle = _open_build(_folder(), build, name)
    if handle is None:
        if _known(name.removesuffix(".mp3")):
            abort(410, description=GONE)
        abort(404)
    current_app.extensions[EXTENSION].used(build)   # for tidying: least recently used first
    # A build's bytes never change: its id is a strong validator, and caches may keep it.
    response = send_opened(handle, mimetype="audio/mpeg", download_name=name, etag=build,
                           as_attachment=request.args.get("download") == "1",
                           max_age=YEAR_S)
    response.cache_control.immutable = True
    return response


def _open_build(folder: Path, build: str, name: str) -> BinaryIO | None:
    """The kept build's MP3, or the published one if it is that build (published before
    builds were kept, and not kept yet): checked on the very file that will be sent."""
    handle = open_inside(folder, BUILDS, build, name)
    if handle is not None:
        return handle
    handle = open_inside(folder, name)
    if handle is None:
        return None
    try:
        if read_build_from(handle) == build:
            return handle
    except OSError:
        pass
    handle.close()
    return None


def _known(routine_id: str) -> bool:
    """Whether a routine is one we have, so that a build of it we do not is gone."""
    shelf = current_app.extensions[EXTENSION]
    return routine_id in shelf.library.routines or shelf.get(routine_id) is not None


def _folder() -> Path:
    return Path(current_app.config["AUDIO_DIR"])
