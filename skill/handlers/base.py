"""What every handler shares: its dependencies, the user's saved place, slots and offsets."""

from __future__ import annotations

import numbers
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type, is_intent_name
from ask_sdk_model import Response

from audio.shelf import Shelf, Track
from builder.render import wait_words

from ..plans import PlanSource, caller, is_plan
from ..progress import Listening
from ..speech import say
from ..store import saved_values
from .session import RELAUNCHED, session_value, set_asked

DEFAULT_SUGGESTIONS = 2
LIVE = ("PLAYING", "PAUSED", "BUFFER_UNDERRUN")   # a stream the device will carry on with
END_MARGIN_MS = 1000
PLACE = "place"   # the persistent attribute a user's place is saved in


@dataclass(frozen=True)
class Deps:
    """What handlers need from the app: the playable tracks, where the audio is served,
    therapists' plans and listening history (None where no plans store is configured)."""

    shelf: Shelf
    base_url: str = ""
    """The configured public address; empty when each request names it (see `public_url`)."""
    plans: PlanSource | None = None
    listening: Listening | None = None
    """Listening history (None: nothing is recorded, as on Lambda without a store)."""


def latest_track(handler_input: HandlerInput, deps: Deps,
                 routine_id: str | None) -> Track | None:
    """The newest track of a routine of the library, or of a therapist's plan (`plan:<id>`)
    that is the caller's (its code said by them: session attributes and ids come from
    outside, and name nobody's plan by themselves)."""
    if not routine_id:
        return None
    if is_plan(routine_id):
        return deps.plans.track(routine_id, caller(handler_input)) \
            if deps.plans is not None else None
    return deps.shelf.get(routine_id)


def kept_track(handler_input: HandlerInput, deps: Deps, routine_id: str | None,
               build: str | None) -> Track | None:
    """Build `build` of a routine or plan while it is kept, else its newest (None: gone,
    or a plan that is not the caller's)."""
    latest = latest_track(handler_input, deps, routine_id)
    if latest is None or not build:
        return latest
    return _exactly(handler_input, deps, latest, build) or latest


@dataclass(frozen=True)
class Served:
    """The invocation context the HTTP endpoint passes: the address the request came to."""

    base_url: str


def public_url(handler_input: HandlerInput, deps: Deps) -> str:
    """Where audio links point: the configured address, else the one the request came to."""
    return deps.base_url or getattr(handler_input.context, "base_url", "")


@dataclass
class Place:
    """A user's place in a routine, saved per user so it outlives sessions and devices."""

    routine: str | None = None
    build: str | None = None
    token: str | None = None
    """The token of the stream last sent: events about any other stream are stale."""
    offset_ms: int = 0
    chapter: int = 0
    """The chapter at the offset: where to go back to if the routine is rebuilt meanwhile."""
    playing: bool = False
    finished: list[dict] = field(default_factory=list)
    starts: int = 0
    """Routines this user has started (the first few get tips on asking while one plays)."""
    since_ms: int = 0
    """When (Unix time, ms) the device reported `offset_ms` while playing (0: not playing).
    Whole numbers: Amazon's DynamoDB adapter refuses floats, and reads numbers back as
    Decimal."""
    hurt_at_ms: int = 0
    """When (Unix time, ms) something hurt at this place, until the person chooses between
    skipping the step, carrying on gently and stopping (0: nothing pending). Kept past the
    session: someone in pain may take longer to answer than Alexa listens."""
    # Listening history (issue 14; skill/handlers/records.py): playback events name only
    # the account, so whose session this is, and how far it has got, is kept here.
    history: int = 0
    """The listening session this routine is recorded in (0: none)."""
    listener: str = ""
    """Whose history it is (Caller.listener when it started)."""
    stream_from_ms: int = 0
    """Where the current stream started: only what plays on from there is heard."""
    reach_ms: int = 0
    """The furthest the current stream is known to have played."""
    heard_ms: int = 0
    """What earlier streams of the session played, in all."""
    ends: list[str] = field(default_factory=list)
    """The chapters whose end tone was heard in the session ("<step>:<side>"): a step is
    done when all of its chapters are (skipping to a side skips the one before)."""

    def unfinished(self) -> bool:
        """A routine left part-way through."""
        return bool(self.routine) and self.offset_ms > 0

    def move_to(self, track: Track, offset_ms: int, playing: bool) -> str:
        """Be at `offset_ms` in `track`, in a new stream; returns the stream's token."""
        self.routine, self.build, self.offset_ms, self.playing = \
            track.id, track.build, offset_ms, playing
        self.hurt_at_ms = 0   # playing again is the choice made
        self.since_ms = now_ms() if playing else 0
        self.chapter = track.chapter_at(offset_ms).index
        self.stream_from_ms = self.reach_ms = offset_ms
        self.token = f"{track.token}:{uuid.uuid4().hex[:8]}"
        return self.token

    def follow(self, track: Track, offset_ms: int, playing: bool) -> None:
        """Note where the current stream is, as the device reports it, and when."""
        self.offset_ms, self.playing = offset_ms, playing
        self.chapter = track.chapter_at(offset_ms).index
        self.since_ms = now_ms() if playing else 0

    def estimated_ms(self) -> int:
        """Where the stream is now, as far as a request from another speaker can tell: the
        offset last reported, plus the time since if it was playing then."""
        since = whole(self.since_ms)
        if not self.playing or since <= 0:
            return self.offset_ms
        return self.offset_ms + max(0, now_ms() - since)


def now_ms() -> int:
    """The time now, in whole ms since the Unix epoch."""
    return int(time.time() * 1000)


def whole(value: object) -> int:
    """A saved number as an int (Amazon's DynamoDB adapter gives Decimal); 0 for anything
    else (a bool, a string, a place edited by hand)."""
    # Decimal is no numbers.Real (it does not mix with floats), so it is named here.
    return int(value) if isinstance(value, numbers.Real | Decimal) and \
        not isinstance(value, bool) else 0


def load_place(handler_input: HandlerInput) -> Place:
    """The user's saved place (a new user, or a request naming no user, has none)."""
    if not has_user(handler_input):
        return Place()
    saved = handler_input.attributes_manager.persistent_attributes.get(PLACE, {})
    known = {key: value for key, value in saved.items() if key in Place.__dataclass_fields__}
    return Place(**known)


def save_place(handler_input: HandlerInput, place: Place) -> None:
    """Store the user's place now; a request naming no user stores nothing (such
    requests once added a row with a NULL user id each time)."""
    if not has_user(handler_input):
        return
    manager = handler_input.attributes_manager
    manager.persistent_attributes[PLACE] = asdict(place)
    manager.save_persistent_attributes()


def has_user(handler_input: HandlerInput) -> bool:
    """Whether the request names the Alexa user whose place it is (the endpoint refuses
    envelopes without one; this also holds where nothing checked the envelope first)."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    user = getattr(system, "user", None)
    return bool(getattr(user, "user_id", None))


def finished_now(place: Place) -> Place:
    """The place after the routine has played to its end: recorded, and cleared."""
    record = {"routine": place.routine, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    return Place(finished=[*place.finished, record][-100:])


class Handler(AbstractRequestHandler):
    """A request handler with the app's dependencies."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps


class IntentHandler(Handler):
    """Handles one intent; SLOTS names every slot it reads (kept in sync with the model)."""

    INTENT: str = ""
    SLOTS: tuple[str, ...] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.INTENT)(handler_input)

    def slot(self, handler_input: HandlerInput, name: str) -> str | None:
        """The words said for a slot, or None."""
        if name not in self.SLOTS:
            raise KeyError(f"{type(self).__name__} reads slot {name!r} it does not declare")
        slots = handler_input.request_envelope.request.intent.slots or {}
        slot = slots.get(name)
        return slot.value if slot and slot.value else None

    def resolved(self, handler_input: HandlerInput, name: str) -> str | None:
        """The slot's entity id when Alexa resolved it to one of our values."""
        self.slot(handler_input, name)
        slot = (handler_input.request_envelope.request.intent.slots or {}).get(name)
        resolutions = getattr(slot, "resolutions", None)
        for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
            # A match with no values was seen in fuzzed envelopes; it names nothing.
            if authority.status and authority.status.code and authority.values and \
                    authority.status.code.value == "ER_SUCCESS_MATCH":
                return authority.values[0].value.id
        return None


class EventHandler(Handler):
    """Handles one request type (AudioPlayer, PlaybackController, System)."""

    REQUEST: str = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == self.REQUEST


def device_player(handler_input: HandlerInput, place: Place) -> str | None:
    """This device's player activity when it holds the user's current stream, else None."""
    player = handler_input.request_envelope.context.audio_player
    if player is None or not place.token or player.token != place.token:
        return None
    return player.player_activity.value if player.player_activity else None


def on_this_device(handler_input: HandlerInput, place: Place) -> bool:
    """Whether this device holds the user's stream: playing, paused or stopped on it."""
    return device_player(handler_input, place) in (*LIVE, "STOPPED")


def is_playing_here(handler_input: HandlerInput, place: Place) -> bool:
    """Whether this device was playing the user's routine when they spoke or pressed."""
    return device_player(handler_input, place) in LIVE


def current(handler_input: HandlerInput, deps: Deps) -> tuple[Track | None, int, Place]:
    """The track the user is in, the best-known offset in it, and their saved place."""
    place = load_place(handler_input)
    offset = place.estimated_ms()   # from another speaker: where that one has got to
    here = on_this_device(handler_input, place)
    if here:
        offset = handler_input.request_envelope.context.audio_player.offset_in_milliseconds or 0
    if here:   # how far the stream has got, should another replace it: as reported by
        # the device that holds it (an estimate for another speaker is no listening).
        place.reach_ms = max(whole(place.reach_ms), offset)
    # A stream this device holds is where it is, to its last millisecond: only a place
    # saved at its end means starting again.
    track, offset = placed(handler_input, deps, place, offset, ended_means_start=not here)
    return track, offset, place


def at_end(track: Track | None, offset_ms: int) -> bool:
    """Whether `current`'s answer is the last second of the track: a stream this device
    holds, ending (elsewhere `current` has already moved a place at the end to the start).
    A question there is about a routine that has ended, not one to replay."""
    return track is not None and offset_ms >= track.duration_ms - END_MARGIN_MS


def placed(handler_input: HandlerInput, deps: Deps, place: Place, offset_ms: int,
           ended_means_start: bool = True) -> tuple[Track | None, int]:
    """Where to carry on from `offset_ms` of the place's build: that build while it is kept
    (the offset means what it meant there), else the start of the same chapter in the
    current build; once the end was reached, the start of the current build (with
    `ended_means_start`), else the track's last millisecond."""
    latest = latest_track(handler_input, deps, place.routine)
    if latest is None:
        return None, 0
    track = _exactly(handler_input, deps, latest, place.build) if place.build else latest
    if track is None:
        # Its build is gone: the old offset means nothing in the new timeline; its chapter does.
        track = latest
        offset_ms = latest.chapters[min(place.chapter, len(latest.chapters) - 1)].start_ms
    if offset_ms >= track.duration_ms - END_MARGIN_MS:
        if not ended_means_start:
            return track, min(offset_ms, track.duration_ms - 1)
        return latest, 0   # it had played to the end: carrying on means starting again
    return track, offset_ms


def _exactly(handler_input: HandlerInput, deps: Deps, latest: Track,
             build: str) -> Track | None:
    """Build `build` of `latest`'s routine or plan, or None when it is not kept."""
    if latest.build == build:
        return latest
    if is_plan(latest.id):
        return deps.plans.track(latest.id, caller(handler_input), build) \
            if deps.plans is not None else None
    return deps.shelf.kept(latest.id, build)


def builds_in_use(database: Path) -> set[str]:
    """The builds the places saved in `database` refer to: what must be kept for them to
    resume exactly (read only; raises sqlite3.Error for a file that is not one of ours)."""
    return saved_values(database, f"$.{PLACE}.build")


def supports_audio(handler_input: HandlerInput) -> bool:
    """Whether the device can play long-form audio."""
    device = handler_input.request_envelope.context.system.device
    interfaces = device.supported_interfaces if device else None
    return bool(interfaces and interfaces.audio_player is not None)


def intent_name(handler_input: HandlerInput) -> str:
    """The intent of an IntentRequest."""
    return get_intent_name(handler_input)


def shortest_first(tracks) -> list[Track]:
    """Tracks ordered by length, so trying one is easy."""
    return sorted(tracks, key=lambda t: t.duration_ms)


def suggestions(deps: Deps, count: int = DEFAULT_SUGGESTIONS,
                leave_out: set[str] | frozenset[str] = frozenset()) -> list[Track]:
    """Routines to suggest: the shortest not in `leave_out` (any, if that leaves none)."""
    # Asked on every launch: sorted once per version of the tracks.
    tracks = deps.shelf.derived("shortest first", lambda found: shortest_first(found.values()))
    return ([t for t in tracks if t.id not in leave_out] or tracks)[:count]


def first_title(deps: Deps) -> str:
    """The title to use in "you can say, start ..." hints."""
    picks = suggestions(deps, 1)
    return picks[0].routine.title if picks else "a routine"


def hurting(handler_input: HandlerInput) -> bool:
    """Whether something hurt where the user's routine is paused, and they have not yet
    chosen between skipping the step and carrying on gently (other questions, a session
    that timed out, "stop", or days, may come first: until the routine plays again, "skip"
    means the whole step that hurt)."""
    return whole(load_place(handler_input).hurt_at_ms) > 0


def pain_choice(handler_input: HandlerInput, text: str = "") -> Response:
    """`text`, then the open pain choice asked again (it is what the next answer is to)."""
    set_asked(handler_input, "pain")
    choice = say("pain_choice")
    return handler_input.response_builder.speak(f"{text} {choice}".strip()).ask(choice) \
        .response


def holds_stream(handler_input: HandlerInput, place: Place) -> bool:
    """Whether this device still holds the user's stream where it left it, in this
    session: then carrying on means the exact offset. After the skill was opened anew
    (the welcome offered to carry on) or on another device, the person has been away:
    carrying on starts the step or side again, with its instruction (issue 11)."""
    if session_value(handler_input, RELAUNCHED) is True:
        return False
    return on_this_device(handler_input, place)


def resume_point(handler_input: HandlerInput, track: Track, offset_ms: int,
                 place: Place) -> int:
    """Where carrying on starts: the exact offset on the device that holds the stream,
    else the start of the chapter (step or side) it is in."""
    if holds_stream(handler_input, place):
        return offset_ms
    return track.chapter_at(offset_ms).start_ms


def nothing_built(handler_input: HandlerInput, deps: Deps) -> Response:
    """There are no tracks to play yet: they are being prepared, or need building."""
    status = deps.shelf.build_status()
    if status is not None and status.ready_in_s:
        text = say("preparing_all", wait=wait_words(min(status.ready_in_s.values())))
    else:
        text = say("nothing_built")
    return handler_input.response_builder.speak(text).set_should_end_session(True).response
