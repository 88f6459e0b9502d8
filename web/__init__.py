"""The web side: the library pages, the player, the podcast feed and the audio files.

`init_app(app, shelf)` adds it to a Flask app; the pages read the app's `AUDIO_DIR` and
`BASE_URL` settings.
"""

from __future__ import annotations

from flask import Flask

from audio.shelf import Shelf

EXTENSION = "matcoach.web"


def init_app(app: Flask, shelf: Shelf) -> None:
    """Serve the pages, the feed, /audio/ for the tracks on `shelf`, and the service worker
    and manifest that make the pages an app that works offline; Range headers that
    RFC 9110 says to ignore are dropped before any route sees them (web/ranges.py)."""
    from . import audio, offline, views
    from .ranges import RangeRules
    app.extensions[EXTENSION] = shelf
    app.register_blueprint(views.bp)
    app.register_blueprint(audio.bp)
    app.register_blueprint(offline.bp)
    app.wsgi_app = RangeRules(app.wsgi_app)


__all__ = ["EXTENSION", "init_app"]
