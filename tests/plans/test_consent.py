"""Issue 13: whether a plan's client lets their therapist see their progress, on SQLite
and PostgreSQL alike: not asked until they answer, their answer kept and logged for the
therapist, changeable at any time, and asked again once a new code may reach someone
else."""

from __future__ import annotations

import pytest

from plans import NotFound
from plans.audit import events
from plans.codes import Codes
from plans.consent import Consent

from .test_codes import ROUTINE


@pytest.fixture
def plan(store):
    """(therapist, plan id)."""
    therapist = store.add_therapist("ann@example.com")
    client = store.add_client(therapist, "J. S.")
    return therapist, store.add_plan(therapist, client, "Right shoulder", ROUTINE).id


def test_nothing_is_shared_until_the_client_says_yes(store, plan):
    assert store.plan(*plan).progress_shared is None
    consent = Consent(store)
    consent.answer(plan[1], True, "by voice")
    assert store.plan(*plan).progress_shared is True
    consent.answer(plan[1], False, "on the private page")
    assert store.plan(*plan).progress_shared is False
    with store.transaction() as session:
        logged = [(e.action, e.detail) for e in events(session, plan[0])]
    assert logged[:2] == [("progress_withheld", f"plan {plan[1]}, on the private page"),
                          ("progress_shared", f"plan {plan[1]}, by voice")]


def test_a_new_code_asks_again(store, plan):
    Consent(store).answer(plan[1], True, "by voice")
    Codes(store).issue(*plan)
    assert store.plan(*plan).progress_shared is None


@pytest.mark.parametrize("plan_id", [0, -1, 2**31, 10**30, 999])
def test_a_plan_that_is_not_there_is_not_found(store, plan, plan_id):
    with pytest.raises(NotFound):
        Consent(store).answer(plan_id, True, "by voice")
