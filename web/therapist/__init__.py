"""The therapists' side of the web app, under /therapist/: signing in, their clients, and
(in later slices) the plans they write for them.

`init_app(app, store)` adds it to a Flask app whose `SECRET_KEY` is set. Sessions are
Flask-Login's, in a signed cookie that is `Secure` whenever `SECURE_COOKIES` is set (the
app factory sets it for an https base URL); every form carries Flask-WTF's CSRF token;
every page is `Cache-Control: no-store` (a shared computer's back button, a proxy and the
service worker keep none of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import (
    Flask,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from builder.parse import Context
from plans import Store
from plans.accounts import Accounts

from .json_errors import wants_json
from .signed import Therapist, TherapistSessions

EXTENSION = "matcoach.therapist"
STORE = "matcoach.plans"
CONTEXT = "matcoach.catalog"
SESSION_HOURS = 12   # a working day: a session signed in longer ago than this has ended
SIGNED_AT = "signed_at"   # in the session: when it signed in (Unix time, from the clock)


def init_app(app: Flask, store: Store, context: Callable[[], Context]) -> None:
    """Serve /therapist/ from `store`'s accounts, clients and plans, and each plan's
    private page, audio and feed under /p/<token> (web/private.py); plans are checked
    against `context()`, the library's catalog and vocabularies as they are now."""
    from .. import listener_progress, private
    from .. import progress as client_progress
    from . import accounts, clients, codes, plans, progress, tracks
    app.extensions[EXTENSION] = Accounts(store, app.config.get("CLOCK"))
    app.extensions[STORE] = store
    app.extensions[CONTEXT] = context
    secure = bool(app.config.get("SECURE_COOKIES"))
    app.config.update(SESSION_COOKIE_SECURE=secure, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax",
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
                      # The cookie's expiry is set when it signs in, not pushed back by
                      # every page (12 hours are 12 hours, however busy).
                      SESSION_REFRESH_EACH_REQUEST=False,
                      # Flask-WTF's token lives as long as the session it is tied to.
                      WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600)
    app.session_interface = TherapistSessions()
    CSRFProtect(app)
    logins = LoginManager(app)
    # Flask-Login's "basic" protection writes `_fresh` into any session whose browser
    # fingerprint differs, an anonymous one too: a 401 to a request that left before the
    # sign-in page set its cookie then set the old one back, and the form's CSRF token no
    # longer matched. Nothing here asks for a fresh login; a session ends on sign-out,
    # a password change or after SESSION_HOURS (its version, checked on every request).
    logins.session_protection = None
    logins.user_loader(_load)
    logins.unauthorized_handler(_signed_out)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(clients.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(tracks.bp)
    app.register_blueprint(codes.bp)
    app.register_blueprint(progress.bp)   # a client's sessions, with their consent
    app.register_blueprint(private.bp)   # the client's side: a plan's private link and feed
    app.register_blueprint(client_progress.bp)   # and their progress, under the same link
    app.register_blueprint(listener_progress.bp)   # an Alexa listener's own, from the card
    app.register_error_handler(CSRFError, _form_expired)


def accounts_of(app: Flask | None = None) -> Accounts:
    """The accounts an app's therapist pages use."""
    return (app or current_app).extensions[EXTENSION]


def _load(session_id: str) -> Therapist | None:
    """The signed-in therapist, unless the session has ended: signed out (anywhere), the
    password changed, or signed in more than SESSION_HOURS ago."""
    accounts = accounts_of()
    signed_at = session.get(SIGNED_AT)
    now = accounts.clock().timestamp()
    if not isinstance(signed_at, (int, float)) or not 0 <= now - signed_at < SESSION_HOURS * 3600:
        return None
    account = accounts.signed_in(session_id)
    return Therapist(account) if account else None


def _signed_out():
    """Not signed in: pages go to the sign-in page; the editor's requests get a 401 it
    can say something about (a redirect to a page would be read as a broken answer)."""
    if wants_json():
        return jsonify(error="signed-out", message="You are signed out. Sign in again in "
                       "another tab (what you wrote here is kept), then try again."), 401
    flash("Sign in to see that page.")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("therapist.sign_in", next=target))


def _form_expired(error: CSRFError):
    """One sentence, 400: the form was sent without its token, or with an old one (the
    editor then asks for a fresh token and sends again, once)."""
    if wants_json():
        if not current_user.is_authenticated:   # its session ended with the token
            return _signed_out()
        return jsonify(error="form-expired", message="This page is out of date: reload it "
                       "and try again."), 400
    return render_template("therapist/problem.html", title="That form has expired",
                           message="Go back, reload the page and send it again."), 400


__all__ = ["CONTEXT", "EXTENSION", "STORE", "accounts_of", "init_app"]
