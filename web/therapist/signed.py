"""The signed-in therapist as Flask-Login sees them, and what every therapist page shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import UserMixin, current_user, login_required

from plans import NotFound, Store
from plans.accounts import Account


class Therapist(UserMixin):
    """A signed-in therapist; `get_id()` is the session id, which stops opening the account
    when its password changes (so every other session ends)."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self.id = account.id
        self.email = account.email

    def get_id(self) -> str:
        return self.account.session_id


def private(bp: Blueprint) -> Blueprint:
    """Mark every response of `bp` as never to be stored by a browser, a proxy or the
    service worker (sw.js leaves /therapist/ to the network too)."""

    @bp.after_request
    def no_store(response: Response) -> Response:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return bp


T = TypeVar("T")


def for_therapists(bp: Blueprint) -> Blueprint:
    """`private(bp)`, every page of it for a signed-in therapist (else: the sign-in page,
    or 401 for the editor's requests)."""

    @bp.before_request
    @login_required
    def signed_in_only() -> None:
        """Nothing to do once signed in: login_required has let the request through."""

    return private(bp)


def plans_store() -> Store:
    """The plans store of the app serving this request."""
    from . import STORE  # the package imports this module first
    return current_app.extensions[STORE]


def owned(read: Callable[[int, int], T], item_id: int) -> T:
    """`read(therapist, id)` for the signed-in therapist (a store's client or plan), or
    404: another therapist's is not found, exactly as one that never existed."""
    try:
        return read(current_user.id, item_id)
    except NotFound:
        abort(404)


def local_path(target: str | None, default: str) -> str:
    """`target` if it is a path of the therapist pages, else `default`: the page to go to
    after signing in, which must never lead off this site (an open redirect)."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/therapist/"):
        return default
    return target


class TherapistSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, saved only for the therapists' pages.

    Flask-Login looks into the session after every request, so Flask would add
    "Vary: Cookie" to every page and refresh a signed-in therapist's cookie on them: a CDN
    would then keep a copy of the public library per visitor. The public pages never use
    the session, so nothing of it is saved or varied there.
    """

    def save_session(self, app: Flask, session, response: Response) -> None:
        if request.path.startswith("/therapist/") or session.modified:
            super().save_session(app, session, response)
