"""Issue 11 through the endpoint: questions in the middle of a routine, pain and safety,
choosing from an offer, and carrying on after being away. Each test drives the real app
with signed envelopes from a simulated speaker.

The served library's Calf care: Introduction, Calf roll right side, Calf roll left side,
a rest, Calf press, Finish (tests/served.py)."""

import uuid

from matcoach.app import shelf_of
from skill.device import Device

from ..served import play, speech


def calf(app):
    return shelf_of(app).get("calf-care")


def chapter(app, title):
    return next(c for c in calf(app).chapters if c.title == title)


def start_calf_care(device, into_ms: int):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(into_ms)


def directives(response) -> list[str]:
    return [d["type"] for d in response["response"].get("directives", [])]


# Questions while it plays: answered at the exact offset, then it carries on there.

def test_whats_next_names_the_next_side_and_when_it_starts(device, app):
    right = chapter(app, "Calf roll, right side")
    left = chapter(app, "Calf roll, left side")
    start_calf_care(device, right.start_ms + 5000)
    response = device.intent("WhatsNextIntent")
    wait = round((left.start_ms - right.start_ms - 5000) / 1000)
    assert speech(response) == f"Next, in {wait} seconds: Calf roll, left side."
    assert play(response)["offsetInMilliseconds"] == right.start_ms + 5000
    assert device.activity == "PLAYING"


def test_what_is_this_step_gives_its_name_and_one_sentence(device, app):
    start_calf_care(device, chapter(app, "Calf press").start_ms + 2000)
    response = device.intent("CurrentStepIntent")
    assert speech(response) == "This is Calf press. Press gently."
    assert play(response)["offsetInMilliseconds"] == chapter(app, "Calf press").start_ms + 2000


def test_what_is_this_step_on_the_second_side_says_that_side(device, app):
    start_calf_care(device, chapter(app, "Calf roll, left side").start_ms + 3000)
    said = speech(device.intent("CurrentStepIntent"))
    assert said.startswith("This is Calf roll, left side.")
    # The instruction is written for the first side: it must not be read on the second.
    assert "right" not in said.removeprefix("This is Calf roll, left side.")


def test_which_side_am_i_on(device, app):
    right = chapter(app, "Calf roll, right side")
    start_calf_care(device, right.start_ms + 1000)
    said = speech(device.intent("WhichSideIntent"))
    assert said.startswith("You're on the right side of Calf roll. Then the left side, in ")
    device.wait(chapter(app, "Calf roll, left side").start_ms - right.start_ms)
    assert speech(device.intent("WhichSideIntent")) == (
        "You're on the left side of Calf roll. That's the last side of this step.")
    device.wait(chapter(app, "Calf press").start_ms + 1000 - device.offset_ms)
    assert speech(device.intent("WhichSideIntent")) == \
        "Calf press isn't done one side at a time."


def test_how_long_is_left_in_the_step_and_the_routine(device, app):
    start_calf_care(device, chapter(app, "Calf press").start_ms)
    response = device.intent("TimeLeftIntent")
    assert speech(response).endswith("left in Calf press, and 16 seconds left in the routine.")
    assert play(response)["offsetInMilliseconds"] == chapter(app, "Calf press").start_ms


def test_a_question_in_the_introduction_and_at_the_end(device, app):
    start_calf_care(device, 2000)
    assert speech(device.intent("CurrentStepIntent")).startswith(
        "This is the introduction to Calf care. The first step, Calf roll, right side, "
        "starts in ")
    device.wait(chapter(app, "Finish").start_ms + 500 - device.offset_ms)
    assert speech(device.intent("WhatsNextIntent")).startswith(
        "This is the last part of the routine; it ends in ")


# Pain and safety: pause, the guidance, and a choice.

def test_it_hurts_pauses_and_asks_what_next(device, app):
    start_calf_care(device, chapter(app, "Calf roll, right side").start_ms + 4000)
    response = device.intent("PainIntent")
    said = speech(response)
    assert "AudioPlayer.Stop" in directives(response) and device.activity == "STOPPED"
    assert said.startswith("I've paused it. Ease off the pressure and breathe.")
    assert "sharp, shooting or burning pain, numbness or tingling" in said
    assert said.endswith("Would you like to skip this step, carry on gently, or stop?")
    assert response["response"]["shouldEndSession"] is False


def test_skip_this_step_after_pain_skips_every_side_of_it(device, app):
    start_calf_care(device, chapter(app, "Calf roll, right side").start_ms + 4000)
    device.intent("PainIntent")
    skipped = device.intent("AMAZON.NextIntent")
    # Past the left side too: the rest after Calf roll.
    assert play(skipped)["offsetInMilliseconds"] == chapter(app, "Rest").start_ms
    assert speech(skipped) == "Next: a rest."


def test_carry_on_gently_after_pain_resumes_the_same_moment(device, app):
    at = chapter(app, "Calf roll, right side").start_ms + 4000
    start_calf_care(device, at)
    device.intent("PainIntent")
    carried_on = device.intent("AMAZON.ResumeIntent")
    assert play(carried_on)["offsetInMilliseconds"] == at
    assert speech(carried_on) == ("Carrying on gently. Use less pressure, and stop whenever "
                                  "you need to.")


def test_stop_or_no_after_pain_keeps_the_place(device, app):
    start_calf_care(device, chapter(app, "Calf press").start_ms + 1000)
    device.intent("SafetyIntent")
    said = speech(device.intent("AMAZON.StopIntent"))
    assert said == "Alright, I've stopped. Your place is kept for next time. Take care."
    assert device.session_id is None
    # Opened again soon after: the choice is still to be made, at the same place.
    welcome = speech(device.launch())
    assert welcome == ("Welcome back to Mat Coach. Something hurt at Calf press, so I paused "
                       "it there. Would you like to skip this step, carry on gently, or stop?")
    gently = device.intent("AMAZON.ResumeIntent")
    assert speech(gently).startswith("Carrying on gently.")
    assert play(gently)["offsetInMilliseconds"] == chapter(app, "Calf press").start_ms
    device.intent("PainIntent")
    assert speech(device.intent("AMAZON.NoIntent")).startswith("Alright, it stays paused.")
    assert device.activity == "STOPPED"


def test_a_question_while_something_hurts_ends_with_the_choice_still_to_make(device, app):
    start_calf_care(device, chapter(app, "Calf press").start_ms + 1000)
    device.intent("PainIntent")
    for intent in ("WhatsNextIntent", "WhichSideIntent", "WhatDoINeedIntent"):
        assert speech(device.intent(intent)).endswith(
            "Would you like to skip this step, carry on gently, or stop?"), intent
    # "Yes" answers nothing of that: the choice is asked again; "no" keeps it paused.
    assert speech(device.intent("AMAZON.YesIntent")) == \
        "Would you like to skip this step, carry on gently, or stop?"
    assert speech(device.intent("AMAZON.NoIntent")).startswith("Alright, it stays paused.")


def test_the_pain_choice_outlives_a_session_that_timed_out(device, app):
    start_calf_care(device, chapter(app, "Calf roll, right side").start_ms + 4000)
    device.intent("PainIntent")
    device.session_id = None   # they said nothing for a while: Alexa ended the session
    skipped = device.intent("AMAZON.NextIntent")   # "Alexa, tell Mat Coach skip this step"
    assert play(skipped)["offsetInMilliseconds"] == chapter(app, "Rest").start_ms


def test_is_this_safe_gives_the_steps_own_safety_line(device, app):
    start_calf_care(device, 30_000)
    said = speech(device.intent("SafetyIntent"))
    assert said.startswith("Self-massage should feel like a dull, tender pressure")
    assert "check with your therapist or doctor first" in said


def test_pain_with_nothing_playing_gives_the_guidance_and_ends(device):
    response = device.intent("PainIntent")
    assert speech(response).startswith("Self-massage should feel like a dull, tender "
                                       "pressure, never sharp")
    assert response["response"]["shouldEndSession"] is True and play(response) is None


# Choosing from an offer.

def test_the_second_one_starts_the_second_routine_offered(device):
    assert speech(device.launch()).endswith("You could try Shoulder knot, or Warm breath. "
                                            "Which would you like?")
    assert play(device.intent("ChooseIntent", {"choice": ("second", "2")}))["token"] \
        .startswith("warm-breath:")


def test_the_last_one_and_number_one_and_yes(device):
    def newcomer() -> Device:
        return Device(skill_id=device.skill_id, send=device.send, length_of=device.length_of,
                      user_id=f"amzn1.ask.account.{uuid.uuid4().hex}")
    # By the slot's id, and by its words when Alexa passes them on unresolved.
    for said, starts in ((("last", "last"), "warm-breath"), (("one", "1"), "shoulder-knot"),
                         (("second", None), "warm-breath")):
        speaker = newcomer()
        speaker.launch()
        assert play(speaker.intent("ChooseIntent", {"choice": said}))["token"] \
            .startswith(f"{starts}:")
    speaker = newcomer()
    speaker.launch()
    # "Yes" to "You could try A, or B" is the first named.
    assert play(speaker.intent("AMAZON.YesIntent"))["token"].startswith("shoulder-knot:")


def test_a_choice_past_the_offer_names_what_was_offered(device):
    device.launch()
    response = device.intent("ChooseIntent", {"choice": ("fifth", "5")})
    assert speech(response) == ("I offered two: Shoulder knot or Warm breath. Which would you "
                                "like?")
    assert response["response"]["shouldEndSession"] is False


def test_a_choice_with_nothing_offered_offers_first(device):
    said = speech(device.intent("ChooseIntent", {"choice": ("second", "2")}))
    assert said.startswith("I haven't offered any routines yet. You could try Shoulder knot")
    assert play(device.intent("ChooseIntent", {"choice": ("second", "2")}))["token"] \
        .startswith("warm-breath:")


# Carrying on after being away, and exactly within the session.

def test_reopening_and_yes_starts_the_side_again_with_its_instruction(device, app):
    left = chapter(app, "Calf roll, left side")
    start_calf_care(device, left.start_ms + 7000)
    device.intent("AMAZON.PauseIntent")
    assert device.offset_ms == left.start_ms + 7000
    welcome = speech(device.launch())
    assert "Last time you stopped at Calf roll, left side, in Calf care." in welcome
    carried_on = device.intent("AMAZON.YesIntent")
    assert play(carried_on)["offsetInMilliseconds"] == left.start_ms
    assert speech(carried_on) == "Carrying on with Calf roll, left side, in Calf care."


def test_pause_and_resume_within_the_session_keeps_the_exact_offset(device, app):
    at = chapter(app, "Calf roll, left side").start_ms + 7000
    start_calf_care(device, at)
    device.intent("AMAZON.PauseIntent")
    resumed = device.intent("AMAZON.ResumeIntent")
    assert play(resumed)["offsetInMilliseconds"] == at
    assert speech(resumed) == ""


def test_resume_on_another_device_starts_the_step_again(device, app):
    at = chapter(app, "Calf press").start_ms + 4000
    start_calf_care(device, at)
    device.intent("AMAZON.PauseIntent")
    kitchen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                     device_id="amzn1.ask.device.KITCHEN")
    resumed = kitchen.intent("AMAZON.ResumeIntent")
    assert play(resumed)["offsetInMilliseconds"] == chapter(app, "Calf press").start_ms
    assert speech(resumed) == "Carrying on with Calf press, in Calf care."


# The first runs teach the one-shot form of a question.

def test_the_first_two_starts_teach_asking_with_the_invocation(device):
    tip = "To ask something while it plays, say, Alexa, ask Mat Coach what's next"
    for _ in range(2):
        said = speech(device.intent("StartRoutineIntent", {"routine": ("warm breath",
                                                                       "warm-breath")}))
        assert tip in said
        device.intent("AMAZON.StopIntent")
        device.launch()
        device.intent("AMAZON.NoIntent")
    third = speech(device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")}))
    assert third.startswith("Starting Calf care.") and tip not in third


# Help, fallback and thanks while a routine plays: the playback commands, and it carries on.

def test_help_and_fallback_during_playback_name_the_playback_commands(device, app):
    start_calf_care(device, 20_000)
    for intent in ("AMAZON.HelpIntent", "AMAZON.FallbackIntent"):
        response = device.intent(intent)
        said = speech(response)
        assert "Alexa, pause" in said and "ask Mat Coach what's next" in said
        assert "start Shoulder knot" not in said
        assert play(response)["offsetInMilliseconds"] == device.offset_ms
        assert device.activity == "PLAYING"
    thanks = device.intent("ThanksIntent")
    assert speech(thanks) == "You're welcome." and play(thanks) is not None
