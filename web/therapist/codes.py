"""A plan's share code, for its therapist: six digits they read out to their client, who
says them to an Alexa speaker ("Alexa, ask Mat Coach for code four eight one five one six")
and has the plan there from then on. The code is shown on the therapist's own plan page
only, never on a public one: anyone who read it there could take the plan to their own
speaker before the client does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from num2words import num2words

from plans import PlanView
from plans.codes import Codes, CodeView

from . import accounts_of
from .signed import for_therapists, owned, plans_store

bp = for_therapists(Blueprint("plan_codes", __name__, url_prefix="/therapist"))


@dataclass(frozen=True)
class ShownCode:
    """A live code as the plan page shows it."""

    grouped: str
    """The digits in two groups of three, to read at a glance: "481 516"."""
    spelled: str
    """The digits one by one, for a screen reader: "4 8 1 5 1 6"."""
    words: str
    """The digits as the client says them: "four eight one five one six"."""
    until: str
    """The day it stops working, in words: "Monday 21 December" (with the year when it
    is not this year's)."""
    expires_at: dt.datetime
    linked: bool
    """Said on a speaker already: that speaker has the plan, and the code opens it for
    nobody else."""


def codes() -> Codes:
    """The app's share codes, on the accounts' clock (the app's CLOCK when it sets one, so
    a test's fixed clock decides when a code expires, too)."""
    return Codes(plans_store(), accounts_of().clock)


def code_of(plan: PlanView) -> ShownCode | None:
    """The signed-in therapist's plan's code, as the page shows it: live, or said on a
    speaker; None when it was never made, expired unsaid, or replaced. `plan` has been
    found for this therapist already."""
    found = codes().current(current_user.id, plan.id)
    return shown(found, accounts_of().clock()) if found else None


def shown(code: CodeView, now: dt.datetime) -> ShownCode:
    """`code` in the words and groups the page shows; `now` decides whether its last day
    needs its year."""
    digits = code.code
    return ShownCode(grouped=f"{digits[:3]} {digits[3:]}", spelled=" ".join(digits),
                     # "zero", not "oh": Alexa hears both, but "oh" reads as a letter.
                     words=" ".join(num2words(int(d)) for d in digits),
                     until=day_in_words(code.expires_at, now), expires_at=code.expires_at,
                     linked=code.linked)


def day_in_words(moment: dt.datetime, now: dt.datetime) -> str:
    """The UTC date of `moment` as "Monday 21 December", with its year when that is not
    `now`'s year. UTC, as the plan's end date is checked: the app does not know the
    therapist's time zone, and a day's difference either side does not matter for a code
    that lives two weeks."""
    day = moment.astimezone(dt.UTC).date()
    words = f"{day:%A} {day.day} {day:%B}"
    return words if day.year == now.astimezone(dt.UTC).year else f"{words} {day.year}"


@bp.post("/plans/<int:plan_id>/code")
def new_code(plan_id: int):
    """A new code for the plan (the old one stops working), then its page again; 404 for
    another therapist's plan. Flask-WTF's CSRFProtect has refused a POST without the
    form's token (400) before this runs."""
    present = owned(codes().current, plan_id)
    if present is not None and present.linked and request.form.get("replace") != "yes":
        # One click must not take the plan off the client's speaker (found by a newcomer).
        flash("The code was not replaced: tick the box to take the plan off your client's "
              "speaker, then make a new code.")
        return redirect(url_for("plans.plan", plan_id=plan_id, _anchor="voice-heading"))
    made = owned(codes().issue, plan_id)
    flash(f"A new code is ready: {shown(made, accounts_of().clock()).grouped}.")
    return redirect(url_for("plans.plan", plan_id=plan_id))
