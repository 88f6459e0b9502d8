"""Issue 13, found by a hostile tester: a session ends when its therapist signs out (a
copied cookie opens nothing after), lasts 12 hours from signing in however busy; behind a
proxy each visitor's own address is counted; and the editor's requests get answers it
can act on when the session has ended or its page is older than the session."""

from __future__ import annotations

import datetime as dt

import pytest

from matcoach.config import ConfigError

from .test_plan_editor import ROUTINE, Therapist
from .therapists import PASSWORD, Clock, add_therapist, csrf, sign_in, therapist_app

ANN = "ann@example.com"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return therapist_app(tmp_path, CLOCK=clock)


def test_a_copied_cookie_opens_nothing_after_signing_out(app):
    add_therapist(app, ANN)
    here, copy = app.test_client(), app.test_client()
    sign_in(here, ANN)
    copy.set_cookie("session", here.get_cookie("session").value)
    assert copy.get("/therapist/").status_code == 200
    page = here.get("/therapist/").get_data(as_text=True)
    here.post("/therapist/sign-out", data={"csrf_token": csrf(page)})
    assert copy.get("/therapist/").status_code == 302


def test_a_session_lasts_twelve_hours_from_signing_in_however_busy(app, clock):
    add_therapist(app, ANN)
    client = app.test_client()
    sign_in(client, ANN)
    clock.now += dt.timedelta(hours=11, minutes=59)
    assert client.get("/therapist/").status_code == 200
    clock.now += dt.timedelta(minutes=2)
    assert client.get("/therapist/").status_code == 302
    assert sign_in(client, ANN).status_code == 302, "signing in again starts a new one"
    assert client.get("/therapist/").status_code == 200


def test_the_editor_is_told_when_it_is_signed_out(app):
    ann = Therapist(app, ANN)
    page = ann.client.get("/therapist/").get_data(as_text=True)
    ann.client.post("/therapist/sign-out", data={"csrf_token": csrf(page)})
    reply = ann.post("/therapist/plans/check", {"routine": ROUTINE})
    assert reply.status_code == 401 and reply.get_json()["error"] == "signed-out"
    assert "Sign in again in another tab" in reply.get_json()["message"]


def test_an_editor_request_crossing_the_sign_out_does_not_spoil_the_sign_in_form(app):
    """Found by CI: the editor's check, sent with the cookie of the moment after signing
    out, arrived after the sign-in page had set a new cookie; its 401 set the cookie
    back (Flask-Login marked the anonymous session not fresh), the form's token no longer
    matched, and signing in failed with 'That form has expired'."""
    ann = Therapist(app, ANN)
    ann.client.post("/therapist/sign-out", data={"csrf_token": ann.token})
    in_flight = ann.client.get_cookie("session").value   # the editor's request took this
    form = ann.client.get("/therapist/sign-in").get_data(as_text=True)
    late = app.test_client()
    late.set_cookie("session", in_flight)
    reply = late.post("/therapist/plans/check", json={"routine": ROUTINE},
                      headers={"X-CSRFToken": ann.token, "Accept": "application/json"})
    assert reply.status_code == 401
    for cookie in reply.headers.getlist("Set-Cookie"):   # the browser keeps what it is sent
        ann.client.set_cookie("session", cookie.split(";")[0].split("=", 1)[1])
    signed = ann.client.post("/therapist/sign-in", data={
        "email": ANN, "password": PASSWORD, "csrf_token": csrf(form)})
    assert signed.status_code == 302


def test_the_editor_can_get_a_fresh_token_for_a_new_session(app):
    ann = Therapist(app, ANN)
    old = ann.token
    # Signed out and in again (as from another tab): a new session, with its own token.
    ann.client.post("/therapist/sign-out", data={"csrf_token": old})
    sign_in(ann.client, ANN)
    stale = ann.post("/therapist/plans/check", {"routine": ROUTINE}, token=old)
    assert stale.status_code == 400 and stale.get_json()["error"] == "form-expired"
    fresh = ann.client.get("/therapist/token.json").get_json()["token"]
    assert ann.post("/therapist/plans/check", {"routine": ROUTINE},
                    token=fresh).status_code == 200


def test_behind_a_proxy_each_visitor_is_counted_by_their_own_address(tmp_path):
    app = therapist_app(tmp_path, PROXIES=1)
    add_therapist(app, ANN)
    client = app.test_client()

    def attempt(address: str, email: str, password: str):
        page = client.get("/therapist/sign-in").get_data(as_text=True)
        return client.post("/therapist/sign-in", environ_base={"REMOTE_ADDR": "10.0.0.1"},
                           headers={"X-Forwarded-For": address},
                           data={"email": email, "password": password,
                                 "csrf_token": csrf(page)})

    for number in range(20):
        attempt("203.0.113.9", f"nobody{number}@example.com", "a wrong guess, long enough")
    assert attempt("203.0.113.9", ANN, PASSWORD).status_code == 429
    assert attempt("198.51.100.4", ANN, PASSWORD).status_code == 302, \
        "another visitor behind the same proxy is not held back"


def test_a_number_of_proxies_that_is_not_one_is_refused(monkeypatch):
    from matcoach.config import from_environment
    monkeypatch.setenv("MATCOACH_PROXIES", "yes")
    with pytest.raises(ConfigError, match="MATCOACH_PROXIES"):
        from_environment()


def test_therapist_pages_are_not_sniffed(app):
    add_therapist(app, ANN)
    client = app.test_client()
    sign_in(client, ANN)
    assert client.get("/therapist/").headers["X-Content-Type-Options"] == "nosniff"
