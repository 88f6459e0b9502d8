"""Issue 14: a plan's progress for its client, under its private link. The page's player
reports what was played (a week of it here, through the real endpoint with the app's
clock moved on: start, pause, resume, a seek ahead, finish, abandon), the page shows it
against the plan in words, charts and tables (the charts well-formed SVG, titled, their
bars the numbers), bad reports are refused in one sentence, never a 5xx, and deleting
the history needs its tick and its form token, and the client's own browser."""

from __future__ import annotations

import datetime as dt
import json
import re
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.history import MOST_STEPS, History
from web.charts import bars

from ..fuzzing import fuzz_settings, mutated_data
from .test_plan_editor import Therapist
from .test_private_plan import PRIVATE
from .therapists import Clock, accounts, csrf, plan_builds, therapist_app

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>&"'   # a step title as a therapist may write it
PLAN = {"title": "Calves, for J. S.", "intro": "Sit on your mat.", "outro": "Done.", "steps": [
    {"title": "Calf press", "say": "Press gently.", "body_area": "calves", "work": "4s",
     "lead_in": "1s"},
    {"title": HOSTILE, "say": "Roll slowly.", "body_area": "calves", "work": "3s",
     "lead_in": "1s", "sides": "both", "switch": "5s"},
    {"title": "Ankle circles", "say": "Circle your ankles.", "body_area": "calves",
     "work": "4s", "lead_in": "1s"}]}
UNTIL = dt.date(2027, 1, 14)
SCHEDULE = {"times_per_week": "3", "until": UNTIL.isoformat(), "note": ""}
VOICE = "person:amzn1.ask.person.JS"   # the client, on their speaker


def built_plan(app, piper, encoder, cache_dir,
               email: str = "ann@example.com") -> tuple[int, str]:
    """PLAN saved by a therapist and built: its id and private token."""
    therapist = Therapist(app, email)
    url = therapist.save(routine=PLAN, schedule=SCHEDULE).get_json()["url"]
    plan_id = int(url.rsplit("/", 1)[1])
    plan_builds(app, piper, encoder, cache_dir).step()
    store = accounts(app).store
    return plan_id, store.plan(store.therapist_by_email(email), plan_id).token


class Player:
    """The private page's player as progress.js drives it: JSON with the page's token."""

    def __init__(self, app, token: str) -> None:
        self.client = app.test_client()
        page = self.client.get(f"/p/{token}").get_data(as_text=True)
        found = re.search(r'<script type="application/json" id="progress-pings">(.*?)</script>',
                          page, re.S)
        assert found, "the page gives its player nothing to report with"
        self.data = json.loads(found.group(1))

    def send(self, body=None, raw: str | None = None, url: str | None = None, **headers):
        return self.client.post(url or self.data["url"],
                                data=raw if raw is not None else json.dumps(body),
                                headers={"Content-Type": "application/json",
                                         "X-CSRFToken": self.data["csrf"], **headers})

    def start(self) -> int:
        reply = self.send({"build": self.data["build"]})
        assert reply.status_code == 201, reply.get_json()
        return reply.get_json()["session"]

    def heard(self, session: int, played_ms: int, steps=(), finished: bool = False):
        reply = self.send({"session": session, "played_ms": played_ms, "steps": list(steps),
                           "finished": finished})
        assert reply.status_code == 200, reply.get_json()
        return reply


@pytest.fixture
def clock() -> Clock:
    return Clock()   # Monday 7 December 2026, 9:00 UTC


@pytest.fixture
def app(tmp_path, clock):
    return therapist_app(tmp_path, CLOCK=clock)


@pytest.fixture
def plan(app, piper, encoder, cache_dir) -> tuple[int, str]:
    return built_plan(app, piper, encoder, cache_dir)


def history(app) -> History:
    return History(accounts(app).store, app.config["CLOCK"])


def chart(page: str, chart_id: str) -> ET.Element:
    """The chart's SVG, parsed (it must be well-formed XML)."""
    start = page.index(f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{chart_id}"')
    return ET.fromstring(page[start:page.index("</svg>", start) + len("</svg>")])


def bar_values(svg: ET.Element, series: int = 0) -> list[int]:
    """The numbers of a series' bars, as drawn (pygal notes each bar's value in a desc)."""
    group = next(g for g in svg.iter(f"{SVG}g")
                 if f"serie-{series}" in g.get("class", "") and g.find(f"{SVG}g") is not None
                 and g.find(f"{SVG}g").get("class") == "bars")
    return [int(bar.find(f"{SVG}desc[@class='value']").text)
            for bar in group.iter(f"{SVG}g") if bar.get("class") == "bar"]


def words(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', page, re.S)
    assert found, f"no #{element_id} on the page"
    return " ".join(found.group(1).split())


def test_a_week_of_sessions_on_the_page_and_by_voice(app, clock, plan):
    plan_id, token = plan
    player = Player(app, token)
    assert player.data["build"] and [step for step, _ in player.data["ends"]] == [0, 1, 1, 2]
    # Monday: played through, with a pause, and a report that arrived late (older: it
    # takes nothing away).
    monday = player.start()
    player.heard(monday, 20_000, [0])                         # paused
    clock.now += dt.timedelta(minutes=5)
    player.heard(monday, 50_000, [0, 1])                      # every 30 s, resumed
    player.heard(monday, 40_000, [0])                         # a report sent late
    player.heard(monday, 65_000, [0, 1, 2], finished=True)    # ended
    # Wednesday: the second step skipped (a seek ahead counts neither its time nor it).
    clock.now += dt.timedelta(days=2)
    wednesday = player.start()
    player.heard(wednesday, 15_000, [0])                      # seeking
    player.heard(wednesday, 30_000, [0, 2], finished=True)
    # Thursday, by voice, with a pain report at the second step.
    clock.now += dt.timedelta(days=1)
    voice = history(app).start(VOICE, f"plan:{plan_id}", player.data["build"], plan_id=plan_id)
    history(app).heard(voice, VOICE, 45_000, {0})
    history(app).pain(voice, VOICE, 1)
    # Saturday: started, then abandoned (the page closed after a few seconds).
    clock.now += dt.timedelta(days=2)
    saturday = player.start()
    player.heard(saturday, 8_000)
    clock.now += dt.timedelta(days=1, hours=2)   # Sunday, 11:05

    stored = {s.id: s for s in history(app).of_plan(plan_id)}
    assert list(stored) == [saturday, voice, wednesday, monday]   # newest first
    assert (stored[monday].played_ms, stored[monday].steps_done, stored[monday].finished) \
        == (65_000, {0, 1, 2}, True)
    assert (stored[wednesday].played_ms, stored[wednesday].steps_done) == (30_000, {0, 2})
    assert stored[wednesday].finished and stored[wednesday].build == player.data["build"]
    assert (stored[saturday].played_ms, stored[saturday].finished) == (8_000, False)
    assert stored[voice].pain_steps == (1,)
    assert {s.routine for s in stored.values()} == {f"plan:{plan_id}"}

    reply = app.test_client().get(f"/p/{token}/progress")
    assert reply.status_code == 200
    assert all(reply.headers[name] == value for name, value in PRIVATE.items())
    page = reply.get_data(as_text=True)
    # Saturday's start, abandoned after 8 seconds with no step done, is no session.
    assert words(page, "sessions-summary") == ("3 sessions in the last 7 days; the plan asks "
                                               "for 3 a week until 14 January 2027: on track.")
    assert words(page, "minutes-summary") == ("2 minutes in the last 7 days, 2 minutes over "
                                              "the last 8 weeks.")
    assert "1 week in a row with the 3 sessions your plan asks for." in words(page, "streak")
    assert "Your last session was 3 days ago: under a minute, not played to the end." \
        in words(page, "streak")
    assert words(page, "skipped-summary") == \
        "Skipped most often: &lt;script&gt;&amp;&#34; (1 of 2 times)."
    assert words(page, "pains-summary") == "Pain reported: &lt;script&gt;&amp;&#34; (1 time)."
    assert HOSTILE not in page

    sessions = chart(page, "sessions-chart")
    assert sessions.findtext(f"{SVG}title") == "Sessions a week"
    assert sessions.findtext(f"{SVG}desc").startswith(
        "Sessions in each of the last 8 weeks, oldest first: 0, 0, 0, 0, 0, 0, 0, 3")
    assert sessions.get("role") == "img"
    assert sessions.get("aria-labelledby") == "sessions-chart-title sessions-chart-desc"
    assert bar_values(sessions) == [0, 0, 0, 0, 0, 0, 0, 3]
    target = [t.text for t in sessions.iter(f"{SVG}text") if t.get("class") == "major"]
    assert target == ["3 (plan)"], "the plan's 3 a week is marked"
    assert bar_values(chart(page, "minutes-chart")) == [0, 0, 0, 0, 0, 0, 0, 2]
    steps = chart(page, "steps-chart")
    # Read from the top: Calf press, the hostile title, Ankle circles (pygal lists upwards).
    assert bar_values(steps, 0)[::-1] == [3, 1, 2] and bar_values(steps, 1)[::-1] == [0, 1, 0]
    assert HOSTILE in {t.text for t in steps.iter(f"{SVG}text")}, "the title, as text"


def test_without_history_the_page_says_so_with_no_charts(app, plan):
    _, token = plan
    page = app.test_client().get(f"/p/{token}/progress").get_data(as_text=True)
    assert "Nothing is recorded yet." in page
    assert "<svg" not in page and "Delete my history" not in page
    plan_page = app.test_client().get(f"/p/{token}").get_data(as_text=True)
    assert f'href="/p/{token}/progress"' in plan_page, "the plan's page links to it"


def test_a_plan_with_no_number_a_week_has_no_target(app, clock, piper, encoder, cache_dir):
    ann = Therapist(app, "ann@example.com")
    url = ann.save(routine=PLAN, schedule={"times_per_week": "", "until": "", "note": ""})
    plan_id = int(url.get_json()["url"].rsplit("/", 1)[1])
    plan_builds(app, piper, encoder, cache_dir).step()
    token = accounts(app).store.plan(accounts(app).store.therapist_by_email(
        "ann@example.com"), plan_id).token
    player = Player(app, token)
    player.heard(player.start(), 30_000, [0])
    page = app.test_client().get(f"/p/{token}/progress").get_data(as_text=True)
    assert words(page, "sessions-summary") == "1 session in the last 7 days."
    assert "with at least one session" in words(page, "streak")
    sessions = chart(page, "sessions-chart")
    assert not [t for t in sessions.iter(f"{SVG}text") if "(plan)" in (t.text or "")]


# --- Reports refused: one sentence and a 4xx, nothing stored -------------------------


@pytest.fixture(scope="module")
def shared(tmp_path_factory, piper, encoder, cache_dir):
    """One built plan for the refusals (they change nothing)."""
    app = therapist_app(tmp_path_factory.mktemp("refusals"), CLOCK=Clock())
    plan_id, token = built_plan(app, piper, encoder, cache_dir)
    return app, plan_id, token


def good(session: int) -> dict:
    return {"session": session, "played_ms": 1000, "steps": [0], "finished": False}


BAD_REPORTS = [
    # (what is sent, given the session's id; the field named)
    (lambda s: {**good(s), "played_ms": "1000"}, "played_ms"),
    (lambda s: {**good(s), "played_ms": 1000.0}, "played_ms"),
    (lambda s: {**good(s), "played_ms": True}, "played_ms"),
    (lambda s: {**good(s), "played_ms": -1}, "played_ms"),
    (lambda s: {**good(s), "played_ms": 10**30}, "played_ms"),
    (lambda s: {k: v for k, v in good(s).items() if k != "played_ms"}, "played_ms"),
    (lambda s: {**good(s), "session": str(s)}, "session"),
    (lambda s: {**good(s), "session": -s}, "session"),
    (lambda s: {k: v for k, v in good(s).items() if k != "session"}, "session"),
    (lambda s: {**good(s), "steps": "0,1"}, "steps"),
    (lambda s: {**good(s), "steps": ["0"]}, "steps"),
    (lambda s: {**good(s), "steps": [[0]]}, "steps"),
    (lambda s: {**good(s), "steps": [True]}, "steps"),
    (lambda s: {**good(s), "steps": [-1]}, "steps"),
    (lambda s: {**good(s), "steps": [MOST_STEPS]}, "steps"),
    (lambda s: {**good(s), "steps": list(range(MOST_STEPS + 1))}, "steps"),
    # Found by a hostile tester: a day heard, every step done, for a plan of a minute.
    (lambda s: {**good(s), "played_ms": 86_400_000}, "played_ms"),
    (lambda s: {**good(s), "steps": list(range(20))}, "steps"),
    (lambda s: {**good(s), "finished": "yes"}, "finished"),
    (lambda s: {**good(s), "where": "<b>x</b>"}, "where"),
    (lambda s: {"build": "not a build"}, "build"),
    (lambda s: {"build": "0123456789abcdef"}, "build"),   # well-formed, not this plan's
    (lambda s: {"build": 5}, "build"),
    (lambda s: {"build": "0123456789abcdef", "session": s}, "session"),
]


@pytest.mark.parametrize(("report", "field"), BAD_REPORTS)
def test_a_bad_report_is_refused_naming_its_field(shared, report, field):
    app, plan_id, token = shared
    player = Player(app, token)
    session = player.start()
    reply = player.send(report(session))
    assert reply.status_code == 400
    said = reply.get_json()
    assert said["field"] == field and one_sentence(said["error"])
    assert all(reply.headers[name] == value for name, value in PRIVATE.items())
    (stored,) = [s for s in history(app).of_plan(plan_id) if s.id == session]
    assert (stored.played_ms, stored.steps_done, stored.finished) == (0, set(), False)


@pytest.mark.parametrize(("raw", "status"), [
    ("played_ms=1000", 400), ("[1, 2]", 400), ('"a report"', 400), ("", 400), ("null", 400),
    ('{"session": 1, "played_ms": NaN}', 400), ('{"session": 1, "played_ms": Infinity}', 400),
    ("\xff\xfe{", 400), ("[" * 2000 + "]" * 2000, 400),
    (json.dumps({"session": 1, "played_ms": 1, "steps": [0] * 3000}), 413)])
def test_what_is_not_a_small_json_object_is_refused(shared, raw, status):
    app, _, token = shared
    reply = Player(app, token).send(raw=raw)
    assert reply.status_code == status and one_sentence(reply.get_json()["error"])


@fuzz_settings(120)
@given(data=st.data())
def test_any_mutated_report_is_answered_or_refused_never_a_5xx(shared, data):
    app, _, token = shared
    player = Player(app, token)
    base = data.draw(st.sampled_from([{"build": player.data["build"]}, good(1)]))
    reply = player.send(data.draw(mutated_data(base)))
    assert reply.status_code in (200, 201, 400, 404, 413), reply.get_data(as_text=True)
    if reply.status_code >= 400:
        assert one_sentence(reply.get_json()["error"])


def test_another_links_or_the_voices_session_is_not_found(shared, piper, encoder, cache_dir):
    app, plan_id, token = shared
    _, other_token = built_plan(app, piper, encoder, cache_dir, "bea@example.com")
    elsewhere = Player(app, other_token).start()
    voice = history(app).start(VOICE, f"plan:{plan_id}", "0123456789abcdef", plan_id=plan_id)
    player = Player(app, token)
    for session in (elsewhere, voice, 10**12, 2**63):
        reply = player.send(good(session))
        assert reply.status_code == 404 and reply.get_json()["field"] == "session"
        assert one_sentence(reply.get_json()["error"])
    assert history(app).of_plan(plan_id, None)[0].played_ms == 0
    assert [s.played_ms for s in history(app).sessions(f"link:{other_token}")] == [0]


def test_an_unknown_link_or_a_missing_form_token_is_refused(shared):
    app, plan_id, token = shared
    player = Player(app, token)
    unknown = player.send({"build": player.data["build"]}, url=f"/p/{'x' * 43}/progress")
    assert unknown.status_code == 404 and one_sentence(unknown.get_json()["error"])
    assert unknown.headers["Cache-Control"] == "no-store"
    before = len(history(app).of_plan(plan_id))
    unsigned = player.send({"build": player.data["build"]}, **{"X-CSRFToken": "stale"})
    assert unsigned.status_code == 400 and unsigned.get_json()["error"] == "form-expired"
    assert one_sentence(unsigned.get_json()["message"])
    fresh = player.client.get(player.data["fresh"]).get_json()["token"]
    again = player.send({"build": player.data["build"]}, **{"X-CSRFToken": fresh})
    assert again.status_code == 201
    assert len(history(app).of_plan(plan_id)) == before + 1


def test_what_a_signed_in_therapist_plays_is_not_their_clients(app, plan):
    plan_id, token = plan
    therapist = Therapist(app, "bea@example.com")   # any, signed in on this browser
    page = therapist.client.get(f"/p/{token}").get_data(as_text=True)
    assert 'id="progress-pings"' not in page and "progress.js" not in page
    player = Player(app, token)
    reply = therapist.client.post(player.data["url"], json={"build": player.data["build"]},
                            headers={"X-CSRFToken": therapist.token})
    assert reply.status_code == 403 and one_sentence(reply.get_json()["error"])
    assert history(app).of_plan(plan_id) == []


def one_sentence(text: str) -> bool:
    return text.endswith(".") and ". " not in text.rstrip(".") and len(text) < 200


# --- Deleting the history -------------------------------------------------------------


def test_deleting_the_history_needs_the_tick_and_the_form_token(app, plan):
    plan_id, token = plan
    player = Player(app, token)
    player.heard(player.start(), 30_000, [0])
    player.heard(player.start(), 10_000)
    other = history(app).start(VOICE, "calf-care", "0123456789abcdef")   # not of the plan
    client = player.client
    page = client.get(f"/p/{token}/progress").get_data(as_text=True)
    assert "Delete my history" in page
    untick = client.post(f"/p/{token}/progress/delete", data={"csrf_token": csrf(page)})
    assert untick.status_code == 400 and "Nothing was deleted" in untick.get_data(as_text=True)
    unsigned = client.post(f"/p/{token}/progress/delete", data={"confirm": "yes"})
    assert unsigned.status_code == 400 and len(history(app).of_plan(plan_id)) == 2
    deleted = client.post(f"/p/{token}/progress/delete",
                          data={"confirm": "yes", "csrf_token": csrf(page)})
    assert deleted.status_code == 303
    assert deleted.headers["Location"].endswith(f"/p/{token}/progress")
    assert history(app).of_plan(plan_id) == []
    assert [s.id for s in history(app).sessions(VOICE)] == [other]
    page = client.get(deleted.headers["Location"]).get_data(as_text=True)
    assert "Your history is deleted: 2 sessions." in page and "Nothing is recorded yet." in page


def test_the_therapist_neither_deletes_nor_sees_it_without_consent(app, plan):
    plan_id, token = plan
    player = Player(app, token)
    player.heard(player.start(), 30_000, [0])
    therapist = Therapist(app, "bea@example.com")   # any, signed in on this browser
    hidden = therapist.client.get(f"/p/{token}/progress")
    assert hidden.status_code == 403 and "theirs to say" in hidden.get_data(as_text=True)
    refused = therapist.client.post(f"/p/{token}/progress/delete",
                              data={"confirm": "yes", "csrf_token": therapist.token})
    assert refused.status_code == 403 and len(history(app).of_plan(plan_id)) == 1
    page = player.client.get(f"/p/{token}").get_data(as_text=True)
    player.client.post(f"/p/{token}/progress-sharing",
                       data={"share": "yes", "csrf_token": csrf(page)})
    shared = therapist.client.get(f"/p/{token}/progress").get_data(as_text=True)
    assert "1 session in the last 7 days" in shared and "Delete my history" not in shared


def test_an_unknown_link_has_no_progress_page(app):
    client = app.test_client()
    gone = client.get(f"/p/{'x' * 43}/progress")
    assert gone.status_code == 404 and "This plan is not here" in gone.get_data(as_text=True)
    token = csrf(client.get("/therapist/sign-in").get_data(as_text=True))
    deleted = client.post(f"/p/{'x' * 43}/progress/delete",
                          data={"confirm": "yes", "csrf_token": token})
    assert deleted.status_code == 404 and deleted.headers["Cache-Control"] == "no-store"


# --- The charts themselves -------------------------------------------------------------


def test_a_chart_is_the_same_for_the_same_numbers_and_fetches_nothing():
    drawn = [bars("c", "Title & <more>", 'Said "so" <b>', ["1 Dec", HOSTILE],
                  {"Done": [1, 2], "Skipped": [0, 3]}, target=2) for _ in range(2)]
    assert drawn[0] == drawn[1]
    svg = ET.fromstring(str(drawn[0]))
    assert svg.findtext(f"{SVG}title") == "Title & <more>"
    assert svg.findtext(f"{SVG}desc") == 'Said "so" <b>'
    assert not list(svg.iter(f"{SVG}script")) and "href" not in str(drawn[0])
    assert "<!--" not in str(drawn[0]) and "stylesheet" not in str(drawn[0])
    assert HOSTILE in {t.text for t in svg.iter(f"{SVG}text")}
