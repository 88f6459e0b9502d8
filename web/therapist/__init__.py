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

from flask import Flask, current_app, render_template
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect

from builder.parse import Context
from plans import Store
from plans.accounts import Accounts

from .signed import Therapist, TherapistSessions

EXTENSION = "matcoach.therapist"
STORE = "matcoach.plans"
CONTEXT = "matcoach.catalog"
SESSION_HOURS = 12   # a working day: a session cookie older than this no longer signs in


def init_app(app: Flask, store: Store, context: Callable[[], Context]) -> None:
    """Serve /therapist/ from `store`'s accounts, clients and plans; plans are checked
    against `context()`, the library's catalog and vocabularies as they are now."""
    from . import accounts, clients, plans, tracks
    app.extensions[EXTENSION] = Accounts(store, app.config.get("CLOCK"))
    app.extensions[STORE] = store
    app.extensions[CONTEXT] = context
    secure = bool(app.config.get("SECURE_COOKIES"))
    app.config.update(SESSION_COOKIE_SECURE=secure, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax",
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
                      # Flask-WTF's token lives as long as the session it is tied to.
                      WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600)
    app.session_interface = TherapistSessions()
    CSRFProtect(app)
    logins = LoginManager(app)
    logins.login_view = "therapist.sign_in"
    logins.login_message = "Sign in to see that page."
    logins.user_loader(_load)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(clients.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(tracks.bp)
    app.register_error_handler(CSRFError, _form_expired)


def accounts_of(app: Flask | None = None) -> Accounts:
    """The accounts an app's therapist pages use."""
    return (app or current_app).extensions[EXTENSION]


def _load(session_id: str) -> Therapist | None:
    account = accounts_of().signed_in(session_id)
    return Therapist(account) if account else None


def _form_expired(error: CSRFError):
    # One sentence, 400: the form was sent without its token, or with an old one.
    return render_template("therapist/problem.html", title="That form has expired",
                           message="Go back, reload the page and send it again."), 400


__all__ = ["CONTEXT", "EXTENSION", "STORE", "accounts_of", "init_app"]
