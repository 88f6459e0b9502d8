"""What the skill needs of therapists' plans, without knowing where they are kept: the app
composes a `PlanSource` from the plans store (matcoach/plan_source.py); where there is
none (no store configured), codes and "play my plan" say so.

A plan plays like a routine of the library, under a routine id of its own, `plan:<id>`,
so a saved place, an AudioPlayer token and "what's next" work alike for both; its audio
is served under the plan's private token, never from the public tracks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ask_sdk_core.handler_input import HandlerInput
from num2words import num2words

from audio.shelf import Track

PREFIX = "plan:"
DIGITS = 6   # a share code's length (plans/codes.py makes them)


def is_plan(routine_id: str | None) -> bool:
    """Whether a routine id (a saved place's, an offer's) names a therapist's plan."""
    return isinstance(routine_id, str) and routine_id.startswith(PREFIX)


def plan_number(routine_id: str | None) -> int | None:
    """The plan id a routine id `plan:<id>` names, or None (not a plan's, or not a number
    a plan could have: ids are 31 bits, and int() of a long string of digits is slow)."""
    number = routine_id.removeprefix(PREFIX) if is_plan(routine_id) else ""
    return int(number) if number.isascii() and number.isdigit() and len(number) <= 12 \
        else None


@dataclass(frozen=True)
class PlanOffer:
    """A listener's plan: its routine id (`plan:<id>`), title, and its newest track (None
    while its first build is being made)."""

    routine_id: str
    title: str
    track: Track | None
    progress_shared: bool | None = None
    """The listener's answer about their therapist seeing their progress (None: not
    asked yet)."""


class CodeRefused(Exception):
    """A code said that opens no plan. `reason` is "unknown" (no live code has those
    digits: mistyped, misheard or expired), "taken" (said first by someone else) or
    "too_many" (too many wrong codes lately; `retry_after_s` says for how long)."""

    def __init__(self, reason: str, retry_after_s: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Caller:
    """Who a request is from, for plans: `listener`, the person speaking when Alexa
    recognises their voice (`person:<personId>`, so that in a household sharing one
    account a plan is its client's), else the account; and `account`, the Alexa account
    (`user:<userId>`), whose speakers play it (playback events name no person)."""

    listener: str
    account: str


def caller(handler_input: HandlerInput) -> Caller:
    """The Caller of a request (`context.System.person`, `context.System.user`)."""
    system = handler_input.request_envelope.context.system
    account = f"user:{system.user.user_id}"
    person = getattr(getattr(system, "person", None), "person_id", None)
    return Caller(f"person:{person}" if isinstance(person, str) and person else account,
                  account)


class PlanSource(Protocol):
    """Plans as the skill reaches them."""

    def redeem(self, code: str, who: Caller) -> PlanOffer:
        """The plan whose six-digit `code` was said, `who`'s from now on and the one
        `offer` gives them (CodeRefused when it opens none)."""

    def offer(self, who: Caller) -> PlanOffer | None:
        """The plan `who` has (the one whose code they said last), or None."""

    def share_progress(self, who: Caller, shared: bool,
                       routine_id: str | None = None) -> list[str]:
        """Record `who`'s answer, may their therapist see their progress, for one plan of
        theirs (`routine_id`) or all of them; the titles of the plans answered for."""

    def forget_account(self, account: str) -> int:
        """Unlink every plan linked on Alexa `account` (`user:<userId>`; the skill was
        disabled there); how many."""

    def track(self, routine_id: str, who: Caller, build: str | None = None) -> Track | None:
        """The plan's track for `who`: build `build` while it is kept (a session in
        progress finishes on the audio it started), else its newest; None once the plan is
        gone, or when it is not theirs (its code said on another account, or by another
        person of theirs, or a new code made since)."""


def heard_code(said: object) -> str | None:
    """What Alexa heard for the AMAZON.NUMBER slot {code} as a share code: digits only,
    zero-padded to DIGITS ("48151" is "048151" with its first zero dropped, as a number
    loses it), or None for anything else (more digits, signs, other scripts' digits)."""
    text = str(said or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > DIGITS:
        return None
    return text.zfill(DIGITS)


def spoken_digits(code: str) -> str:
    """A code read back one digit at a time: "zero, four, eight, one, five, one"."""
    return ", ".join(num2words(int(digit)) for digit in code)
