"""Share codes, on SQLite and PostgreSQL alike: six digits that give a plan to whoever
says them first, for 14 days; one per plan; nobody else's once said; and guessing held
back per listener and for everybody together, so that it cannot get through."""

from __future__ import annotations

import datetime as dt

import pytest

from plans import NotFound, Taken
from plans.codes import EVERYONE, PER_ACCOUNT, Codes
from plans.errors import TooManyAttempts

ROUTINE = "title: Right shoulder\nsteps:\n  - move: mat-breathing\n"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def codes(store, clock) -> Codes:
    return Codes(store, clock)


@pytest.fixture
def plan(store):
    """(therapist, plan id)."""
    therapist = store.add_therapist("ann@example.com")
    client = store.add_client(therapist, "J. S.")
    return therapist, store.add_plan(therapist, client, "Right shoulder", ROUTINE).id


def wrong_code(given: str) -> str:
    return f"{(int(given) + 1) % 10**6:06d}"


def test_a_code_gives_the_plan_to_whoever_says_it(codes, plan):
    code = codes.issue(*plan)
    assert len(code.code) == 6 and code.code.isdigit()
    assert codes.plan_for("amzn1.ask.account.A") is None
    assert codes.redeem(code.code, "amzn1.ask.account.A").title == "Right shoulder"
    assert codes.plan_for("amzn1.ask.account.A").id == plan[1]
    assert codes.current(*plan).linked


def test_saying_it_again_is_fine_and_nobody_else_can(codes, plan):
    code = codes.issue(*plan).code
    codes.redeem(code, "listener A")
    assert codes.redeem(code, "listener A").id == plan[1]
    with pytest.raises(Taken):
        codes.redeem(code, "listener B")
    assert codes.plan_for("listener B") is None


def test_a_code_lasts_fourteen_days(codes, plan, clock):
    code = codes.issue(*plan).code
    clock.now += dt.timedelta(days=14)
    with pytest.raises(NotFound):
        codes.redeem(code, "listener A")
    assert codes.current(*plan) is None


def test_a_code_said_in_time_keeps_the_plan_on_its_speaker(codes, plan, clock):
    code = codes.issue(*plan).code
    codes.redeem(code, "listener A")
    clock.now += dt.timedelta(days=30)
    assert codes.plan_for("listener A").id == plan[1]
    assert codes.current(*plan).linked, "its therapist sees it is on a speaker"
    with pytest.raises(Taken):
        codes.redeem(code, "listener B")


def test_a_plan_plays_on_the_account_it_was_said_on_and_no_other(codes, plan):
    code = codes.issue(*plan).code
    assert codes.linked(plan[1], "user:U", "user:U") is None, "nobody has it yet"
    codes.redeem(code, "person:JO", "user:U")
    assert codes.linked(plan[1], "person:JO", "user:U").id == plan[1]
    assert codes.linked(plan[1], "user:U", "user:U").id == plan[1], \
        "a playback event (no person) on Jo's account"
    assert codes.linked(plan[1], "person:SAM", "user:U") is None, "another person's"
    assert codes.linked(plan[1], "person:JO", "user:OTHER") is None
    codes.redeem(code, "person:JO", "user:U2")   # the skill enabled again: a new user id
    assert codes.linked(plan[1], "person:JO", "user:U2").id == plan[1]
    assert codes.linked(plan[1], "person:JO", "user:U") is None
    assert codes.linked(2**31, "user:U2", "user:U2") is None
    assert codes.linked(0, "user:U2", "user:U2") is None


def test_a_plan_said_with_no_voice_recognised_is_every_person_of_the_account(codes, plan):
    code = codes.issue(*plan).code
    codes.redeem(code, "user:U", "user:U")
    assert codes.plan_for("person:JO", "user:U").id == plan[1]
    assert codes.linked(plan[1], "person:JO", "user:U").id == plan[1]
    assert codes.plan_for("person:JO", "user:OTHER") is None
    assert codes.redeem(code, "person:JO", "user:U").id == plan[1], "said again: not taken"


def test_saying_ones_code_again_is_fine_for_good_and_makes_it_the_plan(codes, store, plan,
                                                                       clock):
    first = codes.issue(*plan).code
    client = store.add_client(plan[0], "K. L.")
    other = store.add_plan(plan[0], client, "Left knee", ROUTINE).id
    second = codes.issue(plan[0], other).code
    codes.redeem(first, "listener A")
    clock.now += dt.timedelta(minutes=1)
    codes.redeem(second, "listener A")
    assert codes.plan_for("listener A").id == other
    clock.now += dt.timedelta(days=30)
    assert codes.redeem(first, "listener A").id == plan[1], "long after 14 days"
    assert [p.id for p in codes.plans_for("listener A")] == [plan[1], other]


def test_a_new_code_ends_the_old_one_and_its_listener(codes, plan):
    old = codes.issue(*plan).code
    codes.redeem(old, "listener A")
    new = codes.issue(*plan).code
    assert new != old and codes.plan_for("listener A") is None
    with pytest.raises(NotFound):
        codes.redeem(old, "listener A")


def test_another_therapists_plan_gets_no_code(store, codes, plan):
    other = store.add_therapist("bea@example.com")
    with pytest.raises(NotFound):
        codes.issue(other, plan[1])


def test_one_account_is_held_back_after_five_wrong_codes_whoever_says_them(codes, plan):
    code = codes.issue(*plan).code
    for person in range(PER_ACCOUNT.most):   # a household's voice profiles share them
        with pytest.raises(NotFound):
            codes.redeem(wrong_code(code), f"person:{person}", "user:U")
    with pytest.raises(TooManyAttempts):
        codes.redeem(code, "person:another", "user:U")
    assert codes.redeem(code, "the client").id == plan[1], "others are not held back"


def test_guessing_cannot_get_through_even_from_many_listeners(codes, plan, clock):
    """Every wrong code counts for everybody: a guesser with a new Alexa account for each
    try is stopped too, and even with the right code in hand is refused while it lasts."""
    code = codes.issue(*plan).code
    for tried in range(EVERYONE.most):
        with pytest.raises(NotFound):
            codes.redeem(wrong_code(code), f"listener {tried}")
    with pytest.raises(TooManyAttempts):
        codes.redeem(wrong_code(code), "one more listener")
    with pytest.raises(TooManyAttempts):
        codes.redeem(code, "yet another listener")
    clock.now += EVERYONE.window
    assert codes.redeem(code, "the client").id == plan[1]


def test_deleting_the_client_deletes_the_code(store, codes, plan):
    code = codes.issue(*plan).code
    codes.redeem(code, "listener A")
    client = store.plan(*plan).client_id
    store.delete_client(plan[0], client)
    assert codes.plan_for("listener A") is None
    with pytest.raises(NotFound):
        codes.redeem(code, "listener A")


def test_disabling_the_skill_unlinks_the_accounts_plans_for_good(codes, plan):
    code = codes.issue(*plan).code
    codes.redeem(code, "person:JO", "user:HOME")
    assert codes.forget_account("user:ELSEWHERE") == 0
    assert codes.forget_account("user:HOME") == 1
    assert codes.plan_for("person:JO", "user:HOME") is None
    assert codes.linked(plan[1], "person:JO", "user:HOME") is None
    assert codes.current(*plan) is None, "the therapist sees no code: they make a new one"
    with pytest.raises(NotFound):
        codes.redeem(code, "person:JO", "user:HOME")   # nor does it open for them again
