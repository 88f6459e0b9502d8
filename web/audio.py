"""GET /audio/<file>: built tracks, with range requests, ETag and Last-Modified."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, request

from .files import open_inside, send_opened

bp = Blueprint("audio", __name__)
# Only published tracks: never a path, never the staging folder, never a cue sheet.
TRACK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.mp3$")


@bp.route("/audio/<path:name>", methods=["GET", "HEAD"])
def track(name: str):
    """A track; 404 for anything that is not a published one inside the tracks folder."""
    handle = open_inside(Path(current_app.config["AUDIO_DIR"]), name) \
        if TRACK_NAME.match(name) else None
    if handle is None:
        abort(404)
    return send_opened(handle, mimetype="audio/mpeg", download_name=name,
                       as_attachment=request.args.get("download") == "1")
