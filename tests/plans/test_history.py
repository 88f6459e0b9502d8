"""Issue 14, first slice: listening history in the plans store, on SQLite and PostgreSQL
alike. A session keeps what was heard (it never shrinks), the steps finished (a skip
adds none), pain reports by step, and whether it ended; it is its owner's alone, deleted
on request, with its plan, and after a year."""

from __future__ import annotations

import datetime as dt

import pytest

from plans import InvalidInput, NotFound
from plans.history import KEEP, History

from .test_codes import ROUTINE, Clock

JO = "person:amzn1.ask.person.JO"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def history(store, clock) -> History:
    return History(store, clock)


def test_a_session_keeps_what_was_heard_the_steps_done_and_the_pains(history, clock):
    started = clock.now
    session = history.start(JO, "calf-care", "0123456789abcdef")
    clock.now += dt.timedelta(minutes=3)
    history.heard(session, JO, 120_000, {0, 1})
    history.heard(session, JO, 90_000, {3})   # an older report, then a step skipped to
    history.pain(session, JO, 2)
    history.pain(session, JO, None)
    history.finish(session, JO)
    (found,) = history.sessions(JO)
    assert found.routine == "calf-care" and found.started_at == started
    assert found.played_ms == 120_000 and found.steps_done == {0, 1, 3}
    assert found.pain_steps == (2, None) and found.finished


def test_a_session_is_its_owners_alone(history):
    session = history.start(JO, "calf-care", "0123456789abcdef")
    for call in (lambda: history.heard(session, "user:SOMEONE", 1000),
                 lambda: history.finish(session, "user:SOMEONE"),
                 lambda: history.pain(session, "user:SOMEONE", 1),
                 lambda: history.heard(session + 1, JO, 1000),
                 lambda: history.heard(2**31, JO, 1000), lambda: history.heard(0, JO, 1000)):
        with pytest.raises(NotFound):
            call()
    assert history.sessions("user:SOMEONE") == []


def test_newest_first_and_since_a_day(history, clock):
    first = history.start(JO, "a", "0123456789abcdef")
    clock.now += dt.timedelta(days=2)
    second = history.start(JO, "b", "0123456789abcdef")
    assert [s.id for s in history.sessions(JO)] == [second, first]
    assert [s.id for s in history.sessions(JO, clock.now - dt.timedelta(days=1))] == [second]


def test_delete_my_history_deletes_it_all_and_nobody_elses(history):
    mine = history.start(JO, "a", "0123456789abcdef")
    history.pain(mine, JO, 0)
    theirs = history.start("user:OTHER", "a", "0123456789abcdef")
    assert history.forget(JO) == 1
    assert history.sessions(JO) == []
    assert [s.id for s in history.sessions("user:OTHER")] == [theirs]


def test_history_older_than_a_year_is_deleted(history, clock):
    history.start(JO, "old", "0123456789abcdef")
    clock.now += KEEP + dt.timedelta(days=1)
    history.start(JO, "new", "0123456789abcdef")
    assert [s.routine for s in history.sessions(JO)] == ["new"]


def test_deleting_the_client_deletes_their_plans_history(store, history):
    therapist = store.add_therapist("ann@example.com")
    client = store.add_client(therapist, "J. S.")
    plan = store.add_plan(therapist, client, "Right shoulder", ROUTINE).id
    history.start(JO, f"plan:{plan}", "0123456789abcdef", plan_id=plan)
    history.start(JO, "calf-care", "0123456789abcdef")
    store.delete_client(therapist, client)
    assert [s.routine for s in history.sessions(JO)] == ["calf-care"]


@pytest.mark.parametrize(("call", "field"), [
    (lambda h, s: h.heard(s, JO, -1), "played_ms"),
    (lambda h, s: h.heard(s, JO, 10**12), "played_ms"),
    (lambda h, s: h.heard(s, JO, True), "played_ms"),
    (lambda h, s: h.heard(s, JO, 1000, {-1}), "steps"),
    (lambda h, s: h.heard(s, JO, 1000, {"1"}), "steps"),
    (lambda h, s: h.heard(s, JO, 1000, [[0]]), "steps"),   # unhashable: no TypeError
    (lambda h, s: h.pain(s, JO, 10**6), "step"),
])
def test_a_report_out_of_range_is_refused_naming_its_field(history, call, field):
    session = history.start(JO, "a", "0123456789abcdef")
    with pytest.raises(InvalidInput) as refused:
        call(history, session)
    assert refused.value.field == field
    assert history.sessions(JO)[0].played_ms == 0


def test_a_plans_sessions_whoever_played_them(store, history):
    therapist = store.add_therapist("kim@example.com")
    client = store.add_client(therapist, "J. B.")
    plan = store.add_plan(therapist, client, "Right shoulder", ROUTINE).id
    history.start(JO, "calf-care", "0123456789abcdef")
    by_voice = history.start(JO, f"plan:{plan}", "0123456789abcdef", plan_id=plan)
    on_page = history.start("link:abc", f"plan:{plan}", "0123456789abcdef", plan_id=plan)
    assert {s.id for s in history.of_plan(plan)} == {by_voice, on_page}
    assert history.of_plan(plan + 1) == []


def test_disabling_the_skill_forgets_every_profile_of_the_account(history):
    account = "user:amzn1.ask.account.HOME"
    history.start(JO, "a", "0123456789abcdef", account=account)
    history.start(account, "b", "0123456789abcdef", account=account)
    kept = history.start("person:OTHER", "c", "0123456789abcdef", account="user:ELSEWHERE")
    assert history.forget_account(account) == 2
    assert history.sessions(JO) == [] and history.sessions(account) == []
    assert [s.id for s in history.sessions("person:OTHER")] == [kept]


def test_a_listeners_history_has_their_plans_page_sessions_not_an_earlier_holders(store,
                                                                                  history):
    from plans.models import digest
    therapist = store.add_therapist("lee@example.com")
    client = store.add_client(therapist, "R. T.")
    plan = store.add_plan(therapist, client, "Right shoulder", ROUTINE).id
    mine = history.start(JO, f"plan:{plan}", "0123456789abcdef", plan_id=plan,
                         account="user:HOME")
    on_page = history.start("link:abc", f"plan:{plan}", "0123456789abcdef", plan_id=plan)
    history.start("person:EARLIER", f"plan:{plan}", "0123456789abcdef", plan_id=plan,
                  account="user:ELSEWHERE")   # before a new code gave the plan to Jo
    assert {s.id for s in history.of_listener(digest(JO), [plan])} == {mine, on_page}
    assert history.forget_listener(digest(JO), [plan]) == 2
    assert [s.routine for s in history.of_plan(plan)] == [f"plan:{plan}"]
