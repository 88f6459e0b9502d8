"""Progress by voice (issue 14): "how am I doing", "how many sessions have I done this
week", a word of it in the launch greeting when there is something worth saying, and
"delete my history", confirmed. Nothing is said about progress to someone who has none.

Counts are of the last seven days, not the calendar week: the skill does not know the
listener's time zone (plans/progress.py).
"""

from __future__ import annotations

import datetime as dt

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard
from num2words import num2words

from ..plans import caller
from ..progress import HistoryUnavailable, Standing
from ..speech import plural, say
from .base import Deps, IntentHandler, current, is_playing_here, public_url
from .playback import play_from
from .session import set_asked

FORGET = "forget"   # asked: "Shall I delete your whole listening history?"
MISSED_DAYS = 4     # a gap worth a word at launch: more than a few days without a session
ENDING_DAYS = 7     # a plan whose last day is within a week is said to be ending


def summary(standing: Standing) -> str:
    """What "how am I doing" says: the last seven days, the streak, and the plan."""
    if standing.sessions:
        parts = [say("progress_week", sessions=plural(standing.sessions, "session"),
                     minutes=plural(standing.minutes, "minute"))]
    else:
        parts = [say("progress_quiet_week", days=plural(standing.days_since_last, "day"))]
    if standing.streak_weeks >= 2:
        parts.append(say("progress_streak", weeks=standing.streak_weeks))
    if standing.plan_title is not None and standing.times_per_week:
        until = f"until {spoken_date(standing.until)}" if standing.until else ""
        if standing.to_go is None:   # it has ended
            parts.append(say("progress_plan_ended", title=standing.plan_title,
                             until=spoken_date(standing.until)))
        else:
            key = "progress_plan_on_track" if standing.to_go == 0 else "progress_plan_to_go"
            parts.append(say(key, title=standing.plan_title, until=until,
                             times=_times(standing.times_per_week),
                             to_go=plural(standing.to_go, "more session")))
    return " ".join(parts)


def news(deps: Deps, handler_input: HandlerInput) -> str:
    """A word for the launch greeting when there is one worth saying (a plan about to
    end, a gap since the last session, a streak), else ""."""
    if deps.listening is None:
        return ""
    try:
        standing = deps.listening.standing(caller(handler_input))
    except HistoryUnavailable:   # the greeting goes on without it
        return ""
    if standing is None:
        return ""
    if standing.until and standing.today and \
            0 <= (standing.until - standing.today).days < ENDING_DAYS:
        return say("news_plan_ending", until=spoken_date(standing.until))
    if standing.days_since_last >= MISSED_DAYS:
        return say("news_missed", days=standing.days_since_last)
    if standing.streak_weeks >= 2:
        return say("news_streak", weeks=standing.streak_weeks)
    return ""


def spoken_date(day: dt.date | None) -> str:
    """A date as said: "January fourteenth"."""
    return f"{day:%B} {num2words(day.day, to='ordinal')}" if day else ""


def _times(per_week: int) -> str:
    return {1: "once", 2: "twice"}.get(per_week, f"{per_week} times")


class ProgressIntentHandler(IntentHandler):
    """"How am I doing", "how many sessions have I done this week": answered, and a
    routine playing here carries on."""

    INTENT = "ProgressIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        if self.deps.listening is None:
            return builder.speak(say("progress_unavailable")).set_should_end_session(True) \
                .response
        who = caller(handler_input)
        try:
            standing = self.deps.listening.standing(who)
        except HistoryUnavailable:
            return builder.speak(say("progress_not_now")).set_should_end_session(True) \
                .response
        text = summary(standing) if standing is not None else say("progress_nothing")
        page = self.deps.listening.page(who) if standing is not None else None
        if page:   # week by week, in the Alexa app
            builder.set_card(SimpleCard(say("progress_card_title"), say(
                "progress_card", summary=text, url=f"{public_url(handler_input, self.deps)}"
                f"{page}")))
            text = f"{text} {say('progress_card_said')}"
        track, offset, place = current(handler_input, self.deps)
        if track is not None and is_playing_here(handler_input, place):
            return play_from(handler_input, self.deps, track, offset, place, text)
        return builder.speak(text).set_should_end_session(True).response


class ForgetHistoryIntentHandler(IntentHandler):
    """"Delete my history": asked once more, since it cannot be undone."""

    INTENT = "ForgetHistoryIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        if self.deps.listening is None:
            return builder.speak(say("progress_unavailable")).set_should_end_session(True) \
                .response
        set_asked(handler_input, FORGET)
        text = say("forget_ask")
        return builder.speak(text).ask(text).response


def forget_answer(handler_input: HandlerInput, deps: Deps, confirmed: bool) -> Response:
    """The answer to "Shall I delete your whole listening history?"."""
    builder = handler_input.response_builder
    if not confirmed or deps.listening is None:
        return builder.speak(say("forget_kept")).set_should_end_session(True).response
    count = deps.listening.forget(caller(handler_input))
    text = say("forget_done", count=plural(count, "session")) if count else \
        say("forget_nothing")
    return builder.speak(text).set_should_end_session(True).response
