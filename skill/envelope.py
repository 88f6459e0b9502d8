"""Is a request body the shape of an Alexa request envelope? Checked before any handler runs.

The ASK SDK's deserializer builds whatever it is given: a correctly signed body with
`"request": []` or `"context": null` reached the verifier and the handlers as lists and
Nones and ended in AttributeError (500), and 355 of 4,446 fuzzed envelopes ended in a
traceback. Here every field the skill reads is checked for its JSON type, so a handler can
trust what it is given, and anything else is answered 400 in one sentence naming the field.

The shape follows Amazon's "Request and Response JSON Reference" and "AudioPlayer Interface
Reference" (developer.amazon.com/docs/alexa/custom-skills/): `version`, `context.System`
with `application.applicationId` and `user.userId` always; `session` on requests made in a
conversation; the fields of each request type. Fields Amazon adds later are let through.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ask_sdk_model import (
    DialogState,
    IntentConfirmationStatus,
    Request,
    SessionEndedErrorType,
    SessionEndedReason,
    SlotConfirmationStatus,
)
from ask_sdk_model.interfaces.audioplayer import ErrorType as PlaybackErrorType
from ask_sdk_model.interfaces.audioplayer import PlayerActivity
from ask_sdk_model.interfaces.system import ErrorType as SystemErrorType
from ask_sdk_model.slu.entityresolution import StatusCode

from .errors import RequestRejected

SILENT_REQUESTS = ("AudioPlayer.", "PlaybackController.", "System.")
"""Request types whose response may hold no speech (the platform refuses it)."""
EMPTY_RESPONSE = {"version": "1.0", "response": {}}
MAX_DEPTH = 32
"""The deepest nesting of objects and lists in an envelope (Alexa's nest about seven deep).
The ASK SDK serializes session attributes back into the reply recursively: 500 nested
lists in them raised RecursionError, a 500."""
MAX_SLOT_CHARS = 500
"""The longest slot value (what a person said for a slot is a few words): a 120 KB value
cost 2.2 s of matching per request."""
_SURROGATE = re.compile("[\ud800-\udfff]")
# The values the ASK SDK's models know, taken from them, so a value it cannot deserialize
# is a 400 naming its field instead of "not an Alexa request envelope".
_ENUMS = {kind: {member.value for member in kind}
          for kind in (PlayerActivity, IntentConfirmationStatus, SlotConfirmationStatus,
                       DialogState, StatusCode, SessionEndedReason, SessionEndedErrorType,
                       PlaybackErrorType, SystemErrorType)}


def loggable(text: object, limit: int = 200) -> str:
    """`text` for one log line: control characters (a newline forges a log line) and
    what cannot be encoded shown as escapes, and cut at `limit` characters."""
    text = str(text)
    shown = text[:limit].encode("unicode_escape", "backslashreplace").decode("ascii")
    return shown + ("..." if len(text) > limit else "")


def check_envelope(envelope: Any) -> None:
    """Raise RequestRejected naming the first field that is missing or of the wrong JSON
    type; return quietly for a well-formed envelope (extra fields are allowed)."""
    _need(envelope, "", dict)
    _check_tree(envelope)
    _need(envelope.get("version"), "version", str)
    system = _need(_need(envelope.get("context"), "context", dict).get("System"),
                   "context.System", dict)
    _identity(system, "context.System")
    _optional(system, "device", "context.System", dict)
    person = _optional(system, "person", "context.System", dict) or {}
    _optional(person, "personId", "context.System.person", str)   # whom a plan is for
    device = system.get("device") or {}
    _optional(device, "deviceId", "context.System.device", str)
    _optional(device, "supportedInterfaces", "context.System.device", dict)
    player = _optional(envelope["context"], "AudioPlayer", "context", dict) or {}
    _audio_fields(player, "context.AudioPlayer")
    _one_of(player, "playerActivity", "context.AudioPlayer", PlayerActivity)
    for name, interface in (device.get("supportedInterfaces") or {}).items():
        _need(interface, f"context.System.device.supportedInterfaces.{_shown(name)}", dict)
    session = _optional(envelope, "session", "", dict)
    if session is not None:
        _identity(session, "session")
        _optional(session, "new", "session", bool)
        _optional(session, "sessionId", "session", str)
        _optional(session, "attributes", "session", dict)
    _request(_need(envelope.get("request"), "request", dict))


def known_request(envelope: dict) -> dict | None:
    """The envelope to dispatch, for a checked envelope.

    Unchanged when the ASK SDK models its request type. For a type it does not (one Alexa
    added after this SDK, or a fuzzer's), which the SDK cannot even deserialize: None
    where the platform allows no speech in the answer (SILENT_REQUESTS: answer with
    EMPTY_RESPONSE), else the same envelope asking AMAZON.FallbackIntent, so the person
    hears what they can say instead of an error.
    """
    request = envelope["request"]
    if request["type"] in Request.discriminator_value_class_map:
        return envelope
    if request["type"].startswith(SILENT_REQUESTS):
        return None
    fallback = {"type": "IntentRequest", "requestId": request["requestId"],
                "timestamp": request["timestamp"], "locale": request.get("locale"),
                "intent": {"name": "AMAZON.FallbackIntent", "confirmationStatus": "NONE",
                           "slots": {}}}
    return {**envelope, "request": fallback}


def _check_tree(document: object) -> None:
    """RequestRejected when `document` nests deeper than MAX_DEPTH, or holds text (a value
    or a key) with a lone surrogate, which JSON's "\\ud800" escapes can carry and no
    database, log or reply can encode (a userId of one ended in UnicodeEncodeError in
    the store). Walked with a stack, not recursion."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RequestRejected(f"the body nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            texts, children = list(value), list(value.values())
        else:
            texts, children = [], value
        texts += [c for c in children if isinstance(c, str)]
        if any(not t.isascii() and _SURROGATE.search(t) for t in texts):
            raise RequestRejected("the body holds text that is not Unicode (a lone "
                                  "surrogate)")
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, dict | list))


def _identity(part: dict, where: str) -> None:
    """applicationId and userId, both text, both required where `part` is present."""
    application = _need(part.get("application"), f"{where}.application", dict)
    _need(application.get("applicationId"), f"{where}.application.applicationId", str)
    user = _need(part.get("user"), f"{where}.user", dict)
    user_id = _need(user.get("userId"), f"{where}.user.userId", str)
    if not user_id.strip():
        raise RequestRejected(f"{where}.user.userId is empty")


def _request(request: dict) -> None:
    kind = _need(request.get("type"), "request.type", str)
    _need(request.get("requestId"), "request.requestId", str)
    try:
        datetime.fromisoformat(_need(request.get("timestamp"), "request.timestamp", str))
    except ValueError:
        raise RequestRejected("request.timestamp is not an ISO 8601 time") from None
    _optional(request, "locale", "request", str)
    if kind == "IntentRequest":
        _one_of(request, "dialogState", "request", DialogState)
        intent = _need(request.get("intent"), "request.intent", dict)
        _need(intent.get("name"), "request.intent.name", str)
        _one_of(intent, "confirmationStatus", "request.intent", IntentConfirmationStatus)
        slots = _optional(intent, "slots", "request.intent", dict) or {}
        for name, slot in slots.items():
            _slot(slot, f"request.intent.slots.{_shown(name)}")
    elif kind.startswith("AudioPlayer."):
        _audio_fields(request, "request")
        _error(request, "request", PlaybackErrorType)
        state = _optional(request, "currentPlaybackState", "request", dict) or {}
        _audio_fields(state, "request.currentPlaybackState")
        _one_of(state, "playerActivity", "request.currentPlaybackState", PlayerActivity)
    elif kind == "SessionEndedRequest":
        _one_of(request, "reason", "request", SessionEndedReason)
        _error(request, "request", SessionEndedErrorType)
    elif kind == "System.ExceptionEncountered":
        _error(request, "request", SystemErrorType)
        cause = _optional(request, "cause", "request", dict) or {}
        _optional(cause, "requestId", "request.cause", str)


def _slot(slot: Any, where: str) -> None:
    _need(slot, where, dict)
    if len(_optional(slot, "value", where, str) or "") > MAX_SLOT_CHARS:
        raise RequestRejected(f"{where}.value is longer than {MAX_SLOT_CHARS} characters")
    _one_of(slot, "confirmationStatus", where, SlotConfirmationStatus)
    resolutions = _optional(slot, "resolutions", where, dict) or {}
    authorities = _optional(resolutions, "resolutionsPerAuthority", f"{where}.resolutions",
                            list) or []
    for i, authority in enumerate(authorities):
        at = f"{where}.resolutions.resolutionsPerAuthority[{i}]"
        _need(authority, at, dict)
        status = _need(authority.get("status"), f"{at}.status", dict)
        _need(status.get("code"), f"{at}.status.code", str)
        _one_of(status, "code", f"{at}.status", StatusCode)
        for j, value in enumerate(_optional(authority, "values", at, list) or []):
            inner = _need(_need(value, f"{at}.values[{j}]", dict).get("value"),
                          f"{at}.values[{j}].value", dict)
            _need(inner.get("name"), f"{at}.values[{j}].value.name", str)
            _need(inner.get("id"), f"{at}.values[{j}].value.id", str)


def _error(request: dict, where: str, kinds: type) -> None:
    """An `error` object, when present: its type one of `kinds`, its message text."""
    error = _optional(request, "error", where, dict) or {}
    _one_of(error, "type", f"{where}.error", kinds)
    _optional(error, "message", f"{where}.error", str)


def _audio_fields(part: dict, where: str) -> None:
    _optional(part, "token", where, str)
    offset = part.get("offsetInMilliseconds")
    if offset is not None and (isinstance(offset, bool) or not isinstance(offset, int)
                               or offset < 0):
        raise RequestRejected(f"{where}.offsetInMilliseconds is not a whole number of "
                              "milliseconds from 0")


_NAMES = {dict: "an object", list: "a list", str: "text", bool: "true or false"}


def _need(value: Any, where: str, kind: type) -> Any:
    if value is None:
        raise RequestRejected(f"{where or 'the body'} is missing")
    if not isinstance(value, kind):
        raise RequestRejected(f"{where or 'the body'} is not {_NAMES[kind]}")
    return value


def _one_of(part: dict, key: str, where: str, enum: type) -> None:
    """part[key], when present, is one of the values of the SDK's `enum`."""
    value = _optional(part, key, where, str)
    if value is not None and value not in _ENUMS[enum]:
        raise RequestRejected(f"{where}.{key} is not one of {', '.join(sorted(_ENUMS[enum]))}")


def _shown(name: str) -> str:
    """A key from the request, as it may appear in a message: 40 characters at most."""
    return name if len(name) <= 40 else name[:40] + "..."


def _optional(part: dict, key: str, where: str, kind: type) -> Any:
    """part[key] when present and not null, checked for `kind`; else None."""
    value = part.get(key)
    return None if value is None else _need(value, f"{where}.{key}".lstrip("."), kind)
