"""Issue 13: therapists sign in and out, set their password from a one-time link, change
it (which ends their other sessions), and are held back after too many failures; every
form needs its CSRF token, and nothing of theirs is cached or sent over plain http when
the site is https."""

from __future__ import annotations

import datetime as dt

import pytest

from .therapists import (
    PASSWORD,
    Clock,
    accounts,
    add_therapist,
    csrf,
    send,
    sign_in,
    therapist_app,
    where,
)

ANN = "ann@example.com"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return therapist_app(tmp_path, CLOCK=clock)


@pytest.fixture
def ann(app) -> int:
    return add_therapist(app, ANN)


def test_pages_ask_to_sign_in_first(app):
    reply = app.test_client().get("/therapist/")
    assert reply.status_code == 302 and where(reply) == "/therapist/sign-in"


def test_a_welcome_link_sets_the_password_once_then_the_therapist_signs_in(app):
    accounts(app).store.add_therapist(ANN)
    link = f"/therapist/set-password/{accounts(app).issue_link(ANN, 'welcome')}"
    client = app.test_client()
    page = client.get(link)
    assert page.status_code == 200 and ANN in page.get_data(as_text=True)

    short = send(client, link, {"password": "too short"})
    assert short.status_code == 422
    assert "at least 15 characters" in short.get_data(as_text=True)

    assert send(client, link, {"password": PASSWORD}).status_code == 302
    assert client.get(link).status_code == 404, "the link works once"
    reply = sign_in(client, ANN)
    assert reply.status_code == 302 and where(reply) == "/therapist/"
    assert "Your clients" in client.get("/therapist/").get_data(as_text=True)


def test_a_link_past_its_time_is_refused(app, clock):
    accounts(app).store.add_therapist(ANN)
    link = f"/therapist/set-password/{accounts(app).issue_link(ANN, 'reset')}"
    clock.now += dt.timedelta(hours=1, seconds=1)
    reply = app.test_client().get(link)
    assert reply.status_code == 404
    assert "expired or has been used" in reply.get_data(as_text=True)


def test_a_wrong_password_says_so_without_saying_which_part_is_wrong(app, ann):
    client = app.test_client()
    wrong = sign_in(client, ANN, "not the password at all")
    nobody = sign_in(client, "nobody@example.com")
    assert wrong.status_code == nobody.status_code == 422
    message = "That email and password do not match an account."
    assert message in wrong.get_data(as_text=True) and message in nobody.get_data(as_text=True)
    assert client.get("/therapist/").status_code == 302


def test_after_five_failures_even_the_right_password_waits(app, ann, clock):
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, ANN, "a wrong guess, long enough").status_code == 422
    held = sign_in(client, ANN)
    assert held.status_code == 429 and int(held.headers["Retry-After"]) > 0
    assert "Too many failed sign-ins" in held.get_data(as_text=True)
    clock.now += dt.timedelta(minutes=15, seconds=1)
    assert sign_in(client, ANN).status_code == 302


def test_changing_the_password_ends_every_other_session(app, ann):
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, ANN)
    sign_in(elsewhere, ANN)
    new = "a different long passphrase"
    reply = send(here, "/therapist/password", {"current": PASSWORD, "password": new})
    assert reply.status_code == 302
    assert here.get("/therapist/").status_code == 200, "this session carries on"
    assert elsewhere.get("/therapist/").status_code == 302, "the other one has ended"
    assert sign_in(app.test_client(), ANN, new).status_code == 302


def test_a_wrong_current_password_changes_nothing(app, ann):
    client = app.test_client()
    sign_in(client, ANN)
    reply = send(client, "/therapist/password", {"current": "not my password, surely",
                                                 "password": "a different long passphrase"})
    assert reply.status_code == 422
    assert sign_in(app.test_client(), ANN).status_code == 302


@pytest.mark.parametrize("path", ["/therapist/sign-in", "/therapist/password",
                                  "/therapist/sign-out", "/therapist/clients"])
def test_a_form_sent_without_its_token_is_refused(app, ann, path):
    client = app.test_client()
    sign_in(client, ANN)
    reply = client.post(path, data={"email": ANN, "password": PASSWORD, "name": "J. S.",
                                    "current": PASSWORD})
    assert reply.status_code == 400
    assert "That form has expired" in reply.get_data(as_text=True)
    assert client.get("/therapist/").status_code == 200, "still signed in"


def test_signing_out_ends_the_session(app, ann):
    client = app.test_client()
    sign_in(client, ANN)
    page = client.get("/therapist/").get_data(as_text=True)
    reply = client.post("/therapist/sign-out", data={"csrf_token": csrf(page)})
    assert reply.status_code == 302
    assert client.get("/therapist/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/therapist/",
                                    "/\\evil.example", "/feed.xml"])
def test_signing_in_never_leads_off_the_therapist_pages(app, ann, target):
    client = app.test_client()
    page = client.get("/therapist/sign-in").get_data(as_text=True)
    reply = client.post(f"/therapist/sign-in?next={target}",
                        data={"email": ANN, "password": PASSWORD, "csrf_token": csrf(page)})
    assert reply.headers["Location"] == "/therapist/"


# Regression: an upper-case scheme (schemes are case-insensitive, RFC 3986) made cookies
# that would also go over plain http.
@pytest.mark.parametrize("base_url", ["https://coach.example", "HTTPS://coach.example"])
def test_pages_are_never_stored_and_cookies_are_secure_over_https(tmp_path, base_url):
    app = therapist_app(tmp_path, BASE_URL=base_url)
    add_therapist(app, ANN)
    client = app.test_client()
    reply = sign_in(client, ANN)
    cookie = reply.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/therapist/").headers["Cache-Control"] == "no-store"


def test_over_plain_http_the_cookie_still_comes_back(app, ann):
    # `make run` on a home network is http: a Secure cookie would never be sent back.
    reply = sign_in(app.test_client(), ANN)
    assert "Secure" not in reply.headers["Set-Cookie"]


def test_the_activity_page_lists_sign_ins_and_failures(app, ann):
    client = app.test_client()
    sign_in(client, ANN, "a wrong guess, long enough")
    sign_in(client, ANN)
    page = client.get("/therapist/activity").get_data(as_text=True)
    assert page.index("Signed in") < page.index("A sign-in failed") < page.index("Password set")


def test_sign_up_is_off_unless_switched_on(tmp_path, app):
    assert app.test_client().get("/therapist/sign-up").status_code == 404
    (tmp_path / "open").mkdir()
    open_app = therapist_app(tmp_path / "open", SIGN_UP=True)
    client = open_app.test_client()
    reply = send(client, "/therapist/sign-up", {"email": ANN, "password": PASSWORD})
    assert reply.status_code == 302 and client.get("/therapist/").status_code == 200
    again = send(open_app.test_client(), "/therapist/sign-up",
                 {"email": ANN.upper(), "password": PASSWORD})
    assert again.status_code == 422 and "has an account already" in again.get_data(as_text=True)
