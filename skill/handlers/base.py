"""What every handler shares: its dependencies, the user's saved place, slots and offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type, is_intent_name

from ..shelf import Shelf, Track

DEFAULT_SUGGESTIONS = 2


@dataclass(frozen=True)
class Deps:
    """What handlers need from the app: the playable tracks and where the audio is served."""

    shelf: Shelf
    base_url: str


@dataclass
class Place:
    """A user's place in a routine, saved per user so it outlives sessions and devices."""

    routine: str | None = None
    token: str | None = None
    offset_ms: int = 0
    playing: bool = False
    finished: list[dict] = field(default_factory=list)

    def unfinished(self) -> bool:
        """A routine left part-way through."""
        return bool(self.routine) and self.offset_ms > 0


def load_place(handler_input: HandlerInput) -> Place:
    """The user's saved place (a new user has none)."""
    saved = handler_input.attributes_manager.persistent_attributes.get("place", {})
    known = {key: value for key, value in saved.items() if key in Place.__dataclass_fields__}
    return Place(**known)


def save_place(handler_input: HandlerInput, place: Place) -> None:
    """Store the user's place now."""
    manager = handler_input.attributes_manager
    manager.persistent_attributes["place"] = asdict(place)
    manager.save_persistent_attributes()


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
            if authority.status and authority.status.code.value == "ER_SUCCESS_MATCH":
                return authority.values[0].value.id
        return None


class EventHandler(Handler):
    """Handles one request type (AudioPlayer, PlaybackController, System)."""

    REQUEST: str = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return get_request_type(handler_input) == self.REQUEST


def player_offset(handler_input: HandlerInput, track: Track | None) -> int | None:
    """Where the device's player is in `track`, if it is playing or paused in it."""
    player = handler_input.request_envelope.context.audio_player
    if track is None or player is None or not player.token:
        return None
    if player.token.split(":")[0] != track.id:
        return None
    return player.offset_in_milliseconds or 0


def current(handler_input: HandlerInput, deps: Deps) -> tuple[Track | None, int, Place]:
    """The track the user is in, the best-known offset in it, and their saved place."""
    place = load_place(handler_input)
    track = deps.shelf.get(place.routine) if place.routine else None
    if track is None:
        player = handler_input.request_envelope.context.audio_player
        track = deps.shelf.from_token(player.token if player else None)
    offset = player_offset(handler_input, track)
    return track, (place.offset_ms if offset is None else offset), place


def supports_audio(handler_input: HandlerInput) -> bool:
    """Whether the device can play long-form audio."""
    device = handler_input.request_envelope.context.system.device
    interfaces = device.supported_interfaces if device else None
    return bool(interfaces and interfaces.audio_player is not None)


def intent_name(handler_input: HandlerInput) -> str:
    """The intent of an IntentRequest."""
    return get_intent_name(handler_input)


def suggestions(deps: Deps, count: int = DEFAULT_SUGGESTIONS) -> list[Track]:
    """Routines to suggest: the shortest first, so trying one is easy."""
    tracks = sorted(deps.shelf.tracks().values(), key=lambda t: t.duration_ms)
    return tracks[:count]
