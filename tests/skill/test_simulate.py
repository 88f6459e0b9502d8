"""`matcoach simulate`: typed words go through the real endpoint; speech and playback print."""

import io
import re

import pytest

from matcoach.app import create_app, endpoint_sender, shelf_of
from skill.models import interaction_model
from skill.nlu import Matcher
from skill.simulate import Simulator


@pytest.fixture
def simulator(tmp_path, library_dir, tracks_dir):
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                      "DATABASE": str(tmp_path / "db.sqlite"), "LIBRARY_DIR": str(library_dir),
                      # A store of its own: the suite's data home is shared by every test.
                      "PLANS_URL": f"sqlite:///{tmp_path / 'plans.sqlite'}",
                      "BASE_URL": "https://mat.example.com"})
    out = io.StringIO()
    return Simulator(endpoint_sender(app), shelf_of(app), out), out


def run(simulator, *lines) -> str:
    sim, out = simulator
    sim.run(lines, prompt=False)
    return out.getvalue()


def test_a_whole_session_at_the_terminal(simulator):
    text = run(simulator, "Alexa, open Mat Coach", "start the calf care", ":wait 20s",
               "how long is left", "pause", "resume", "next", ":wait 10m", ":quit", "ignored")
    assert "Alexa: Welcome to Mat Coach." in text
    assert "[StartRoutineIntent {'routine': ('calf care', 'calf-care')}]" in text
    assert "Alexa: Starting Calf care." in text
    assert re.search(r"> plays https://mat\.example\.com/audio/[0-9a-f]{16}/calf-care\.mp3 ", text)
    assert "from 0:00 (Introduction)" in text
    assert "(now at 0:20 of " in text
    assert "left in the routine." in text
    assert "> stops at 0:20 of" in text
    assert "Alexa: Next: " in text
    assert "finished)" in text
    assert "ignored" not in text.split(":quit")[-1]


def test_the_card_of_how_am_i_doing_shows_with_its_link(simulator):
    """Found by a newcomer: the card that links a listener's progress page never showed,
    so its page could not be reached without a real speaker."""
    text = run(simulator, "start the calf care", ":wait 10m", "ask mat coach how am i doing")
    assert re.search(r"> card in the Alexa app: Your progress with Mat Coach: You've done 1 "
                     r"session .* Week by week: https://mat\.example\.com/progress/\S+", text)


def test_asking_through_the_invocation_name(simulator):
    text = run(simulator, "ask mat coach what can I do with a massage ball")
    assert "[ListRoutinesIntent {'equipment': ('massage ball', 'spiky-ball')}]" in text
    assert "Shoulder knot" in text


def test_buttons_and_mistakes(simulator):
    text = run(simulator, "start shoulder knot", ":button next", ":button dance", "flibbertigibbet")
    assert "(buttons are play, pause, next and previous)" in text
    assert "[AMAZON.FallbackIntent]" in text
    assert "Alexa: Sorry, I didn't get that." in text


@pytest.mark.parametrize(("words", "intent", "slots"), [
    ("start the lower back release", "StartRoutineIntent", {"routine": "lower-back-release"}),
    ("play upper back foam rolling", "StartRoutineIntent", {"routine": "foam-roller-upper-back"}),
    ("what can I do with a spiky ball", "ListRoutinesIntent", {"equipment": "spiky-ball"}),
    ("I have ten minutes for my shoulders", "RecommendIntent",
     {"minutes": None, "area": "shoulders"}),
    ("something for stress", "RecommendIntent", {"goal": "reduce-stress"}),
    ("how long is left", "TimeLeftIntent", {}),
    ("repeat that", "AMAZON.RepeatIntent", {}),
    ("pause", "AMAZON.PauseIntent", {}),
    ("what's in the full body thirty", "DescribeRoutineIntent", {"routine": "full-body-thirty"}),
    ("banana", "AMAZON.FallbackIntent", {}),
])
def test_the_model_understands_what_people_say(words, intent, slots):
    from builder.library import load_library
    understood = Matcher(interaction_model(load_library())).understand(words)
    assert understood.intent == intent
    assert {n: s.resolved_id for n, s in understood.slots.items()} == slots


def test_the_simulator_says_when_a_reply_is_not_ssml_alexa_would_take():
    from skill.simulate import _words
    assert _words("<speak>Neck &amp; shoulders</speak>") == "Neck & shoulders"
    assert _words("<speak>Neck & shoulders</speak>").startswith(
        "(not well-formed SSML: Alexa would refuse it)")


def test_the_examples_of_issue_11_at_the_terminal(simulator):
    said = run(simulator, "open mat coach", "the second one", ":wait 20s",
               "alexa ask mat coach what's next", "which side am I on",
               "what is this step", "how long is left in the routine", "hang on a sec",
               "resume", "it hurts", "skip this step", "thank you", "go to the next step",
               "I'm done", "open mat coach", "yes")
    turns = said.split("you> ")[1:]
    heard = {turn.splitlines()[0]: turn for turn in turns}
    assert "> plays" in heard["the second one"] and "warm-breath" in heard["the second one"]
    assert "Alexa: Next, in " in heard["alexa ask mat coach what's next"]
    assert "[WhichSideIntent]" in heard["which side am I on"]
    assert "[CurrentStepIntent]" in heard["what is this step"]
    assert "left in the routine" in heard["how long is left in the routine"]
    assert "> stops at" in heard["hang on a sec"]
    assert "Would you like to skip this step, carry on gently, or stop?" in heard["it hurts"]
    assert "[AMAZON.NextIntent]" in heard["skip this step"]
    assert "You're welcome" in heard["thank you"]
    assert "[AMAZON.NextIntent]" in heard["go to the next step"]
    assert "Alexa:" not in heard["I'm done"].split("[AMAZON.StopIntent]")[0]
