"""What the skill remembers within one session: what it offered, the question it asked,
whether the person came back after time away. The device sends these back with every
request, so they are read as untrusted (SessionState)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput

from ..plans import DIGITS

ASKED = "asked"   # the session attribute naming the question our last reply asked
RELAUNCHED = "relaunched"   # set when the welcome offered to carry on after time away
# The session attributes the skill keeps, with their types (SessionState drops the rest).
SESSION_KEYS = {"offered": list, "more": list, "found": bool, ASKED: str, RELAUNCHED: bool,
                "code": str}   # a share code read back, until "yes" (handlers/therapist.py)


def remember_offer(handler_input: HandlerInput, routine_ids: list[str],
                   more: list[str] | None = None, found: bool = False) -> None:
    """What the person was just offered, in the order said (what "yes", "the second one"
    and "the last one" pick from), the ids that fit but were not said yet (what "more"
    gives next), and whether they were `found` for what was asked (then "more" with none
    left says that was all that fits); the latest offer only. Outside a session (a device's
    own request) there is nothing to remember it in."""
    if handler_input.request_envelope.session is not None:
        attributes = handler_input.attributes_manager.session_attributes
        attributes["offered"], attributes["more"] = routine_ids, more or []
        attributes["found"] = found


def offered(handler_input: HandlerInput, key: str = "offered") -> list[str]:
    """The routine ids offered last in this session (none outside a session); with
    key="more", those that fit but were not said yet. The session attributes come back
    from the device, so anything but a list of ids is ignored."""
    if handler_input.request_envelope.session is None:
        return []
    ids = handler_input.attributes_manager.session_attributes.get(key)
    return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []


class SessionState(AbstractRequestInterceptor):
    """Reads the session attributes the device sends back, which anyone can forge: only our
    keys, of our types and sizes, are kept (every reply echoes them, and Alexa refuses a
    reply over its size limit). The question our last reply asked ("asked") moves to this
    request's attributes: it is what this request answers, and no later one."""

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return
        attributes = handler_input.attributes_manager.session_attributes
        kept = {key: value for key, value in attributes.items()
                if key in SESSION_KEYS and isinstance(value, SESSION_KEYS[key])}
        for key in ("offered", "more"):
            if key in kept:
                kept[key] = [i for i in kept[key] if isinstance(i, str) and len(i) <= 64][:50]
        if len(kept.get("code", "")) > DIGITS:   # a code is six digits: echo nothing longer
            del kept["code"]
        handler_input.attributes_manager.request_attributes[ASKED] = kept.pop(ASKED, None)
        attributes.clear()
        attributes.update(kept)


def asked(handler_input: HandlerInput) -> str | None:
    """The question of ours this request answers ("pain": skip this step, carry on gently,
    or stop?), if our last reply in this session asked one."""
    question = handler_input.attributes_manager.request_attributes.get(ASKED)
    return question if isinstance(question, str) else None


def session_value(handler_input: HandlerInput, key: str) -> object:
    """A session attribute (None outside a session, where there are none)."""
    if handler_input.request_envelope.session is None:
        return None
    return handler_input.attributes_manager.session_attributes.get(key)


def set_session_value(handler_input: HandlerInput, key: str, value: object) -> None:
    """Keep a session attribute for the rest of the session (outside one, nothing is kept:
    ask-sdk refuses session attributes there)."""
    if handler_input.request_envelope.session is not None:
        handler_input.attributes_manager.session_attributes[key] = value


def set_asked(handler_input: HandlerInput, question: str) -> None:
    """Remember which question of ours the next request answers."""
    set_session_value(handler_input, ASKED, question)
