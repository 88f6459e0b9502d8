"""Issue 14: an Alexa listener's own progress page, through the signed link of the skill's
card (web/listener_progress.py). A week of sessions on two routines of the library and a
plan shows in words, charts (well-formed SVG, titled, their bars the numbers) and tables;
a link shows only its own listener's history, never carries their Alexa id, is "not
here" when altered or not made here, and expired after LINK_DAYS; deleting needs its
tick and its form token and deletes that listener's sessions alone."""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
import time

import pytest
from flask import url_for
from itsdangerous import URLSafeTimedSerializer

from plans.history import History
from plans.models import digest
from web.listener_progress import EXPIRED, LINK_DAYS, SALT, progress_path

from ..served import serving
from .conftest import CHROMIUM, FLAGS, opened
from .test_accessibility import VIEWPORTS, assert_no_violations
from .test_private_plan import PRIVATE
from .test_private_progress import SVG, bar_values, chart, one_sentence, words
from .therapists import Clock, accounts, csrf, therapist_app

VOICE = "person:amzn1.ask.person.X"    # a voice profile on the speaker
OTHER = "user:amzn1.ask.account.Y"     # someone else's account, with no voice profile
BUILD = "0123456789abcdef"
MONDAY = Clock().now                   # Monday 7 December 2026, 9:00 UTC
SUNDAY = MONDAY + dt.timedelta(days=6, hours=2)
HOSTILE = '<script>&"'                 # as a routine's author may write a title
LIBRARY = {
    # tests/served.py's calf care and shoulder knot, trimmed: their steps are what counts.
    "calf-care": """
        title: Calf care
        summary: Loosen tight calves.
        intro: Sit on your mat.
        steps:
          - {title: Calf roll, say: Roll your calf., body_area: calves, work: 15s}
          - rest: 3s
          - {title: Calf press, say: Press gently., body_area: calves, work: 6s}
        outro: Done.
        """,
    "shoulder-knot": """
        title: Shoulder knot
        summary: Ease a knot with the ball against a wall.
        intro: Stand by a wall.
        steps:
          - {title: Ball on the knot, say: Lean into the ball., body_area: shoulders,
             work: 10s}
        outro: Done.
        """,
    "hostile": f"""
        title: '{HOSTILE} knots'
        summary: A title with markup in it.
        intro: Lie down.
        steps:
          - {{title: '{HOSTILE}', say: Breathe slowly., work: 20s}}
          - {{title: Breathe out, say: Breathe out., work: 10s}}
        outro: Done.
        """,
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("listener-library")
    for routine_id, text in LIBRARY.items():
        (folder / f"{routine_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock, library):
    """The real app, its library LIBRARY (none of it built: the page needs only titles)."""
    return therapist_app(tmp_path, CLOCK=clock, LIBRARY_DIR=str(library))


def history(app) -> History:
    return History(accounts(app).store, app.config["CLOCK"])


def played(app, when: dt.datetime, listener: str, routine: str, played_ms: int,
           steps=(), finished: bool = False, pains=()) -> int:
    """A session recorded as the skill records it, started at `when`; its id."""
    app.config["CLOCK"].now = when
    kept = history(app)
    session = kept.start(listener, routine, BUILD)
    kept.heard(session, listener, played_ms, steps)
    for step in pains:
        kept.pain(session, listener, step)
    if finished:
        kept.finish(session, listener)
    return session


def link(app, listener: str = VOICE) -> str:
    return progress_path(app.config["SECRET_KEY"], listener)


def a_week(app) -> None:
    """VOICE's week (and one session three weeks before), read on Sunday at 11:00."""
    day = dt.timedelta(days=1)
    played(app, MONDAY - 17 * day, VOICE, "calf-care", 240_000, {0, 1, 2}, finished=True)
    played(app, MONDAY, VOICE, "calf-care", 125_000, {0, 1, 2}, finished=True)
    played(app, MONDAY + day, VOICE, "shoulder-knot", 60_000, {0}, finished=True)
    # Thursday: the calf roll skipped, and it hurt there.
    played(app, MONDAY + 3 * day, VOICE, "calf-care", 50_000, {1, 2}, finished=True,
           pains=[0])
    # Saturday: their therapist's plan, by voice, left off; a pain outside the steps.
    played(app, MONDAY + 5 * day, VOICE, "plan:4", 30_000, {0}, pains=[None])
    app.config["CLOCK"].now = SUNDAY


def test_a_week_on_two_routines_and_a_plan(app):
    a_week(app)
    reply = app.test_client().get(link(app))
    assert reply.status_code == 200
    assert all(reply.headers[name] == value for name, value in PRIVATE.items())
    page = reply.get_data(as_text=True)
    assert words(page, "sessions-summary") == ("4 sessions in the last 7 days, 5 sessions "
                                               "over the last 8 weeks.")
    assert words(page, "minutes-summary") == ("4 minutes in the last 7 days, 8 minutes over "
                                              "the last 8 weeks.")
    assert words(page, "streak") == ("1 week in a row with at least one session. Your last "
                                     "session was 1 day ago: under a minute, not played to "
                                     "the end.")

    sessions = chart(page, "sessions-chart")
    assert sessions.findtext(f"{SVG}title") == "Sessions a week"
    assert sessions.findtext(f"{SVG}desc") == ("Sessions in each of the last 8 weeks, oldest "
                                               "first: 0, 0, 0, 0, 1, 0, 0, 4.")
    assert sessions.get("aria-labelledby") == "sessions-chart-title sessions-chart-desc"
    assert bar_values(sessions) == [0, 0, 0, 0, 1, 0, 0, 4]
    assert not [t for t in sessions.iter(f"{SVG}text") if "(plan)" in (t.text or "")]
    minutes = chart(page, "minutes-chart")
    assert minutes.findtext(f"{SVG}title") == "Minutes a week"
    assert bar_values(minutes) == [0, 0, 0, 0, 4, 0, 0, 4]
    weeks = rows(page, "weeks")
    assert weeks[4] == ["22 Nov", "1", "4"] and weeks[-1] == ["Today", "4", "4"]

    # Each routine, the one played last first: the plan, calf care, shoulder knot.
    assert headings(page) == ["Your therapist's plan", "Calf care", "Shoulder knot"]
    assert words(page, "routine-1-played") == "1 session, under a minute in all; none " \
                                              "played to the end."
    assert words(page, "routine-1-pains") == "Pain reported: outside the steps (1 time)."
    assert rows(page, "routine-1-steps") == [["Step 1", "1", "0", "0"]]
    assert words(page, "routine-2-played") == "3 sessions, 7 minutes in all; all played " \
                                              "to the end."
    assert words(page, "routine-2-skipped") == "Skipped most often: Calf roll (1 of 3 times)."
    assert words(page, "routine-2-pains") == "Pain reported: Calf roll (1 time)."
    assert rows(page, "routine-2-steps") == [["Calf roll", "2", "1", "1"],
                                             ["Rest", "3", "0", "0"],
                                             ["Calf press", "3", "0", "0"]]
    steps = chart(page, "steps-chart-2")
    assert steps.findtext(f"{SVG}title") == "Calf care: steps done and skipped"
    assert steps.findtext(f"{SVG}desc").startswith(
        "How often each step was done and skipped: Calf roll, 2 done, 1 skipped;")
    # Read from the top (pygal draws a horizontal chart's first bar at the bottom).
    assert bar_values(steps, 0)[::-1] == [2, 3, 3] and bar_values(steps, 1)[::-1] == [1, 0, 0]
    assert words(page, "routine-3-played") == "1 session, 1 minute in all; all played " \
                                              "to the end."
    assert words(page, "routine-3-skipped") == "No step skipped so far."
    assert words(page, "routine-3-pains") == "No pain reported."
    assert 'id="chart-steps-chart-3"' not in page, "one step: its table, not a chart of one bar"
    assert "Delete my history" in page
    assert "amzn1" not in page


def test_a_link_shows_its_own_listeners_history_only(app):
    a_week(app)
    played(app, SUNDAY - dt.timedelta(hours=1), OTHER, "shoulder-knot", 90_000, {0})
    page = app.test_client().get(link(app, OTHER)).get_data(as_text=True)
    assert words(page, "sessions-summary").startswith("1 session in the last 7 days")
    assert headings(page) == ["Shoulder knot"]
    assert words(page, "routine-1-played") == "1 session, 2 minutes in all; none played " \
                                              "to the end."
    mine = app.test_client().get(link(app)).get_data(as_text=True)
    assert words(mine, "sessions-summary").startswith("4 sessions in the last 7 days")


def test_without_history_the_page_says_so_with_no_charts(app):
    played(app, MONDAY, OTHER, "calf-care", 60_000, {0})   # someone else's
    page = app.test_client().get(link(app)).get_data(as_text=True)
    assert "Nothing is recorded yet." in page
    assert "<svg" not in page and "Delete my history" not in page


def test_what_is_kept_can_be_deleted_even_when_too_short_to_show(app):
    played(app, MONDAY, VOICE, "calf-care", 5_000)   # started, stopped at once
    client = app.test_client()
    page = client.get(link(app)).get_data(as_text=True)
    assert "Nothing is recorded yet." not in page and "Delete my history" in page
    deleted = client.post(f"{link(app)}/delete",
                          data={"confirm": "yes", "csrf_token": csrf(page)})
    assert deleted.status_code == 303 and history(app).sessions(VOICE) == []


def test_the_link_carries_a_digest_not_the_alexa_id():
    for listener in (VOICE, OTHER):   # made with no app about, as the skill makes it
        path = progress_path("a secret key", listener)
        token = path.removeprefix("/progress/")
        assert path.startswith("/progress/") and "/" not in token
        assert listener not in path and "amzn1" not in path and digest(listener) not in path
        assert URLSafeTimedSerializer("a secret key", salt=SALT).loads(token) \
            == digest(listener)
    assert progress_path(b"a secret key", VOICE).removeprefix("/progress/").split(".")[0] \
        == progress_path("a secret key", VOICE).removeprefix("/progress/").split(".")[0]


def test_the_link_is_the_pages_own_address(app):
    path = link(app)
    with app.test_request_context():
        assert url_for("listener_progress.page", token=path.rsplit("/", 1)[1]) == path


def not_made_here(app) -> dict[str, str]:
    """Tokens that open nothing, by how they came about."""
    key = app.config["SECRET_KEY"]
    mine, theirs = link(app).rsplit("/", 1)[1], link(app, OTHER).rsplit("/", 1)[1]
    return {
        "mistyped": "x" * 43,
        "cut short": mine[:-5],
        # payload.time.signature (the payload compressed: .payload.time.signature)
        "their payload, my signature": ".".join([theirs.rsplit(".", 2)[0],
                                                 *mine.rsplit(".", 2)[1:]]),
        "another key": progress_path("not the app's key", VOICE).rsplit("/", 1)[1],
        "another salt": URLSafeTimedSerializer(key, salt="matcoach.other").dumps(digest(VOICE)),
        "not a digest": URLSafeTimedSerializer(key, salt=SALT).dumps(VOICE),
    }


def test_a_link_not_made_here_is_not_here(app):
    a_week(app)
    client = app.test_client()
    page = client.get(link(app)).get_data(as_text=True)
    for how, token in not_made_here(app).items():
        reply = client.get(f"/progress/{token}")
        assert reply.status_code == 404, how
        assert "This page is not here" in reply.get_data(as_text=True), how
        assert all(reply.headers[name] == value for name, value in PRIVATE.items()), how
        deleted = client.post(f"/progress/{token}/delete",
                              data={"confirm": "yes", "csrf_token": csrf(page)})
        assert deleted.status_code == 404, how
    assert len(history(app).sessions(VOICE)) == 5


def made_days_ago(app, monkeypatch, days: float) -> str:
    """VOICE's link as the skill made it `days` ago (itsdangerous reads time.time)."""
    then = time.time() - days * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: then)
        return link(app)


def test_a_link_older_than_thirty_days_has_expired(app, monkeypatch):
    a_week(app)
    client = app.test_client()
    recent = client.get(made_days_ago(app, monkeypatch, LINK_DAYS - 1))
    assert recent.status_code == 200 and "4 sessions" in recent.get_data(as_text=True)
    old = made_days_ago(app, monkeypatch, LINK_DAYS + 1)
    reply = client.get(old)
    assert reply.status_code == 410
    assert EXPIRED in reply.get_data(as_text=True) and one_sentence(EXPIRED)
    assert all(reply.headers[name] == value for name, value in PRIVATE.items())
    token = csrf(recent.get_data(as_text=True))
    deleted = client.post(f"{old}/delete", data={"confirm": "yes", "csrf_token": token})
    assert deleted.status_code == 410 and len(history(app).sessions(VOICE)) == 5


def test_deleting_needs_the_tick_and_the_form_token_and_is_theirs_alone(app):
    a_week(app)
    theirs = played(app, SUNDAY, OTHER, "calf-care", 60_000, {0})
    plans_page = played(app, SUNDAY, "link:a-plan-token", "plan:4", 60_000, {0})
    client = app.test_client()
    path = link(app)
    page = client.get(path).get_data(as_text=True)
    untick = client.post(f"{path}/delete", data={"csrf_token": csrf(page)})
    assert untick.status_code == 400 and "Nothing was deleted" in untick.get_data(as_text=True)
    unsigned = client.post(f"{path}/delete", data={"confirm": "yes"})
    assert unsigned.status_code == 400
    assert "That form has expired" in unsigned.get_data(as_text=True)
    assert unsigned.headers["Cache-Control"] == "no-store"
    assert len(history(app).sessions(VOICE)) == 5
    deleted = client.post(f"{path}/delete", data={"confirm": "yes", "csrf_token": csrf(page)})
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith(path)
    assert all(deleted.headers[name] == value for name, value in PRIVATE.items())
    assert history(app).sessions(VOICE) == []
    assert [s.id for s in history(app).sessions(OTHER)] == [theirs]
    assert [s.id for s in history(app).sessions("link:a-plan-token")] == [plans_page]
    after = client.get(deleted.headers["Location"]).get_data(as_text=True)
    assert "Your history is deleted: 5 sessions." in after and "Nothing is recorded yet." in after


def test_titles_are_text_and_routines_it_cannot_name_are_said_so(app):
    played(app, MONDAY, VOICE, "hostile", 20_000, {0}, finished=True, pains=[0])
    played(app, MONDAY, VOICE, "plan:9", 20_000, {0})
    played(app, MONDAY, VOICE, "plan:4", 20_000, {0})
    played(app, MONDAY, VOICE, "since-removed", 20_000, {1})
    page = app.test_client().get(link(app)).get_data(as_text=True)
    assert HOSTILE not in page
    assert headings(page) == ["A routine no longer in the library", "Your therapist's plan",
                              "Your therapist's plan (2)", f"{HOSTILE} knots"]
    assert '<h3 id="routine-4">&lt;script&gt;&amp;&#34; knots</h3>' in page
    assert words(page, "routine-1-skipped") == "Skipped most often: Step 1 (1 of 1 times)."
    assert words(page, "routine-4-pains") == "Pain reported: &lt;script&gt;&amp;&#34; (1 time)."
    steps = chart(page, "steps-chart-4")
    assert steps.findtext(f"{SVG}title") == f"{HOSTILE} knots: steps done and skipped"
    assert HOSTILE in {t.text for t in steps.iter(f"{SVG}text")}, "the title, as text"
    assert rows(page, "routine-4-steps") == [["&lt;script&gt;&amp;&#34;", "1", "0", "1"],
                                             ["Breathe out", "0", "1", "0"]]


def test_history_by_digest_is_the_owners(app):
    mine = played(app, MONDAY, VOICE, "calf-care", 60_000, {0})
    played(app, MONDAY, OTHER, "calf-care", 60_000, {0})
    kept = history(app)
    assert [s.id for s in kept.of_listener(digest(VOICE))] == [mine]
    assert kept.of_listener(digest(VOICE), since=MONDAY + dt.timedelta(seconds=1)) == []
    assert kept.forget_listener(VOICE) == 0, "a digest, not the id it was made from"
    assert kept.forget_listener(digest(VOICE)) == 1
    assert kept.sessions(VOICE) == [] and len(kept.sessions(OTHER)) == 1


# --- On a phone and a desktop, in a real Chromium ---


@pytest.fixture(scope="module")
def chromium(driver):
    """Chromium alone: the page needs no built tracks (the `browser` fixture's server
    builds the test library's)."""
    launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
    yield launched
    launched.close()


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_the_page_is_accessible_and_fits_a_phone(app, chromium, screen):
    a_week(app)
    played(app, SUNDAY, VOICE, "hostile", 20_000, {0}, pains=[0])
    with serving(app) as address, opened(chromium, address, VIEWPORTS[screen]) as page:
        page.goto(link(app))
        assert page.inner_text("h1") == "Your progress"
        assert_no_violations(page, f"a listener's progress page ({screen})")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), \
            "the page scrolls sideways"


# --- Reading the page ---


def headings(page: str) -> list[str]:
    """The routines' headings, in order, as read (unescaped)."""
    return [html.unescape(text) for text in re.findall(r'<h3 id="routine-\d+">(.*?)</h3>', page)]


def rows(page: str, table_id: str) -> list[list[str]]:
    """A table's body rows, cell by cell (as written: escaped)."""
    body = re.search(rf'<table[^>]*id="{table_id}".*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, f"no table #{table_id} on the page"
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]
