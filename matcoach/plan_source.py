"""Therapists' plans as the skill reaches them (skill/plans.py's PlanSource), from the plans
store and the plans' private tracks folder (matcoach/plan_builds.py); and as `matcoach
simulate` shows what it plays."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from audio.one_track import track_in
from audio.shelf import Track
from builder.parse import Context
from plans import PlansError, PlanView, Store, Unavailable
from plans.codes import Codes
from plans.consent import Consent
from plans.errors import NotFound, Taken, TooManyAttempts
from skill.plans import PREFIX, Caller, CodeRefused, PlanOffer, plan_number

from .plan_routines import checked_plan


class StorePlans:
    """Plans linked to Alexa listeners by share codes (plans/codes.py); their tracks are
    the newest build, or a kept one, in `folder/<plan token>/`, served under the plan's
    private address `/p/<token>/audio/<build>.mp3` (web/private.py). `context()` gives the
    catalog the plans are checked against, as the builder checks them."""

    def __init__(self, store: Store, folder: Path, context: Callable[[], Context],
                 clock: Callable[[], dt.datetime] | None = None) -> None:
        self.codes = Codes(store, clock)
        self.consent = Consent(store, clock)
        self.folder = folder
        self.context = context

    def redeem(self, code: str, who: Caller) -> PlanOffer:
        """See PlanSource.redeem; the store's refusals become CodeRefused."""
        try:
            plan = self.codes.redeem(code, who.listener, who.account)
        except TooManyAttempts as exc:
            raise CodeRefused("too_many", exc.retry_after) from exc
        except Taken as exc:
            raise CodeRefused("taken") from exc
        except NotFound as exc:
            raise CodeRefused("unknown") from exc
        return self._offer(plan)

    def offer(self, who: Caller) -> PlanOffer | None:
        """See PlanSource.offer."""
        plan = self.codes.plan_for(who.listener, who.account)
        return self._offer(plan) if plan is not None else None

    def share_progress(self, who: Caller, shared: bool,
                       routine_id: str | None = None) -> list[str]:
        """See PlanSource.share_progress (plans/consent.py keeps and logs the answers)."""
        plans = self.codes.plans_for(who.listener, who.account)
        answered = []
        for plan in plans:
            if routine_id is not None and routine_id != f"{PREFIX}{plan.id}":
                continue
            try:
                self.consent.answer(plan.id, shared, "by voice")
            except NotFound:   # deleted since
                continue
            answered.append(plan.title)
        return answered

    def forget_account(self, account: str) -> int:
        """See PlanSource.forget_account."""
        return self.codes.forget_account(account)

    def track(self, routine_id: str, who: Caller, build: str | None = None) -> Track | None:
        """See PlanSource.track (None too for an id that is no plan's)."""
        number = plan_number(routine_id)
        if number is None:
            return None
        plan = self.codes.linked(number, who.listener, who.account)
        return self._track(plan, build) if plan is not None else None

    def _offer(self, plan: PlanView) -> PlanOffer:
        return PlanOffer(f"{PREFIX}{plan.id}", plan.title, self._track(plan),
                         plan.progress_shared)

    def _track(self, plan: PlanView, build: str | None = None) -> Track | None:
        routine = checked_plan(plan.routine_yaml, self.context(), plan.id).routine
        found = track_in(self.folder / plan.token, routine, build) if routine else None
        if found is None:
            return None
        # Its own routine id, so a saved place or a token names this plan; its address,
        # the plan's private one (plan audio is never under the public /audio/).
        return dataclasses.replace(
            found, routine=dataclasses.replace(found.routine, id=f"{PREFIX}{plan.id}"),
            served_at=f"/p/{plan.token}/audio/{found.build}.mp3")


def simulated_plans(config: dict, context: Callable[[], Context]
                    ) -> Callable[[str, str], Track | None]:
    """For `matcoach simulate`: the plan track an AudioPlayer token names
    (`plan:<id>:<build>:<stream>`), as the skill of this data home sees it for a user id;
    None when it names none, or the plans store cannot be read (another data home)."""
    try:
        plans = StorePlans(Store(config["PLANS_URL"]), Path(config["PLAN_AUDIO_DIR"]), context)
    except Unavailable:
        return lambda token, user: None

    def plan_track(token: str, user: str) -> Track | None:
        kind, number, build, *_ = [*token.split(":"), "", ""]
        account = f"user:{user}"
        try:
            return plans.track(f"{kind}:{number}", Caller(account, account), build or None)
        except (PlansError, SQLAlchemyError):   # a store not made yet, or not reachable
            return None
    return plan_track
