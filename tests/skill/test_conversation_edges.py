"""Where the conversation of issue 11 went wrong for a fresh tester: the pain choice
forgotten after another turn, questions in the last second restarting the routine, heat
and feeling unwell not understood, opening the skill mid-routine, answers about the wrong
routine, and forged session attributes. Each through the endpoint, as a speaker sends it."""

import json
import uuid
from decimal import Decimal

import pytest

from builder.library import load_library
from matcoach.app import shelf_of
from skill.device import Device
from skill.models import interaction_model
from skill.nlu import Matcher

from ..served import play, speech


def chapter(app, title, routine="calf-care"):
    return next(c for c in shelf_of(app).get(routine).chapters if c.title == title)


def newcomer(device, **extra) -> Device:
    return Device(skill_id=device.skill_id, send=device.send, length_of=device.length_of,
                  user_id=f"amzn1.ask.account.{uuid.uuid4().hex}", **extra)


def hurt_in_calf_roll(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(chapter(app, "Calf roll, right side").start_ms + 4000)
    device.intent("PainIntent")


@pytest.mark.parametrize("between", ["AMAZON.YesIntent", "AMAZON.HelpIntent",
                                     "AMAZON.FallbackIntent", "WhichSideIntent"])
def test_the_pain_choice_stays_open_until_it_is_made(device, app, between):
    hurt_in_calf_roll(device, app)
    device.intent(between)
    skipped = device.intent("AMAZON.NextIntent")
    # "Skip this step" still skips every side of the step that hurt.
    assert play(skipped)["offsetInMilliseconds"] == chapter(app, "Rest").start_ms


def test_help_while_something_hurts_explains_the_choice(device, app):
    hurt_in_calf_roll(device, app)
    said = speech(device.intent("AMAZON.HelpIntent"))
    assert said.startswith("Say, skip this step, to go on to the next one")
    assert said.endswith("Would you like to skip this step, carry on gently, or stop?")
    assert speech(device.intent("AMAZON.StopIntent")).startswith("Alright, I've stopped.")


def test_a_question_in_the_last_second_does_not_start_the_routine_again(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    length = shelf_of(app).get("calf-care").duration_ms
    device.wait(length - 500)
    for intent in ("WhatsNextIntent", "TimeLeftIntent", "ThanksIntent", "PainIntent"):
        response = device.intent(intent)
        assert play(response) is None, intent
        assert response["response"]["shouldEndSession"] is True


@pytest.mark.parametrize("words", ["it's too hot", "it burns", "the wheat bag is too hot",
                                   "i feel dizzy", "i'm feeling sick"])
def test_heat_and_feeling_unwell_are_heard_as_pain(words):
    understood = Matcher(interaction_model(load_library())).understand(words)
    assert understood.intent == "PainIntent"


def test_pain_on_a_heat_step_says_to_take_the_bag_off(device, app):
    device.intent("StartRoutineIntent", {"routine": ("warm breath", "warm-breath")})
    device.wait(chapter(app, "Breathe with the warmth", "warm-breath").start_ms + 3000)
    said = speech(device.intent("PainIntent"))
    assert "take it off if it feels hot" in said
    assert "If you feel dizzy, faint or sick" in said


def test_opening_the_skill_while_a_routine_plays_offers_to_carry_on_there(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(40_000)
    welcome = speech(device.launch())
    assert welcome == ("Welcome to Mat Coach. You're in Calf care, at Calf roll, right side. "
                       "Shall I carry on?")
    assert play(device.intent("AMAZON.YesIntent"))["offsetInMilliseconds"] == 40_000


def test_what_do_i_need_is_about_the_routine_just_described(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(35_000)
    device.intent("AMAZON.PauseIntent")
    device.launch()
    device.intent("DescribeRoutineIntent", {"routine": ("warm breath", "warm-breath")})
    said = speech(device.intent("WhatDoINeedIntent"))
    assert said.startswith("For Warm breath, you'll need")


def test_after_reopening_answers_are_about_where_it_will_carry_on(device, app):
    right = chapter(app, "Calf roll, right side")
    left = chapter(app, "Calf roll, left side")
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(right.start_ms + 9000)
    device.intent("AMAZON.PauseIntent")
    device.launch()
    said = speech(device.intent("WhichSideIntent"))
    wait = round((left.start_ms - right.start_ms) / 1000)
    assert said.startswith(f"You're on the right side of Calf roll. Then the left side, in "
                           f"{wait} seconds.")
    assert play(device.intent("AMAZON.YesIntent"))["offsetInMilliseconds"] == right.start_ms


def test_a_level_asked_for_is_kept_to(device):
    said = speech(device.intent("RecommendIntent", {"level": ("deep", "deep")}))
    assert said == "I have one that fits: Shoulder knot. Shall I start it?"
    # "More" after the only fit says so, and offers it again.
    assert speech(device.intent("MoreIntent")) == ("That's the only one that fits: Shoulder "
                                                    "knot. Shall I start it?")


def test_no_to_the_welcome_does_not_claim_a_fit(device):
    device.launch()
    said = speech(device.intent("AMAZON.NoIntent"))
    # Calf care was not asked for: it is another idea, not "one that fits".
    assert said == "You could also try Calf care. Shall I start it?"


def test_a_device_without_a_player_is_not_offered_to_carry_on(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(20_000)
    device.intent("AMAZON.PauseIntent")
    screen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                    device_id="amzn1.ask.device.NO-PLAYER", audio_player=False)
    assert speech(screen.launch()).startswith("Welcome to Mat Coach. Get comfortable")


def test_describing_a_routine_we_do_not_have_says_so(device):
    said = speech(device.intent("DescribeRoutineIntent", {"routine": ("banana bread", None)}))
    assert said.startswith("I don't know a routine called banana bread. You could try ")


def test_forged_session_attributes_are_dropped_not_echoed(device, post):
    device.launch()
    envelope = device._envelope({"type": "IntentRequest", "intent": {
        "name": "AMAZON.StopIntent", "confirmationStatus": "NONE", "slots": {}}},
        with_session=True)
    envelope["session"]["attributes"] = {"more": ["x" * 60] * 300, "offered": 5,
                                         "asked": {"a": 1}, "junk": "y" * 2000}
    reply = post(envelope)
    assert reply.status_code == 200
    echoed = reply.get_json().get("sessionAttributes") or {}
    assert len(json.dumps(echoed)) < 4000
    assert "junk" not in echoed and "offered" not in echoed and "asked" not in echoed


@pytest.mark.parametrize("words, intent", [
    ("i have one minute", "RecommendIntent"),
    ("am i on the left side", "WhichSideIntent"),
    ("is it safe during pregnancy", "SafetyIntent"),
    ("stop it hurts", "PainIntent"),
    ("my hand is tingling", "PainIntent"),
    ("i can't feel my foot", "PainIntent"),
    ("sharp pain", "PainIntent"),
    ("yes carry on gently", "AMAZON.ResumeIntent"),
    ("yes carry on", "AMAZON.ResumeIntent"),
    ("gently", "AMAZON.ResumeIntent"),
    ("skip the step", "AMAZON.NextIntent"),
    ("stop please", "AMAZON.StopIntent"),
    ("i want to stop", "AMAZON.StopIntent"),
    ("which leg", "WhichSideIntent"),
    ("how long for this side", "TimeLeftIntent"),
])
def test_phrasings_a_tester_used(words, intent):
    assert Matcher(interaction_model(load_library())).understand(words).intent == intent


def test_a_complaint_in_the_middle_of_a_routine_is_pain(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(30_000)
    response = device.intent("RecommendIntent", {"area": ("back", "back")})   # "my back hurts"
    assert speech(response).startswith("I've paused it.")
    assert device.activity == "STOPPED" and play(response) is None


def test_navigation_in_the_last_second_does_not_start_the_routine_again(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    length = shelf_of(app).get("calf-care").duration_ms
    device.wait(length - 500)
    response = device.intent("AMAZON.NextIntent")
    assert speech(response) == "That's the last part of the routine."
    assert play(response)["offsetInMilliseconds"] >= length - 1000


def test_too_hot_leads_with_the_bag(device, app):
    device.intent("StartRoutineIntent", {"routine": ("warm breath", "warm-breath")})
    device.wait(chapter(app, "Breathe with the warmth", "warm-breath").start_ms + 3000)
    said = speech(device.intent("PainIntent"))
    assert said.startswith("I've paused it. If the bag feels too hot or stings, take it off "
                           "now")


def test_a_question_to_another_speaker_is_about_where_the_playing_one_has_got(
        device, app, monkeypatch):
    import sqlite3

    import skill.handlers.base as base
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    with sqlite3.connect(app.config["DATABASE"]) as db:
        (saved,) = db.execute("SELECT attributes FROM attributes").fetchone()
    started = json.loads(saved)["place"]["since_ms"]   # when the speaker said it started
    monkeypatch.setattr(base.time, "time", lambda: (started + 40_000) / 1000)   # 40 s later
    kitchen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                     device_id="amzn1.ask.device.KITCHEN")
    response = kitchen.intent("TimeLeftIntent")
    left = round((shelf_of(app).get("calf-care").duration_ms - 40_000) / 1000)
    assert f"{left} seconds left in the routine" in speech(response)
    assert play(response) is None and response["response"]["shouldEndSession"] is True
    # It cannot pause the speaker that plays: it says how to.
    hurt = speech(kitchen.intent("PainIntent"))
    assert hurt.startswith("Your routine is playing on another speaker: say, Alexa, pause, "
                           "to that one")


def test_what_did_you_say_at_the_pain_choice_repeats_the_guidance_not_the_step(device, app):
    hurt_in_calf_roll(device, app)
    again = device.intent("AMAZON.RepeatIntent")
    assert speech(again).startswith("I've paused it.") and play(again) is None
    assert device.activity == "STOPPED"


def test_the_next_button_after_pain_skips_the_whole_step(device, app):
    hurt_in_calf_roll(device, app)
    pressed = device.button("Next")
    assert play(pressed)["offsetInMilliseconds"] == chapter(app, "Rest").start_ms


def test_skip_days_later_still_skips_the_step_that_hurt(device, app, monkeypatch):
    import skill.handlers.base as base
    hurt_in_calf_roll(device, app)
    later = base.time.time() + 3 * 24 * 3600
    monkeypatch.setattr(base.time, "time", lambda: later)
    device.session_id = None
    welcome = speech(device.launch())
    assert welcome.startswith("Welcome back to Mat Coach. Something hurt at Calf roll, right "
                              "side, so I paused it there.")
    skipped = device.intent("AMAZON.NextIntent")
    assert play(skipped)["offsetInMilliseconds"] == chapter(app, "Rest").start_ms


def test_it_hurts_on_another_speaker_is_noted_for_skip(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(chapter(app, "Calf roll, right side").start_ms + 3000)
    kitchen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                     device_id="amzn1.ask.device.KITCHEN")
    assert speech(kitchen.intent("PainIntent")).startswith(
        "Your routine is playing on another speaker")
    device.intent("AMAZON.PauseIntent")
    skipped = device.intent("AMAZON.NextIntent")   # "Alexa, skip this step", to the first
    assert play(skipped)["offsetInMilliseconds"] == chapter(app, "Rest").start_ms


def test_it_hurts_on_another_speaker_while_paused_offers_the_choice(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(chapter(app, "Calf roll, right side").start_ms + 3000)
    device.intent("AMAZON.PauseIntent")
    kitchen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                     device_id="amzn1.ask.device.KITCHEN", length_of=device.length_of)
    said = speech(kitchen.intent("PainIntent"))
    assert said.startswith("I've paused it.") and said.endswith("or stop?")
    assert play(kitchen.intent("AMAZON.NextIntent"))["offsetInMilliseconds"] == \
        chapter(app, "Rest").start_ms


def test_no_to_carrying_on_with_the_routine_that_plays_stops_it(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(40_000)
    device.launch()
    response = device.intent("AMAZON.NoIntent")
    assert "AudioPlayer.Stop" in [d["type"] for d in response["response"]["directives"]]
    assert device.activity == "STOPPED"


def test_opening_the_skill_on_another_speaker_says_where_it_plays(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    kitchen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                     device_id="amzn1.ask.device.KITCHEN")
    assert speech(kitchen.launch()).startswith(
        "Welcome to Mat Coach. Calf care is playing on another speaker, at ")


@pytest.mark.parametrize("words", ["i'm hurt", "i hurt myself", "it's tingling",
                                   "pause it hurts", "help it hurts", "ouch that's sharp",
                                   "i've got pins and needles", "this hurts my back",
                                   "i can't breathe"])
def test_more_ways_of_saying_it_hurts(words):
    assert Matcher(interaction_model(load_library())).understand(words).intent == "PainIntent"


@pytest.mark.parametrize("said, then", [
    (("first", "1"), "skips"), (("second", "2"), "gently"), (("last", "last"), "stops"),
    (("third", "3"), "stops")])
def test_first_second_or_last_answer_the_pain_choice_in_its_order(device, app, said, then):
    hurt_in_calf_roll(device, app)
    device.session_id = None
    device.launch()   # "... Would you like to skip this step, carry on gently, or stop?"
    response = device.intent("ChooseIntent", {"choice": said})
    stream = play(response)
    if then == "skips":
        assert stream["offsetInMilliseconds"] == chapter(app, "Rest").start_ms
    elif then == "gently":
        assert speech(response).startswith("Carrying on gently.")
    else:
        assert stream is None and speech(response).startswith("Alright, I've stopped.")


def test_an_older_offer_of_the_routine_that_hurt_does_not_carry_on_with_it(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(chapter(app, "Calf roll, right side").start_ms + 4000)
    device.launch()   # "... Shall I carry on?": Calf care is on offer in this session
    device.intent("PainIntent")
    # A reply that is no question of ours about the pain, then "yes" or the routine's name:
    # the choice is asked instead of carrying on with the step that hurt.
    device.intent("DescribeRoutineIntent", {"routine": ("banana bread", None)})
    for intent, slots in (("AMAZON.YesIntent", {}),
                          ("StartRoutineIntent", {"routine": ("calf care", "calf-care")})):
        response = device.intent(intent, slots)
        assert play(response) is None, intent
        assert speech(response).endswith("skip this step, carry on gently, or stop?")


@pytest.mark.parametrize("back", [lambda device: device.intent("AMAZON.PreviousIntent"),
                                  lambda device: device.button("Previous")],
                         ids=["said", "the previous button"])
def test_back_after_pain_on_the_second_side_goes_before_the_step(device, app, back):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(chapter(app, "Calf roll, left side").start_ms + 3000)
    device.intent("PainIntent")
    assert play(back(device))["offsetInMilliseconds"] == chapter(app, "Introduction").start_ms


def test_hold_on_while_the_pain_choice_is_open_says_it_is_paused(device, app):
    hurt_in_calf_roll(device, app)
    said = speech(device.intent("AMAZON.PauseIntent"))
    assert said == "It's paused. Would you like to skip this step, carry on gently, or stop?"


def test_a_level_id_that_is_no_level_of_ours_matches_nothing(device):
    said = speech(device.intent("RecommendIntent", {"level": ("extreme", "extreme")}))
    assert said.startswith("I don't have a routine for that. You could try ")


@pytest.mark.parametrize("saved, read", [
    (Decimal("1765100000123"), 1765100000123), (12, 12), (True, 0), ("12", 0), (None, 0)])
def test_saved_numbers_are_read_as_whole_numbers(saved, read):
    # Amazon's DynamoDB adapter gives every number back as a Decimal.
    from skill.handlers.base import whole
    assert whole(saved) == read


def test_a_place_read_back_from_dynamodb_still_tells_where_the_stream_is(monkeypatch):
    import skill.handlers.base as base
    place = base.Place(offset_ms=5000, playing=True, since_ms=Decimal("1000000"),
                       starts=Decimal("1"))
    monkeypatch.setattr(base.time, "time", lambda: 1003.0)   # 3 s after it was reported
    assert place.estimated_ms() == 8000
