"""Whole conversations through the Flask test client, signed and verified, as a user has them."""

import sqlite3

from matcoach.app import shelf_of
from skill.handlers.base import Place

from ..served import BASE_URL, launch_envelope, play, speech


def shelf(app):
    return shelf_of(app)


def saved_place(app, device) -> dict:
    with sqlite3.connect(app.config["DATABASE"]) as db:
        row = db.execute("SELECT attributes FROM attributes WHERE user_id = ?",
                         (device.user_id,)).fetchone()
    import json
    return json.loads(row[0])["place"]


def chapters(app, routine_id):
    return shelf(app).get(routine_id).chapters


def test_launch_suggests_the_two_shortest_routines(device):
    said = speech(device.launch())
    assert said == ("Welcome to Mat Coach. Get comfortable on your mat. You could try "
                    "Shoulder knot, or Warm breath. Which would you like?")


def test_start_by_name_plays_from_the_start(device, app):
    device.launch()
    response = device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    track = shelf(app).get("calf-care")
    # The length the voice gave it (about a minute and a half), in whole minutes.
    whole = round(track.duration_ms / 60_000)
    assert 1 <= whole <= 2
    assert speech(response).startswith(
        f"Starting Calf care. It takes about {whole} minute{'s' if whole > 1 else ''}.")
    stream = play(response)
    assert stream["url"] == f"{BASE_URL}/audio/{track.build}/calf-care.mp3"
    assert stream["token"].startswith(f"calf-care:{track.build}:")
    assert stream["offsetInMilliseconds"] == 0
    assert response["response"]["shouldEndSession"] is True
    assert device.activity == "PLAYING"
    assert saved_place(app, device)["routine"] == "calf-care"


def test_start_by_alias_and_by_unresolved_near_words(device):
    by_alias = device.intent("StartRoutineIntent", {"routine": ("calf routine", None)})
    assert play(by_alias)["token"].startswith("calf-care:")
    near = device.intent("StartRoutineIntent", {"routine": ("shoulder knots", None)})
    assert play(near)["token"].startswith("shoulder-knot:")


def test_an_unknown_routine_gets_real_alternatives(device):
    response = device.intent("StartRoutineIntent", {"routine": ("banana bread", None)})
    said = speech(response)
    assert said.startswith("I don't know a routine called banana bread. You could try ")
    assert "Calf care" in said
    assert play(response) is None and response["response"]["shouldEndSession"] is False


def test_recommend_by_time_and_area(device):
    response = device.intent("RecommendIntent", {"minutes": ("10", None),
                                                 "area": ("shoulders", "shoulders")})
    assert speech(response) == "I have one that fits: Shoulder knot. Shall I start it?"
    started = device.intent("AMAZON.YesIntent")
    assert play(started)["token"].startswith("shoulder-knot:")


def test_list_by_equipment_and_goal(device):
    balls = speech(device.intent("ListRoutinesIntent", {"equipment": ("massage ball", None)}))
    assert "Shoulder knot" in balls and "Calf care" not in balls
    everything = speech(device.intent("ListRoutinesIntent"))
    assert everything.startswith("I have 3 routines: ")
    stress = speech(device.intent("RecommendIntent", {"goal": ("stress", "reduce-stress")}))
    assert "Warm breath" in stress
    nothing = speech(device.intent("RecommendIntent", {"minutes": ("0", None)}))
    assert nothing.startswith("I don't have a routine for that. You could try ")


def test_describe_and_what_do_i_need(device):
    described = speech(device.intent("DescribeRoutineIntent",
                                     {"routine": ("warm breath", "warm-breath")}))
    assert described.startswith("Warm breath: Warmth and slow breathing. It takes about")
    assert "you'll need a warm wheat bag, a thin towel, and a yoga mat" in described
    need = speech(device.intent("WhatDoINeedIntent", {"routine": ("shoulder knot", None)}))
    assert need.startswith("For Shoulder knot, you'll need a spiky ball and a wall.")


def test_pause_remembers_the_offset_and_resume_plays_from_it(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(21_500)
    paused = device.intent("AMAZON.PauseIntent")
    assert [d["type"] for d in paused["response"]["directives"]] == ["AudioPlayer.Stop"]
    assert device.activity == "STOPPED"
    assert saved_place(app, device)["offset_ms"] == 21_500
    resumed = device.intent("AMAZON.ResumeIntent")
    assert play(resumed)["offsetInMilliseconds"] == 21_500


def test_next_previous_repeat_and_start_over_seek_to_chapters(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    marks = chapters(app, "calf-care")
    right, left = marks[1], marks[2]
    device.wait(right.start_ms + 1000)
    after_next = device.intent("AMAZON.NextIntent")
    assert play(after_next)["offsetInMilliseconds"] == left.start_ms
    assert speech(after_next) == f"Next: {left.title}."
    device.wait(2000)
    repeat = device.intent("AMAZON.RepeatIntent")   # replays the whole step, from its start
    assert play(repeat)["offsetInMilliseconds"] == right.start_ms
    assert speech(repeat) == f"Again: {right.title}."
    back = device.intent("AMAZON.PreviousIntent")
    assert play(back)["offsetInMilliseconds"] == marks[0].start_ms
    device.wait(marks[-1].start_ms + 100)
    last = device.intent("AMAZON.NextIntent")
    assert speech(last) == "That's the last part of the routine."
    again = device.intent("AMAZON.StartOverIntent")
    assert play(again)["offsetInMilliseconds"] == 0


def test_how_long_is_left_speaks_then_carries_on_at_the_same_place(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    track = shelf(app).get("calf-care")
    at = track.chapters[1].start_ms + 2000
    device.wait(at)
    response = device.intent("TimeLeftIntent")
    left_in_step = (track.chapters[1].end_ms - at) / 1000
    assert speech(response).startswith(f"{round(left_in_step)} seconds left in Calf roll, "
                                       "right side, and ")
    assert speech(response).endswith("left in the routine.")
    assert play(response)["offsetInMilliseconds"] == at


def test_a_finished_routine_is_recorded_and_cleared(device, app):
    device.intent("StartRoutineIntent", {"routine": ("shoulder knot", "shoulder-knot")})
    device.wait(10 * 60_000)
    assert device.activity == "FINISHED"
    place = saved_place(app, device)
    assert place["routine"] is None and place["offset_ms"] == 0
    assert [f["routine"] for f in place["finished"]] == ["shoulder-knot"]
    assert speech(device.launch()).startswith("Welcome to Mat Coach.")


def test_the_place_survives_the_session_and_the_device(device, app, post):
    from skill.device import Device
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(15_000)
    device.intent("AMAZON.PauseIntent")
    # The next day, on the kitchen speaker: same user, another device, a new session.
    kitchen = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                     device_id="amzn1.ask.device.KITCHEN")
    welcome = speech(kitchen.launch())
    chapter = shelf(app).get("calf-care").chapter_at(15_000).title
    said = "the introduction" if chapter == "Introduction" else chapter
    assert welcome == (f"Welcome back to Mat Coach. Last time you stopped at {said}, in "
                       "Calf care. Shall I carry on from there?")
    carried_on = kitchen.intent("AMAZON.YesIntent")
    # A day away: the step (or side) it was in starts again, with its instruction.
    start = shelf(app).get("calf-care").chapter_at(15_000).start_ms
    assert start < 15_000
    assert play(carried_on)["offsetInMilliseconds"] == start
    assert speech(carried_on) == f"Carrying on with {said}, in Calf care."


def test_no_to_carrying_on_offers_something_else(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(5000)
    device.intent("AMAZON.PauseIntent")
    device.launch()
    other = speech(device.intent("AMAZON.NoIntent"))
    assert other == "You could also try Shoulder knot or Warm breath. Which would you like?"


def test_audio_player_and_button_requests_never_get_speech(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(5000)
    device.button("Next")
    device.button("Pause")
    device.button("Play")
    device.report("PlaybackFailed")
    device.button("Previous")
    device.wait(10 * 60_000)
    kinds = [kind for kind, _ in device.heard]
    for kind in ("AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped",
                 "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFinished",
                 "AudioPlayer.PlaybackFailed", "PlaybackController.NextCommandIssued",
                 "PlaybackController.PauseCommandIssued", "PlaybackController.PlayCommandIssued",
                 "PlaybackController.PreviousCommandIssued"):
        assert kind in kinds
    for kind, response in device.heard:
        if kind.startswith(("AudioPlayer.", "PlaybackController.")):
            body = response["response"]
            assert not {"outputSpeech", "reprompt", "card"} & set(body), (kind, body)


def test_the_offset_a_stopped_stream_reports_is_the_one_kept(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(10_000)
    device.offset_ms = 12_345   # the device knows better than the last request's context
    device.report("PlaybackStopped")
    assert saved_place(app, device)["offset_ms"] == 12_345
    assert saved_place(app, device)["playing"] is False


def test_a_replaced_stream_stopping_late_does_not_move_the_place(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(5000)
    device.intent("AMAZON.NextIntent")   # the device reports the old stream stopped at 0:05
    kinds = [kind for kind, _ in device.heard[-3:]]
    assert kinds == ["IntentRequest", "AudioPlayer.PlaybackStopped",
                     "AudioPlayer.PlaybackStarted"]
    assert saved_place(app, device)["offset_ms"] == chapters(app, "calf-care")[1].start_ms


def test_a_failed_stream_keeps_the_place_it_reached(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(7000)
    reply = device.report("PlaybackFailed")
    assert "outputSpeech" not in reply["response"]
    place = saved_place(app, device)
    assert place["offset_ms"] == 7000 and place["playing"] is False
    resumed = device.intent("AMAZON.ResumeIntent")
    assert play(resumed)["offsetInMilliseconds"] == 7000


def test_after_the_end_resume_offers_a_new_start(device):
    device.intent("StartRoutineIntent", {"routine": ("shoulder knot", "shoulder-knot")})
    device.wait(10 * 60_000)
    said = speech(device.intent("AMAZON.ResumeIntent"))
    assert said == "There's no routine playing. Would you like to start Shoulder knot?"
    assert play(device.button("Play")) is None


def test_asking_about_the_routine_playing_carries_on_where_it_was(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(9000)
    response = device.intent("WhatDoINeedIntent")
    assert speech(response) == "For Calf care, you'll need a foam roller and a yoga mat."
    assert play(response)["offsetInMilliseconds"] == 9000
    other = device.intent("DescribeRoutineIntent", {"routine": ("warm breath", "warm-breath")})
    assert speech(other).endswith("Shall I start it?") and play(other) is None
    assert play(device.intent("AMAZON.YesIntent"))["token"].startswith("warm-breath:")


def test_yes_means_the_latest_offer(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(15_000)
    device.intent("AMAZON.PauseIntent")
    assert speech(device.launch()).endswith("Shall I carry on from there?")
    device.intent("DescribeRoutineIntent", {"routine": ("shoulder knot", "shoulder-knot")})
    started = device.intent("AMAZON.YesIntent")
    assert play(started)["token"].startswith("shoulder-knot:")
    assert play(started)["offsetInMilliseconds"] == 0


def test_time_left_while_paused_stays_paused_and_offers_to_carry_on(device):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(30_000)
    device.intent("AMAZON.PauseIntent")
    response = device.intent("TimeLeftIntent")
    assert speech(response).endswith("left in the routine. Shall I carry on?")
    assert play(response) is None and device.activity == "STOPPED"
    # Within the session the stream is where it was: "yes" carries on at the same moment.
    assert play(device.intent("AMAZON.YesIntent"))["offsetInMilliseconds"] == 30_000


def test_a_rebuilt_routine_carries_on_from_the_same_chapter(device, app):
    import json
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(chapters(app, "calf-care")[2].start_ms + 3000)
    device.intent("AMAZON.PauseIntent")
    with sqlite3.connect(app.config["DATABASE"]) as db:
        (saved,) = db.execute("SELECT attributes FROM attributes").fetchone()
        attributes = json.loads(saved)
        attributes["place"]["build"] = "an-older-build"
        db.execute("UPDATE attributes SET attributes = ?", (json.dumps(attributes),))
    resumed = device.intent("AMAZON.ResumeIntent")
    assert play(resumed)["offsetInMilliseconds"] == chapters(app, "calf-care")[2].start_ms


def test_stop_on_another_device_says_goodbye(device, app):
    from skill.device import Device
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    other = Device(skill_id=device.skill_id, send=device.send, user_id=device.user_id,
                   device_id="amzn1.ask.device.OTHER")
    other.launch()
    assert speech(other.intent("AMAZON.StopIntent")) == "Goodbye. Take it easy."


def test_buttons_seek_silently(device, app):
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(1000)
    next_press = device.button("Next")
    assert "outputSpeech" not in next_press["response"]
    assert play(next_press)["offsetInMilliseconds"] == chapters(app, "calf-care")[1].start_ms
    pause_press = device.button("Pause")
    assert "outputSpeech" not in pause_press["response"]
    assert pause_press["response"]["directives"][0]["type"] == "AudioPlayer.Stop"
    play_press = device.button("Play")
    assert "outputSpeech" not in play_press["response"]
    assert play(play_press)["offsetInMilliseconds"] == chapters(app, "calf-care")[1].start_ms


def test_playback_intents_on_a_device_without_a_player(device):
    device.audio_player = False
    response = device.intent("AMAZON.NextIntent")
    assert speech(response).startswith("Sorry, this device can't play routines.")
    assert response["response"]["shouldEndSession"] is True


def test_a_device_without_a_player_hears_the_steps(device):
    device.audio_player = False
    response = device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    said = speech(response)
    assert said.startswith("Sorry, this device can't play long audio, so I'll read you the "
                           "steps of Calf care instead.")
    assert "Step 1, Calf roll, 15 seconds on each side. Roll your right calf." in said
    assert "Step 2, rest for 3 seconds." in said
    assert play(response) is None


def test_stop_pauses_a_playing_routine_and_says_goodbye_otherwise(device, app):
    assert speech(device.intent("AMAZON.StopIntent")) == "Goodbye. Take it easy."
    device.intent("StartRoutineIntent", {"routine": ("calf care", "calf-care")})
    device.wait(4000)
    stopped = device.intent("AMAZON.StopIntent")
    assert stopped["response"]["directives"][0]["type"] == "AudioPlayer.Stop"
    assert saved_place(app, device)["offset_ms"] == 4000
    assert device.intent("AMAZON.CancelIntent")["response"]["shouldEndSession"] is True


def test_loop_and_shuffle_are_politely_not_available(device):
    for intent, feature in [("AMAZON.LoopOnIntent", "looping"), ("AMAZON.LoopOffIntent", "looping"),
                            ("AMAZON.ShuffleOnIntent", "shuffle"),
                            ("AMAZON.ShuffleOffIntent", "shuffle")]:
        assert speech(device.intent(intent)) == f"Sorry, {feature} isn't available in Mat Coach."


def test_help_fallback_and_home(device):
    assert speech(device.intent("AMAZON.HelpIntent")).startswith("Mat Coach guides you")
    assert speech(device.intent("AMAZON.FallbackIntent")).startswith("Sorry, I didn't get that.")
    home = device.intent("AMAZON.NavigateHomeIntent")
    assert "outputSpeech" not in home["response"] and home["response"]["shouldEndSession"]


def test_playback_intents_with_nothing_playing_say_how_to_start(device):
    for intent in ("AMAZON.ResumeIntent", "AMAZON.NextIntent", "TimeLeftIntent",
                   "WhatsNextIntent", "CurrentStepIntent", "WhichSideIntent"):
        said = speech(device.intent(intent))
        assert said == "There's no routine playing. Would you like to start Shoulder knot?"
    assert play(device.intent("AMAZON.YesIntent"))["token"].startswith("shoulder-knot:")


def test_the_place_record_keeps_its_shape(device, app):
    device.intent("StartRoutineIntent", {"routine": ("warm breath", "warm-breath")})
    assert set(saved_place(app, device)) == set(Place.__dataclass_fields__)


def test_equipment_we_do_not_know_matches_nothing(device):
    said = speech(device.intent("ListRoutinesIntent", {"equipment": ("trampoline", None)}))
    assert said.startswith("I don't have a routine for that. You could try ")


def test_an_unknown_name_with_a_body_part_in_it_offers_routines_for_that_part(device):
    said = speech(device.intent("StartRoutineIntent", {"routine": ("my lower back one", None)}))
    assert said == ("I don't know a routine called my lower back one, but for that you could "
                    "try Warm breath. Shall I start it?")
    assert play(device.intent("AMAZON.YesIntent"))["token"].startswith("warm-breath:")


def test_a_near_name_is_enough(device):
    response = device.intent("StartRoutineIntent", {"routine": ("the calf one", None)})
    assert play(response)["token"].startswith("calf-care:")


def test_something_short_offers_the_shortest_first(device):
    said = speech(device.intent("RecommendIntent"))
    assert said == ("The quickest are Shoulder knot, Warm breath, or Calf care. "
                    "Which would you like?")


def test_launch_with_one_routine_offers_it_once(tmp_path, library_dir, tracks_dir):
    """With one routine built (as just after `make run`), launch said "You could try
    Calf care, or Calf care"."""
    import shutil

    from matcoach.app import create_app
    one = tmp_path / "library"
    one.mkdir()
    shutil.copy(library_dir / "calf-care.yaml", one)
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                      "LIBRARY_DIR": str(one), "DATABASE": str(tmp_path / "db.sqlite")})
    reply = app.test_client().post("/alexa", json=launch_envelope()).get_json()
    assert speech(reply) == ("Welcome to Mat Coach. Get comfortable on your mat. You could "
                             "try Calf care. Shall I start it?")
    assert reply["response"]["shouldEndSession"] is False
