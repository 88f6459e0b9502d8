"""Conversation hygiene (issue 11): the microphone stays open only after a question. Every
intent of the model, and the launch, is said in every state a person can be in (nothing
yet, just offered something, a routine playing, paused, after "it hurts", on a device
without a player); every answer that leaves the session open must end with a question, and
so must its reprompt. The walk must reach every handler of the skill."""

import uuid

import pytest

from skill import handlers
from skill.device import Device
from skill.models import SLOT_TYPES, interaction_model

from ..served import speech

SLOT_VALUES = {
    "routine": ("calf care", "calf-care"), "equipment": ("foam roller", "foam-roller"),
    "area": ("calves", "calves"), "goal": ("stress", "reduce-stress"),
    "level": ("gentle", "gentle"), "minutes": ("10", None), "choice": ("second", "2"),
    "code": ("481516", None),
}
STATES = ("fresh", "offered", "playing", "paused", "hurt", "no player")


def in_state(device: Device, state: str) -> Device:
    if state == "offered":
        device.launch()
    elif state in ("playing", "paused", "hurt"):
        device.intent("StartRoutineIntent", {"routine": SLOT_VALUES["routine"]})
        device.wait(30_000)
        if state == "paused":
            device.intent("AMAZON.PauseIntent")
        elif state == "hurt":
            device.intent("PainIntent")
    return device


def requests(model: dict) -> list[tuple[str, dict]]:
    """Every intent, with every slot it has filled, and the launch."""
    intents = model["interactionModel"]["languageModel"]["intents"]
    said = [(intent["name"], {slot["name"]: SLOT_VALUES[slot["name"]]
                              for slot in intent.get("slots", [])}) for intent in intents]
    said += [(intent["name"], {}) for intent in intents if intent.get("slots")]
    return [("LaunchRequest", {}), *said]


def question_problems(response: dict) -> list[str]:
    body = response.get("response", {})
    if body.get("shouldEndSession", True) is not False:
        return []
    problems = []
    said = speech(response)
    if not said.endswith("?"):
        problems.append(f"keeps the microphone open after {said!r}")
    reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")
    if not reprompt.rstrip("</speak>").rstrip().endswith("?"):
        problems.append(f"reprompts with {reprompt!r}")
    return problems


@pytest.fixture
def handled(monkeypatch) -> set[str]:
    """The names of the handlers that answered a request, recorded as they do."""
    seen: set[str] = set()
    # Every class of ours that defines handle, shared bases too (each records the handler).
    defining = {base for cls in handlers.HANDLERS for base in cls.__mro__
                if "handle" in vars(base) and base.__module__.startswith("skill.")}
    for cls in defining:
        monkeypatch.setattr(cls, "handle", _recording(vars(cls)["handle"], seen))
    return seen


def _recording(handle, seen: set[str]):
    def recording(self, handler_input):
        seen.add(type(self).__name__)
        return handle(self, handler_input)
    return recording


def test_no_answer_leaves_the_microphone_open_without_a_question(device, app, handled):
    from matcoach.app import shelf_of
    model = interaction_model(shelf_of(app).library)
    problems = []
    for state in STATES:
        for name, slots in requests(model):
            speaker = Device(skill_id=device.skill_id, send=device.send,
                             length_of=device.length_of,
                             user_id=f"amzn1.ask.account.{uuid.uuid4().hex}",
                             audio_player=state != "no player")
            in_state(speaker, state)
            seen = len(speaker.heard)
            if name == "LaunchRequest":
                speaker.launch()
            else:
                speaker.intent(name, slots)
            speaker.button("Next")
            speaker.wait(10 * 60_000)   # to the end: PlaybackNearlyFinished and Finished
            for kind, response in speaker.heard[seen:]:
                problems += [f"{state}, {name} {sorted(slots)} ({kind}): {p}"
                             for p in question_problems(response)]
    assert not problems, "\n".join(problems)
    # Events only a device sends on its own, each once.
    speaker = in_state(Device(skill_id=device.skill_id, send=device.send,
                              length_of=device.length_of), "playing")
    speaker.report("PlaybackFailed")
    for command in ("Play", "Pause", "Previous"):
        speaker.button(command)
    speaker._deliver(speaker._envelope({"type": "SessionEndedRequest",
                                        "reason": "USER_INITIATED"}, with_session=True))
    speaker._deliver(speaker._envelope({"type": "System.ExceptionEncountered",
                                        "error": {"type": "INVALID_RESPONSE", "message": "x"},
                                        "cause": {"requestId": "r1"}}, with_session=False))
    speaker.disable_skill()
    every = {cls.__name__ for cls in handlers.HANDLERS} - {"AnyOtherRequestHandler"}
    assert every - handled == set()
    assert set(SLOT_TYPES) == set(SLOT_VALUES)
