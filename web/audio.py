"""GET /audio/<file>: built tracks, with range requests, ETag and Last-Modified."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, abort, current_app, request, send_file

bp = Blueprint("audio", __name__)
# Only published tracks: never a path, never the staging folder, never a cue sheet.
TRACK_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.mp3$")


@bp.route("/audio/<path:name>", methods=["GET", "HEAD"])
def track(name: str):
    """A track; 404 for anything that is not a published one."""
    if not TRACK_NAME.match(name):
        abort(404)
    path = Path(current_app.config["AUDIO_DIR"]).resolve() / name
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="audio/mpeg", conditional=True, etag=True,
                     download_name=name, as_attachment=request.args.get("download") == "1")
