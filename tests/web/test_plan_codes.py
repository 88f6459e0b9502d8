"""A plan's share code on its therapist's page: made and made again with a button, shown
to read out (the digits, the words to say, the last day it works, whether a speaker has
said it), refused to another therapist and to a form without its token, and on no public
page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from plans.codes import Codes, CodeView
from plans.errors import NotFound
from web.therapist.codes import shown

from .test_plan_editor import ANN, BEA, Therapist
from .therapists import Clock, accounts, csrf, sign_in, therapist_app, where

# The big code, as the eye reads it (its screen-reader twin is one digit at a time).
BIG_CODE = re.compile(r'<span id="share-code" aria-hidden="true">(\d{3}) (\d{3})</span>')
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
NO_CODE = "This plan has no code now."
LINKED = "Your client's speaker has this plan now; the code opens it for nobody else."


@pytest.fixture
def clock() -> Clock:
    return Clock()   # 9:00 UTC on Monday 7 December 2026


@pytest.fixture
def app(tmp_path, clock):
    return therapist_app(tmp_path, CLOCK=clock)


@pytest.fixture
def ann(app) -> Therapist:
    return Therapist(app, ANN)


@pytest.fixture
def plan_url(ann) -> str:
    reply = ann.save()
    assert reply.status_code == 201, reply.get_json()
    return reply.get_json()["url"]


def codes(app, clock) -> Codes:
    return Codes(accounts(app).store, clock)


def page_of(who: Therapist, plan_url: str) -> str:
    reply = who.client.get(plan_url)
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def make_code(who: Therapist, plan_url: str, **ticked: str):
    """Press "Make a code" (or "Make a new code") on the plan's page."""
    token = csrf(page_of(who, plan_url))
    return who.client.post(f"{plan_url}/code", data={"csrf_token": token, **ticked})


def code_on(page: str) -> str | None:
    """The six digits the page shows large, or None."""
    found = BIG_CODE.search(page)
    return found[1] + found[2] if found else None


def spoken(code: str) -> str:
    return "Alexa, ask Mat Coach for code " + " ".join(WORDS[int(d)] for d in code)


def test_the_owner_makes_a_code_and_reads_it_out_from_the_page(ann, plan_url):
    before = page_of(ann, plan_url)
    assert "Share by voice" in before and NO_CODE in before
    assert ">Make a code</button>" in before and code_on(before) is None

    reply = make_code(ann, plan_url)
    assert reply.status_code == 302 and where(reply) == plan_url   # Post/Redirect/Get
    after = ann.client.get(plan_url)
    assert after.headers["Cache-Control"] == "no-store"
    page = after.get_data(as_text=True)
    code = code_on(page)
    assert code is not None and len(code) == 6
    assert f"A new code is ready: {code[:3]} {code[3:]}." in page
    assert f'<span class="visually-hidden">{" ".join(code)}</span>' in page
    assert spoken(code) in page
    assert "Works until <time datetime=\"2026-12-21T09:00:00+00:00\">Monday 21 December</time>." \
        in page
    assert "No speaker has used it yet." in page and NO_CODE not in page
    assert ">Make a new code</button>" in page
    assert "this one stops working, a speaker that has the plan loses it" in page
    assert "Share code made" in ann.client.get("/therapist/activity").get_data(as_text=True)


def test_a_new_code_replaces_the_old_one(app, clock, ann, plan_url):
    make_code(ann, plan_url)
    old = code_on(page_of(ann, plan_url))
    make_code(ann, plan_url)
    page = page_of(ann, plan_url)
    new = code_on(page)
    # The old code is deleted before the new one is drawn: one time in a million they
    # are the same six digits, and this test would fail once.
    assert new != old and spoken(new) in page and spoken(old) not in page
    with pytest.raises(NotFound):
        codes(app, clock).redeem(old, "someone")
    assert codes(app, clock).redeem(new, "someone").title == "Right shoulder"


def test_another_therapist_can_neither_see_nor_make_the_code(app, clock, ann, plan_url):
    make_code(ann, plan_url)
    ann_code = code_on(page_of(ann, plan_url))
    bea = Therapist(app, BEA)
    token = csrf(bea.client.get("/therapist/").get_data(as_text=True))
    assert bea.client.post(f"{plan_url}/code", data={"csrf_token": token}).status_code == 404
    assert bea.client.get(plan_url).status_code == 404
    assert bea.client.post("/therapist/plans/999/code",
                           data={"csrf_token": token}).status_code == 404
    assert code_on(page_of(ann, plan_url)) == ann_code   # Bea's 404 changed nothing


def test_a_form_without_its_token_makes_no_code(ann, plan_url):
    reply = ann.client.post(f"{plan_url}/code")
    assert reply.status_code == 400
    assert "That form has expired" in reply.get_data(as_text=True)
    page = page_of(ann, plan_url)
    assert NO_CODE in page and code_on(page) is None


def test_signed_out_the_code_cannot_be_made(app, plan_url):
    stranger = app.test_client()
    token = csrf(stranger.get("/therapist/sign-in").get_data(as_text=True))
    reply = stranger.post(f"{plan_url}/code", data={"csrf_token": token})
    assert where(reply) == "/therapist/sign-in"


def test_an_expired_code_is_shown_as_none(clock, ann, plan_url):
    make_code(ann, plan_url)
    clock.now += dt.timedelta(days=15)
    sign_in(ann.client, ANN)   # the session ended long ago too (12 hours)
    page = page_of(ann, plan_url)
    assert NO_CODE in page and code_on(page) is None
    assert ">Make a code</button>" in page and "Works until" not in page


def test_a_code_said_on_a_speaker_is_shown_as_linked(app, clock, ann, plan_url):
    make_code(ann, plan_url)
    code = code_on(page_of(ann, plan_url))
    codes(app, clock).redeem(code, "listener")
    page = page_of(ann, plan_url)
    assert code_on(page) == code and LINKED in page
    assert "No speaker has used it yet." not in page
    clock.now += dt.timedelta(days=15)   # the speaker keeps the plan: so does the page
    sign_in(ann.client, ANN)
    page = page_of(ann, plan_url)
    assert code_on(page) == code and LINKED in page and "Works until" not in page
    assert "asked again whether you may see their progress" in page, "before a new code"


def test_taking_the_plan_off_the_clients_speaker_takes_a_tick(app, clock, ann, plan_url):
    """Found by a newcomer: one click on "Make a new code" took the plan off the client's
    speaker."""
    make_code(ann, plan_url)
    code = code_on(page_of(ann, plan_url))
    codes(app, clock).redeem(code, "listener")
    assert "Take the plan off J. S.'s speaker" in page_of(ann, plan_url)
    make_code(ann, plan_url)
    page = page_of(ann, plan_url)
    assert code_on(page) == code and "The code was not replaced: tick the box" in page
    make_code(ann, plan_url, replace="yes")
    assert code_on(page_of(ann, plan_url)) not in (None, code)


def test_the_code_is_on_no_public_page(app, ann, plan_url):
    make_code(ann, plan_url)
    page = page_of(ann, plan_url)
    code = code_on(page)
    link = re.search(r'id="private-link" href="[^"]*(/p/[^"]+)"', page)[1]
    stranger = app.test_client()
    for public in (link, f"{link}/feed.xml"):
        reply = stranger.get(public)
        assert reply.status_code == 200, public
        text = reply.get_data(as_text=True)
        assert code not in text and f"{code[:3]} {code[3:]}" not in text, public


@pytest.mark.parametrize(("code", "grouped", "spelled", "words", "until"), [
    ("481516", "481 516", "4 8 1 5 1 6", "four eight one five one six", "Monday 21 December"),
    # Leading zeros are said, as "zero" (not "oh"); a code into next year names its year.
    ("048150", "048 150", "0 4 8 1 5 0", "zero four eight one five zero",
     "Monday 4 January 2027"),
])
def test_a_code_is_shown_in_groups_digits_and_words(code, grouped, spelled, words, until):
    now = Clock().now
    expires = now + dt.timedelta(days=14 if until.endswith("December") else 28)
    view = shown(CodeView(code, expires, False), now)
    assert (view.grouped, view.spelled, view.words, view.until) == (grouped, spelled, words,
                                                                    until)
