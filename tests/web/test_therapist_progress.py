"""Issue 14, for the therapist: a client's sessions of a plan at a glance on the client's
page (against the plan, the last session, minutes, steps skipped, pain reports by step) and
as CSV, only with the client's consent, only of the therapist's own plan, from a week of
sessions recorded by History on the app's clock."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import yaml

from plans.consent import Consent
from plans.history import History
from web.therapist.progress import inert

from ..served import serving
from .conftest import opened
from .test_accessibility import VIEWPORTS, assert_no_violations
from .test_plan_editor import ANN, BEA, Therapist
from .therapists import PASSWORD, Clock, accounts, add_therapist, sign_in, therapist_app, where

STEP = {"equipment": "chair", "body_area": "shoulders", "position": "sitting", "work": "30s",
        "say": "Sit tall and draw your shoulder blades gently together."}
HOSTILE = '=HYPERLINK("x")'   # a title a spreadsheet would run as a formula
ROUTINE = {"title": "Right shoulder", "level": "gentle", "steps": [
    {**STEP, "title": "Neck glide"}, {**STEP, "title": HOSTILE},
    {**STEP, "title": "Shoulder squeeze"}]}
NOW = Clock().now                    # 9:00 UTC on Monday 7 December 2026
UNTIL = NOW.date() + dt.timedelta(days=30)
SCHEDULE = {"times_per_week": "3", "until": UNTIL.isoformat(), "note": ""}
NOT_ASKED = "J. S. has not been asked yet whether you may see their sessions of this plan"
REFUSED = "J. S. chose to keep their sessions of this plan to themselves"
REFUSED_CSV = {None: "J. S. has not yet been asked whether to share their sessions of this plan",
               False: "J. S. does not share their sessions of this plan"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return therapist_app(tmp_path, CLOCK=clock)


@pytest.fixture
def ann(app) -> Therapist:
    return Therapist(app, ANN)


def new_plan(who: Therapist, routine=ROUTINE, schedule=SCHEDULE) -> int:
    reply = who.save(routine, schedule)
    assert reply.status_code == 201, reply.get_json()
    return int(reply.get_json()["url"].rsplit("/", 1)[1])


@pytest.fixture
def plan_id(ann) -> int:
    return new_plan(ann)


def share(app, clock, plan_id: int, shared: bool = True) -> None:
    """The client's answer, as their plan's page records it."""
    Consent(accounts(app).store, clock).answer(plan_id, shared, "on the private page")


def play(app, clock, days_ago: float, plan_id: int | None, minutes: float,
         steps: set[int], finished: bool, pains: tuple[int | None, ...] = ()) -> None:
    """A session started `days_ago` before NOW, reported as the player reports it."""
    clock.now = NOW - dt.timedelta(days=days_ago)
    history = History(accounts(app).store, clock)
    owner = "link:the-plan's-private-link"
    routine = f"plan:{plan_id}" if plan_id else "hip-release"
    session = history.start(owner, routine, "b1", plan_id=plan_id)
    clock.now += dt.timedelta(minutes=minutes)
    history.heard(session, owner, played_ms=round(minutes * 60_000), steps=steps)
    for step in pains:
        history.pain(session, owner, step)
    if finished:
        history.finish(session, owner)
    clock.now = NOW


@pytest.fixture
def week(app, clock, plan_id) -> None:
    """Two sessions in the last seven days (the plan asks three), one the week before,
    and one of a library routine that is none of the therapist's business."""
    play(app, clock, 9, plan_id, 2, {0}, False, pains=(None,))        # abandoned
    play(app, clock, 5, plan_id, 10, {0, 1, 2}, True, pains=(2,))     # all of it
    play(app, clock, 2, plan_id, 7, {0, 2}, True, pains=(2,))         # step 2 skipped
    play(app, clock, 1, None, 30, {0, 1, 2, 3}, True, pains=(3,))     # not the plan's


def client_page(who: Therapist) -> str:
    reply = who.client.get(f"/therapist/clients/{who.client_id}")
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def rows_of(reply) -> list[list[str]]:
    return list(csv.reader(io.StringIO(reply.get_data().decode("utf-8-sig"))))


def test_a_week_of_sessions_shows_on_the_clients_page(app, clock, ann, plan_id, week):
    share(app, clock, plan_id)
    page = client_page(ann)
    assert "2 of 3 sessions in the last 7 days: 1 to go." in page
    assert (f'Last session: <time datetime="{NOW - dt.timedelta(days=2):%Y-%m-%dT%H:%M:%S}'
            '+00:00">Saturday 5 December</time>, 2 days ago.') in page
    assert "17 minutes in the last 7 days; 19 minutes in 3 sessions in all, 2 played to the end." \
        in page
    # The pain reports, the most first, stand out; the library routine's is not there.
    pains = page.split('<div class="pain-reports">', 1)[1].split("</div>", 1)[0]
    assert "<li><strong>Shoulder squeeze</strong>: 2 times</li>" in pains
    assert "<li><strong>Outside the steps</strong>: 1 time</li>" in pains
    assert "Step 4" not in page and "30 minutes" not in page
    assert "=HYPERLINK(&#34;x&#34;): skipped 1 of 2 times" in page   # escaped, as every title
    assert ('<th scope="row"><time datetime="2026-12-07T09:00:00+00:00">30 Nov – 7 Dec</time>'
            '</th><td>2 of 3</td><td>17</td>') in page
    assert '<td>1 of 3</td><td>2</td>' in page
    assert f'href="/therapist/plans/{plan_id}/progress.csv"' in page


def test_the_plan_page_links_to_them_once_shared(app, clock, ann, plan_id):
    csv_link = f"/therapist/plans/{plan_id}/progress.csv"
    assert csv_link not in ann.client.get(f"/therapist/plans/{plan_id}").get_data(as_text=True)
    share(app, clock, plan_id)
    page = ann.client.get(f"/therapist/plans/{plan_id}").get_data(as_text=True)
    assert csv_link in page
    assert f'href="/therapist/clients/{ann.client_id}#progress-{plan_id}"' in page


def test_a_client_yet_to_play_is_said_to_have_no_sessions(app, clock, ann, plan_id):
    share(app, clock, plan_id)
    page = client_page(ann)
    assert "0 of 3 sessions in the last 7 days: 3 to go." in page and "No sessions yet." in page


@pytest.mark.parametrize(("shared", "says"), [(None, NOT_ASKED), (False, REFUSED)])
def test_without_consent_no_number_is_shown_or_downloaded(app, clock, ann, plan_id, week,
                                                          shared, says):
    if shared is not None:
        share(app, clock, plan_id, shared)
    page = client_page(ann)
    assert says in page
    assert "in the last 7 days" not in page and "Shoulder squeeze" not in page
    assert "progress.csv" not in page and "Pain reported" not in page
    refused = ann.client.get(f"/therapist/plans/{plan_id}/progress.csv")
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    text = refused.get_data(as_text=True)
    assert REFUSED_CSV[shared] in text and "2026-12" not in text
    assert "downloaded as CSV" not in ann.client.get("/therapist/activity").get_data(as_text=True)


def test_a_withdrawn_consent_hides_them_again(app, clock, ann, plan_id, week):
    share(app, clock, plan_id)
    assert "in the last 7 days" in client_page(ann)
    share(app, clock, plan_id, False)
    assert REFUSED in client_page(ann) and "in the last 7 days" not in client_page(ann)
    assert ann.client.get(f"/therapist/plans/{plan_id}/progress.csv").status_code == 403


def test_only_the_shared_plan_shows_its_numbers(app, clock, ann, plan_id, week):
    other = new_plan(ann, {**ROUTINE, "title": "Left hip"})
    play(app, clock, 1, other, 12, {0}, False, pains=(0,))
    share(app, clock, plan_id)
    page = client_page(ann)
    assert page.count("in the last 7 days") == 2   # the adherence and the minutes, once
    mine, theirs = page.split(f'id="progress-{other}"', 1)
    assert "2 of 3 sessions" in mine and NOT_ASKED in theirs and "Neck glide" not in theirs


def test_the_csv_has_a_row_per_session_with_formulas_made_inert(app, clock, ann, plan_id,
                                                                week):
    share(app, clock, plan_id)
    reply = ann.client.get(f"/therapist/plans/{plan_id}/progress.csv")
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["Content-Disposition"] == \
        f'attachment; filename="progress-plan-{plan_id}-2026-12-07.csv"'
    assert rows_of(reply) == [
        ["started (UTC)", "minutes played", "finished", "steps done", "steps skipped",
         "pain reports"],
        ["2026-11-28T09:00:00Z", "2.0", "no", "Neck glide", "", "Outside the steps"],
        # Only a cell's first character makes it a formula: inside, the title is as written.
        ["2026-12-02T09:00:00Z", "10.0", "yes", f"Neck glide; {HOSTILE}; Shoulder squeeze",
         "", "Shoulder squeeze"],
        ["2026-12-05T09:00:00Z", "7.0", "yes", "Neck glide; Shoulder squeeze", f"'{HOSTILE}",
         "Shoulder squeeze"],
    ]
    activity = ann.client.get("/therapist/activity").get_data(as_text=True)
    assert "progress downloaded as CSV" in activity and f"plan {plan_id}, 3 sessions" in activity


@pytest.mark.parametrize(("cell", "kept"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+1", "'+1"), ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Neck glide", "Neck glide"), ("2.0", "2.0"), ("", ""), ("a=b", "a=b"),
])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(cell, kept):
    assert inert(cell) == kept


def test_another_therapist_gets_nothing(app, clock, ann, plan_id, week):
    share(app, clock, plan_id)
    bea = Therapist(app, BEA)
    assert bea.client.get(f"/therapist/plans/{plan_id}/progress.csv").status_code == 404
    assert bea.client.get(f"/therapist/clients/{ann.client_id}").status_code == 404
    new_plan(bea)
    page = client_page(bea)
    assert "No sessions yet" not in page and "in the last 7 days" not in page
    assert NOT_ASKED in page and "progress.csv" not in page
    for missing in ("999999", "99999999999999999999"):
        assert bea.client.get(f"/therapist/plans/{missing}/progress.csv").status_code == 404
    assert "downloaded as CSV" not in bea.client.get("/therapist/activity") \
        .get_data(as_text=True)


def test_signed_out_the_csv_leads_to_signing_in(app, clock, plan_id, week):
    share(app, clock, plan_id)
    reply = app.test_client().get(f"/therapist/plans/{plan_id}/progress.csv")
    assert reply.status_code == 302 and where(reply) == "/therapist/sign-in"
    assert "text/csv" not in reply.headers["Content-Type"]


def test_once_the_plan_has_ended_the_page_says_so(app, clock, ann):
    plan_id = new_plan(ann, schedule={**SCHEDULE, "until": NOW.date().isoformat()})
    share(app, clock, plan_id)
    play(app, clock, 1, plan_id, 5, {0}, False)
    clock.now = NOW + dt.timedelta(days=2)
    sign_in(ann.client, ANN)   # the morning's session has ended (SESSION_HOURS)
    page = client_page(ann)
    assert "1 session in the last 7 days; the plan ended on Monday 7 December." in page
    assert "to go" not in page


def test_a_plan_with_no_number_a_week_says_so(app, clock, ann):
    plan_id = new_plan(ann, schedule={"times_per_week": "", "until": "", "note": ""})
    share(app, clock, plan_id)
    play(app, clock, 3, plan_id, 5, {0, 1, 2}, True)
    page = client_page(ann)
    assert "1 session in the last 7 days; the plan asks no set number." in page
    assert "<td>1</td><td>5</td>" in page and "1 week in a row with a session." in page


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A served app (on the real clock) where Ann's client shares a plan with a session
    that skipped a step and hurt: the address, and the client's page."""
    app = therapist_app(tmp_path_factory.mktemp("progress"))
    therapist = add_therapist(app, ANN)
    store = accounts(app).store
    client_id = store.add_client(therapist, "J. S.")
    plan = store.add_plan(therapist, client_id, "Right shoulder", yaml.safe_dump(ROUTINE),
                          times_per_week=3)
    Consent(store).answer(plan.id, True, "on the private page")
    history, owner = History(store), "link:the-plan's-private-link"
    session = history.start(owner, f"plan:{plan.id}", "b1", plan_id=plan.id)
    history.heard(session, owner, played_ms=300_000, steps={0, 2})
    history.pain(session, owner, 2)
    history.finish(session, owner)
    with serving(app) as address:
        yield address, f"/therapist/clients/{client_id}"


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_nothing_wrong_with_the_progress_on_the_clients_page(browser, served,
                                                                        viewport):
    address, path = served
    with opened(browser, address, VIEWPORTS[viewport]) as screen:
        screen.goto("/therapist/sign-in")
        screen.fill("#email", ANN)
        screen.fill("#password", PASSWORD)
        screen.click("button[type=submit]")
        screen.wait_for_url("**/therapist/")
        screen.goto(path)
        screen.wait_for_selector(".pain-reports")
        assert_no_violations(screen, "a client's page with their progress")
