"""The signed-in therapist as Flask-Login sees them, and what every therapist page shares."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import UserMixin

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
