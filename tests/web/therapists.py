"""The therapists' side as a browser meets it, for the tests: an app with an empty plans
store of its own, accounts made as `matcoach therapist add` makes them, and forms sent
with their CSRF token, as a page would send them."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from matcoach.app import create_app
from plans.accounts import Accounts

PASSWORD = "correct horse battery staple"
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                    r'type="hidden" name="csrf_token" value="([^"]+)"|'
                    r'name="csrf_token" value="([^"]+)"')


class Clock:
    """A clock the test moves: `now` is an aware UTC datetime."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def therapist_app(tmp_path, **config):
    """An app with an empty plans store in `tmp_path`, no library to speak of."""
    settings = {"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tmp_path / "tracks"),
                "DATABASE": str(tmp_path / "places.sqlite"),
                "PLANS_URL": f"sqlite:///{tmp_path / 'plans.sqlite'}",
                "PLAN_AUDIO_DIR": str(tmp_path / "plan-tracks")}
    settings.update(config)
    return create_app(settings)


def accounts(app) -> Accounts:
    from web.therapist import accounts_of
    return accounts_of(app)


def add_therapist(app, email: str, password: str = PASSWORD) -> int:
    """An account with `password` set, through its one-time link, as a therapist does."""
    store = accounts(app).store
    therapist_id = store.add_therapist(email)
    token = accounts(app).issue_link(email, "welcome")
    accounts(app).set_password(token, password)
    return therapist_id


def plan_builds(app, piper, encoder, cache_dir):
    """The builder's plan builds for the app's store and folder, with the real voice."""
    from audio.maker import TrackMaker
    from matcoach.plan_builds import PlanBuilds
    from web.therapist import CONTEXT
    return PlanBuilds(accounts(app).store, Path(app.config["PLAN_AUDIO_DIR"]),
                      app.extensions[CONTEXT],
                      lambda folder: TrackMaker(piper, encoder, cache_dir, folder))


def csrf(page_html: str) -> str:
    """The CSRF token a page's form carries."""
    match = _TOKEN.search(page_html)
    assert match, "the page has no form with a CSRF token"
    return html.unescape(next(group for group in match.groups() if group))


def send(client, path: str, data: dict, form_page: str | None = None):
    """POST `data` to `path` with the token of the form on `form_page` (default: `path`)."""
    page = client.get(form_page or path).get_data(as_text=True)
    return client.post(path, data={**data, "csrf_token": csrf(page)})


def sign_in(client, email: str, password: str = PASSWORD):
    return send(client, "/therapist/sign-in", {"email": email, "password": password})


def where(reply) -> str:
    """The path a redirect leads to."""
    return urlsplit(reply.headers["Location"]).path
