"""What makes the pages an installable app that works offline: the service worker, the web
app manifest and the page shown offline for a page that was never kept.

The service worker is served from the root (`/sw.js`), not /static/: a worker controls
only the pages under its own path (W3C Service Workers, "scope"), and it must be fetched
afresh (no-cache) so that a new version reaches phones at their next visit.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, send_from_directory

bp = Blueprint("offline", __name__)
STATIC = Path(__file__).parent / "static"
THEME = "#2f6f62"        # the accent of style.css and the background of the artwork
PAPER = "#fbfaf7"


@bp.get("/sw.js")
def service_worker():
    """The service worker (web/static/sw.js), at the root so its scope is every page."""
    reply = send_from_directory(STATIC, "sw.js", mimetype="text/javascript", max_age=0)
    reply.headers["Cache-Control"] = "no-cache"
    return reply


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest (W3C Web Application Manifest): name, start page, colours and
    icons, so "Add to Home Screen" installs Mat Coach as an app. iOS reads the
    apple-touch-icon link in base.html instead of these icons."""
    icons = [{"src": f"/static/icon-{size}.png", "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": "any"} for size in (192, 512)]
    icons.append({"src": "/static/icon-maskable-512.png", "sizes": "512x512",
                  "type": "image/png", "purpose": "maskable"})
    body = {"name": "Mat Coach", "short_name": "Mat Coach",
            "description": "Guided self-massage between massage appointments.",
            "start_url": "/", "scope": "/", "display": "standalone",
            "background_color": PAPER, "theme_color": THEME, "icons": icons}
    return body, 200, {"Content-Type": "application/manifest+json",
                       "Cache-Control": "no-cache"}


@bp.get("/apple-touch-icon.png")
def apple_touch_icon():
    """iOS, and some other clients, ask the root for this icon whatever the page says."""
    return send_from_directory(STATIC, "apple-touch-icon.png", mimetype="image/png")


@bp.get("/offline")
def offline_page():
    """What the service worker shows for a page it never kept while there is no signal."""
    return render_template("offline.html")
