"""Issue 13: writing a plan. The editor's routine is checked by the builder's own rules,
each problem keyed to its field, with a preview of when each step starts; saving makes a
plan (and editing, a new version); YAML goes in and out; and another therapist reaches
none of it."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from .therapists import Clock, accounts, add_therapist, csrf, send, sign_in, therapist_app

ANN, BEA = "ann@example.com", "bea@example.com"
OWN_STEP = {"title": "Shoulder squeeze", "equipment": "chair", "body_area": "shoulders",
            "position": "sitting", "work": "30s"}
ROUTINE = {"title": "Right shoulder", "level": "gentle", "steps": [
    {"move": "calf-stretch-wall"}, {"move": "spiky-ball-shoulder-wall", "work": 50},
    {**OWN_STEP, "say": "Sit tall and draw your shoulder blades gently together."}]}
# The app's clock, so that "today" is the same date however long the suite runs (a run
# that crossed midnight refused a date it had taken for today).
TODAY = Clock().now.date()
UNTIL = TODAY + dt.timedelta(days=30)          # the next appointment, a month from now
SCHEDULE = {"times_per_week": "3", "until": UNTIL.isoformat(), "note": "Little and often."}


@pytest.fixture
def app(tmp_path):
    return therapist_app(tmp_path, CLOCK=Clock())


class Therapist:
    """A signed-in therapist's browser: sends JSON as the editor page does."""

    def __init__(self, app, email: str) -> None:
        add_therapist(app, email)
        self.client = app.test_client()
        sign_in(self.client, email)
        reply = send(self.client, "/therapist/clients", {"name": "J. S."},
                     form_page="/therapist/")
        self.client_id = int(reply.headers["Location"].rsplit("/", 1)[1])
        self.token = csrf(self.client.get("/therapist/").get_data(as_text=True))

    def post(self, path: str, body: dict, token: str | None = None):
        return self.client.post(path, json=body,
                                headers={"X-CSRFToken": self.token if token is None else token})

    def save(self, routine=ROUTINE, schedule=SCHEDULE):
        return self.post(f"/therapist/clients/{self.client_id}/plans",
                         {"routine": routine, "schedule": schedule})


@pytest.fixture
def ann(app) -> Therapist:
    return Therapist(app, ANN)


def test_a_problem_is_keyed_to_its_field_and_goes_when_fixed(ann):
    broken = {**ROUTINE, "steps": [*ROUTINE["steps"][:2], OWN_STEP]}   # no words to say
    reply = ann.post("/therapist/plans/check", {"routine": broken}).get_json()
    assert not reply["ok"] and reply["preview"] == []
    assert [p["field"] for p in reply["problems"]] == ["steps.2.say"]
    fixed = ann.post("/therapist/plans/check", {"routine": ROUTINE}).get_json()
    assert fixed["ok"] and fixed["problems"] == []
    titles = [chapter["title"] for chapter in fixed["preview"]]
    assert titles[-2:] == ["Shoulder squeeze", "Finish"]
    assert any("Calf stretch" in title for title in titles)
    starts = [chapter["start"] for chapter in fixed["preview"]]
    assert starts == sorted(starts, key=lambda s: tuple(map(int, s.split(":"))))
    assert fixed["length"].count(":") == 1


def test_a_move_not_in_the_catalog_is_named(ann):
    routine = {**ROUTINE, "steps": [{"move": "neck-side-stretch"}]}
    problems = ann.post("/therapist/plans/check", {"routine": routine}).get_json()["problems"]
    assert problems[0]["field"] == "steps.0.move"
    assert "not a move in the catalog" in problems[0]["message"]


def test_saving_makes_a_plan_with_its_schedule_and_a_page(app, ann):
    reply = ann.save()
    assert reply.status_code == 201
    page = ann.client.get(reply.get_json()["url"]).get_data(as_text=True)
    assert "Right shoulder" in page and f"3 times a week, until {UNTIL:%-d %B %Y}" in page
    assert "Shoulder squeeze" in page and "Little and often." in page
    store = accounts(app).store
    plan = store.plan(store.therapist_by_email(ANN), int(reply.get_json()["url"].rsplit("/", 1)[1]))
    assert plan.version == 1 and yaml.safe_load(plan.routine_yaml)["steps"] == ROUTINE["steps"]


def test_a_plan_with_problems_is_not_saved(app, ann):
    reply = ann.save(routine={**ROUTINE, "steps": [OWN_STEP]})
    assert reply.status_code == 422 and reply.get_json()["problems"][0]["field"] == "steps.0.say"
    store = accounts(app).store
    assert store.client(store.therapist_by_email(ANN), ann.client_id).plans == ()


@pytest.mark.parametrize(("schedule", "field", "says"), [
    ({"times_per_week": "0"}, "times_per_week", "from 1 to 21"),
    ({"times_per_week": "22"}, "times_per_week", "from 1 to 21"),
    ({"times_per_week": "three"}, "times_per_week", "from 1 to 21"),
    # Regression: 5,000 digits reached int(), whose digit limit answered 500.
    ({"times_per_week": "9" * 5000}, "times_per_week", "from 1 to 21"),
    # Regression: JSON's true was saved as once a week.
    ({"times_per_week": True}, "times_per_week", "from 1 to 21"),
    ({"until": "14/01/2027"}, "until", "as the date picker writes it"),
    # Regression: a number and an ISO week date were read as dates.
    ({"until": 20270114}, "until", "as the date picker writes it"),
    ({"until": "2027-W02-4"}, "until", "as the date picker writes it"),
    ({"until": "2027-02-30"}, "until", "as the date picker writes it"),
    # The server's date, give or take a day: the therapist's today, in any time zone.
    ({"until": (TODAY - dt.timedelta(days=2)).isoformat()}, "until", "from today to two years"),
    ({"until": (TODAY + dt.timedelta(days=2 * 366 + 2)).isoformat()}, "until",
     "from today to two years"),
    ({"note": "x" * 501}, "note", "500 characters"),
    ({"note": "hidden\u200bmark"}, "note", "invisible"),
    ({"note": "one line\u2028another"}, "note", "invisible"),
    ({"note": "\u3164"}, "note", "no character that shows"),
])
def test_a_bad_schedule_is_refused_at_its_field(ann, schedule, field, says):
    reply = ann.save(schedule=schedule)
    assert reply.status_code == 422
    problem = reply.get_json()["problems"][0]
    assert problem["field"] == field and says in problem["message"]


@pytest.mark.parametrize("schedule", [[1], "x", 3])
def test_a_schedule_that_is_not_a_set_of_fields_is_refused_not_a_server_error(ann, schedule):
    """Regression: a list or a string as the schedule answered 500 with a traceback."""
    reply = ann.save(schedule=schedule)
    assert reply.status_code == 422
    assert reply.get_json()["problems"][0]["field"] == "schedule"


def test_a_schedule_at_its_limits_is_saved(app, ann):
    """Today (the server's yesterday, for a therapist west of UTC) and two years ahead are
    all fine; a note is measured without the spaces around it (regression: 500 characters
    and a newline were refused)."""
    furthest = TODAY.replace(year=TODAY.year + 2)
    for until in (TODAY - dt.timedelta(days=1), TODAY, furthest):
        reply = ann.save(schedule={"times_per_week": 21, "until": until.isoformat(),
                                   "note": "\n" + "x" * 495 + " 👩\u200d⚕\ufe0f  \n"})
        assert reply.status_code == 201, reply.get_json()
    store = accounts(app).store
    plan_id = int(reply.get_json()["url"].rsplit("/", 1)[1])
    plan = store.plan(store.therapist_by_email(ANN), plan_id)
    assert (plan.times_per_week, plan.note) == (21, "x" * 495 + " 👩\u200d⚕\ufe0f")


def test_a_plan_whose_date_has_passed_still_shows_it(app, ann):
    """Dates are checked when a plan is saved; one that has since passed is kept and shown."""
    store = accounts(app).store
    past = dt.date(2020, 3, 1)
    plan = store.add_plan(store.therapist_by_email(ANN), ann.client_id, "Old plan",
                          "title: Old plan\nsteps: []\n", until=past)
    assert "until 1 March 2020" in ann.client.get(f"/therapist/plans/{plan.id}").get_data(
        as_text=True)
    assert "2020-03-01" in ann.client.get(f"/therapist/plans/{plan.id}/edit").get_data(
        as_text=True)


def test_editing_makes_a_new_version_and_export_gives_it_back(app, ann):
    url = ann.save().get_json()["url"]
    plan_id = url.rsplit("/", 1)[1]
    assert ann.client.get(f"/therapist/plans/{plan_id}/edit").status_code == 200
    shorter = {**ROUTINE, "title": "Right shoulder, shorter", "steps": ROUTINE["steps"][1:]}
    assert ann.post(f"/therapist/plans/{plan_id}",
                    {"routine": shorter, "schedule": {}}).status_code == 201
    exported = ann.client.get(f"/therapist/plans/{plan_id}/routine.yaml")
    assert "attachment" in exported.headers["Content-Disposition"]
    assert yaml.safe_load(exported.get_data(as_text=True))["steps"] == shorter["steps"]
    page = ann.client.get(url).get_data(as_text=True)
    assert "Version 2" in page and "Right shoulder, shorter" in page


def test_a_routine_file_imports_into_the_editor(ann):
    text = yaml.safe_dump(ROUTINE, sort_keys=False)
    reply = ann.post("/therapist/plans/import", {"yaml": text})
    assert reply.status_code == 200 and reply.get_json()["routine"] == ROUTINE


@pytest.mark.parametrize(("text", "says"), [
    ("a: &x [1]\nb: *x\n", "alias"),
    ("title: !!python/object:os.system x\n", "tag"),
    ("- just\n- a list\n", "not a routine"),
    ("title: [unclosed\n", "line 2"),
])
def test_a_file_that_is_not_a_routine_is_refused_in_a_sentence(ann, text, says):
    reply = ann.post("/therapist/plans/import", {"yaml": text})
    assert reply.status_code == 422 and says in reply.get_json()["error"]


def test_json_sent_without_the_token_is_refused(ann):
    assert ann.post("/therapist/plans/check", {"routine": ROUTINE}, token="").status_code == 400
    assert ann.save().status_code == 201   # with it, the same goes through


def nested(depth: int) -> list:
    """Lists in lists, `depth` deep."""
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_a_routine_nested_too_deep_is_refused_in_a_sentence(ann):
    """Regression: 900 levels of lists (8 KB of JSON) ended YAML's dumper in a
    RecursionError, a 500 with a traceback."""
    deep = {**ROUTINE, "steps": nested(900)}
    checked = ann.post("/therapist/plans/check", {"routine": deep})
    assert checked.status_code == 422 and "nested too deep" in checked.get_json()["error"]
    saved = ann.save(routine=deep)
    assert saved.status_code == 422
    assert "nested too deep" in saved.get_json()["problems"][0]["message"]


def test_json_nested_deeper_than_it_can_be_read_is_a_400_in_json(ann):
    """Regression: 5,000 levels (10 KB) ended the JSON reader in a RecursionError, a 500."""
    body = '{"routine": ' + "[" * 5000 + "]" * 5000 + "}"
    for path in ("/therapist/plans/check", f"/therapist/clients/{ann.client_id}/plans"):
        reply = ann.client.post(path, data=body, content_type="application/json",
                                headers={"X-CSRFToken": ann.token})
        assert reply.status_code == 400, path
        assert reply.get_json() == {"error": "The request is nested too deep to read."}


@pytest.mark.parametrize(("method", "path", "body", "status", "says"), [
    ("post", "/therapist/plans/check", [1], 400, "Send the editor's fields as JSON."),
    ("post", "/therapist/plans/import", "yaml", 400, "Send the editor's fields as JSON."),
    ("post", "/therapist/plans/999999", {"routine": ROUTINE, "schedule": {}}, 404,
     "There is no such plan or client."),
    ("post", "/therapist/clients/999999/plans", {"routine": ROUTINE, "schedule": {}}, 404,
     "There is no such plan or client."),
    ("post", "/therapist/plans/99999999999999999999999", {"routine": ROUTINE}, 404,
     "There is no such plan or client."),
    ("post", "/therapist/plans/check", {"routine": {"title": "x" * 140_000}}, 413,
     "That is too large to send: at most 128 KB."),
    ("put", "/therapist/plans/check", {"routine": ROUTINE}, 405,
     "This address does not take that method."),
    ("get", "/therapist/plans/999999/track.json", None, 404,
     "There is no such plan or client."),
    ("post", "/therapist/plans/999999/track.json", None, 405,
     "This address does not take that method."),
])
def test_the_editors_endpoints_answer_errors_in_json(ann, method, path, body, status, says):
    """Regression: the editor's script got HTML error pages, and showed "the server did
    not answer as expected" instead of what went wrong."""
    reply = getattr(ann.client, method)(path, json=body, headers={"X-CSRFToken": ann.token})
    assert reply.status_code == status
    assert reply.get_json() == {"error": says}
    if status == 405:
        assert "POST" in reply.headers["Allow"] or "GET" in reply.headers["Allow"]


def test_pages_keep_their_html_error_pages(ann):
    for path in ("/therapist/plans/999999", "/therapist/plans/999999/edit",
                 # Regression: an id of 23 digits was SQLite's OverflowError, a 500.
                 "/therapist/plans/99999999999999999999999",
                 "/therapist/clients/99999999999999999999/plans/new",
                 f"/therapist/clients/{ann.client_id + 1}/plans/new"):
        reply = ann.client.get(path)
        assert reply.status_code == 404 and reply.mimetype == "text/html", path
    form = ann.client.post("/therapist/plans/check", data={"routine": "x"},
                           headers={"X-CSRFToken": ann.token})
    assert form.status_code == 400 and form.mimetype == "text/html"


def test_another_therapists_plan_and_client_are_not_found(app, ann):
    plan_id = ann.save().get_json()["url"].rsplit("/", 1)[1]
    bea = Therapist(app, BEA)
    for path in (f"/therapist/plans/{plan_id}", f"/therapist/plans/{plan_id}/edit",
                 f"/therapist/plans/{plan_id}/routine.yaml",
                 f"/therapist/clients/{ann.client_id}/plans/new"):
        assert bea.client.get(path).status_code == 404, path
    assert bea.post(f"/therapist/plans/{plan_id}",
                    {"routine": ROUTINE, "schedule": {}}).status_code == 404
    assert bea.post(f"/therapist/clients/{ann.client_id}/plans",
                    {"routine": ROUTINE, "schedule": {}}).status_code == 404


def test_the_public_library_and_feed_do_not_mention_the_plan(app, ann):
    ann.save()
    public = app.test_client()
    for path in ("/", "/feed.xml", "/routines/plan"):
        assert "Right shoulder" not in public.get(path).get_data(as_text=True), path
