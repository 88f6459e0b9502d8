"""The pure scheduler: exact positions for every cue, and collisions rejected by name."""

import re

import pytest

from builder.errors import ScheduleError
from builder.schedule import (
    AFTER_WORK_MS,
    BREATHE_OFFSET_MS,
    CLEARANCE_MS,
    DEFAULT_LEAD_IN_MS,
    DEFAULT_SWITCH_MS,
    FEEL_AFTER_MS,
    MOVE_MS,
    SPEECH_GAP_MS,
    SWITCH_GAP_MS,
    TITLE_GAP_MS,
    TRACK_LEAD_MS,
    TRACK_TAIL_MS,
    schedule,
    sounds_of,
    timing_warnings,
)
from builder.timeline import Speech, Tone

TONE_MS = {"start": 500, "end": 600, "switch": 400, "halfway": 300, "countdown": 90,
           "every": 400, "pace": 50, "breathe-in": 900, "breathe-out": 900}


def measure(sound):
    """Speech lasts 100 ms a character (long enough to make collisions easy to provoke)."""
    if isinstance(sound, Tone):
        return TONE_MS[sound.name]
    return 100 * len(sound.text)


def one_step(check, step: str, *, extra: str = ""):
    routine, problems = check(f"title: T\nsafety: Careful.\noutro: Bye.\n{extra}steps:\n{step}")
    assert problems == []
    return routine


def cues(timeline, kind=None, step=0):
    return [(e.at_ms, e.text or e.sound.name, e.side) for e in timeline.events
            if (kind is None or e.kind == kind) and e.step == step]


SAFETY_END = TRACK_LEAD_MS + 100 * len("Careful.")
STEP_AT = SAFETY_END + SPEECH_GAP_MS                       # the first step's title
SAY_AT = STEP_AT + 100 * len("Roll.") + TITLE_GAP_MS       # then, after a pause, its words
WORK_AT = SAY_AT + 100 * len("Roll slowly.") + DEFAULT_LEAD_IN_MS

PLAIN = "  - {title: Roll, say: Roll slowly., work: 30s}\n"


def test_a_plain_step_starts_after_its_words_and_lasts_exactly_its_work(check):
    timeline = schedule(one_step(check, PLAIN), measure)
    assert cues(timeline, step=None) == [
        (TRACK_LEAD_MS, "Careful.", None),
        (WORK_AT + 30_000 + 600 + AFTER_WORK_MS, "Bye.", None)]
    assert cues(timeline) == [(STEP_AT, "Roll.", None), (SAY_AT, "Roll slowly.", None),
                              (WORK_AT, "start", None), (WORK_AT + 30_000, "end", None)]
    outro_at = WORK_AT + 30_000 + 600 + AFTER_WORK_MS
    assert timeline.duration_ms == outro_at + 400 + TRACK_TAIL_MS
    assert [(c.title, c.start_ms, c.end_ms, c.step) for c in timeline.chapters] == [
        ("Introduction", 0, STEP_AT, None), ("Roll", STEP_AT, outro_at, 0),
        ("Finish", outro_at, timeline.duration_ms, None)]


def test_lead_in_is_the_time_between_the_words_and_the_start_tone(check):
    timeline = schedule(one_step(check, PLAIN.replace("30s}", "30s, lead_in: 12s}")), measure)
    assert cues(timeline, "start") == [(WORK_AT + 7000, "start", None)]


def test_sides_switch_with_a_chime_words_and_a_transition(check):
    step = "  - {title: Roll, say: Roll slowly., work: 30s, sides: [right, left], switch: 8s}\n"
    timeline = schedule(one_step(check, step), measure)
    side_words_at = SAY_AT + 100 * len("Roll slowly.") + SPEECH_GAP_MS
    right_start = side_words_at + 100 * len("Right side first.") + 5000
    right_end = right_start + 30_000
    switch_at = right_end + 600 + SWITCH_GAP_MS
    left_start = right_end + 8000   # as written, though it leaves 3.3 s to move (a warning)
    assert cues(timeline) == [
        (STEP_AT, "Roll.", "right"), (SAY_AT, "Roll slowly.", "right"),
        (side_words_at, "Right side first.", "right"),
        (right_start, "start", "right"), (right_end, "end", "right"),
        (switch_at, "switch", "left"),
        (switch_at + 400 + 150, "Switch sides. Now your left side.", "left"),
        (left_start, "start", "left"), (left_start + 30_000, "end", "left")]
    assert [(c.title, c.start_ms, c.side) for c in timeline.chapters[1:3]] == [
        ("Roll, right side", STEP_AT, "right"), ("Roll, left side", switch_at, "left")]


@pytest.mark.parametrize(("cue", "kind", "offsets"), [
    ("halfway: true", "halfway", [15_000]),
    ("countdown: 3", "countdown", [27_000, 28_000, 29_000]),
    ("'countdown: {from: 2, spoken: false}'", "countdown", [28_000, 29_000]),
    ("'every: {interval: 8s, say: Slow.}'", "every", [8_000, 16_000, 24_000]),
    ("'every: 12s'", "every", [12_000, 24_000]),
    ("'pace: {interval: 7s}'", "pace", [7_000, 14_000, 21_000, 28_000]),
])
def test_cues_sit_at_exact_offsets_in_the_work(check, cue, kind, offsets):
    step = f"  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues:\n      {cue}\n"
    timeline = schedule(one_step(check, step.replace("'", "")), measure)
    assert [at - WORK_AT for at, _, _ in cues(timeline, kind)] == offsets


def test_countdown_speaks_the_numbers(check):
    step = "  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues: {countdown: 3}\n"
    timeline = schedule(one_step(check, step), measure)
    assert [text for _, text, _ in cues(timeline, "countdown")] == ["three", "two", "one"]


def test_halfway_sounds_on_each_side(check):
    step = ("  - {title: Roll, say: Roll slowly., work: 20s, sides: both, "
            "cues: {halfway: true}}\n")
    timeline = schedule(one_step(check, step), measure)
    starts = [at for at, _, _ in cues(timeline, "start")]
    assert [at for at, _, _ in cues(timeline, "halfway")] == [s + 10_000 for s in starts]


def test_pace_words_alternate_and_give_way_to_other_cues(check):
    step = ("  - title: Roll\n    say: Roll slowly.\n    work: 20s\n    cues:\n"
            "      pace: {interval: 2s, say: [up, down]}\n      halfway: true\n")
    timeline = schedule(one_step(check, step), measure)
    beats = [(at - WORK_AT, text) for at, text, _ in cues(timeline, "pace")]
    # 10 s is the halfway chime; 18 s would run into the end tone (up at 18.0-18.2 s is
    # 1.8 s before the end, so it stays); every beat keeps its place in the up/down cycle.
    assert beats == [(2000, "up"), (4000, "down"), (6000, "up"), (8000, "down"),
                     (12_000, "down"), (14_000, "up"), (16_000, "down"), (18_000, "up")]


def test_the_first_pace_word_heard_is_the_first_word_said_then_they_keep_time(check):
    """"Follow my words: up, then down" must be heard "up" first, also on the side where
    the words on what to feel take the first beat's place; after that a beat lost to
    another cue (the halfway chime at 15 s) does not shift the cycle."""
    step = ("  - title: Roll\n    say: Roll slowly.\n    feel: Dull.\n    work: 30s\n"
            "    sides: both\n    cues:\n      pace: {interval: 3s, say: [up, down]}\n"
            "      halfway: true\n")
    timeline = schedule(one_step(check, step), measure)
    starts = [at for at, _, _ in cues(timeline, "start")]
    right, left = ([(at - start, text) for at, text, side in cues(timeline, "pace")
                    if side == name] for start, name in zip(starts, ("right", "left"), strict=True))
    assert right == [(6000, "up"), (9000, "down"), (12_000, "up"), (18_000, "up"),
                     (21_000, "down"), (24_000, "up"), (27_000, "down")]
    assert left == [(3000, "up"), (6000, "down"), (9000, "up"), (12_000, "down"),
                    (18_000, "down"), (21_000, "up"), (24_000, "down"), (27_000, "up")]


def test_a_step_can_name_its_first_side_in_its_own_words(check):
    step = ("  - {title: Twist, say: Knees to the right., work: 20s, sides: [left, right], "
            "first_say: 'Knees to the {side} first, then the {other}.'}\n")
    said = [text for _, text, _ in cues(schedule(one_step(check, step), measure))
            if text not in ("start", "end", "switch")]
    assert said[2] == "Knees to the left first, then the right."
    one = step.replace("[left, right]", "[left]")
    said = [text for _, text, _ in cues(schedule(one_step(check, one), measure))]
    assert "Only your left side this time." in said and not any("first" in t for t in said)
    _, problems = check("title: T\nsteps:\n  - {title: A, say: B., work: 20s, sides: both, "
                        "first_say: 'The {sid} first.'}\n")
    assert problems and 'first_say: "{sid}" is not a placeholder; use {side} for the side ' \
        "worked first and {other} for the side worked after it, and no other braces." \
        in problems[0]


def test_breathing_is_spoken_first_then_toned(check):
    step = ("  - title: Rest on the bag\n    say: Lie still.\n    work: 40s\n    cues:\n"
            "      breathe: {in: 4s, out: 6s, spoken: 1}\n")
    timeline = schedule(one_step(check, step), measure)
    start = [at for at, _, _ in cues(timeline, "start")][0]
    beats = [(at - start, what) for at, what, _ in cues(timeline, "breathe")]
    first = BREATHE_OFFSET_MS
    assert beats == [(first, "Breathe in."), (first + 4000, "And out."),
                     (first + 10_000, "breathe-in"), (first + 14_000, "breathe-out"),
                     (first + 20_000, "breathe-in"), (first + 24_000, "breathe-out"),
                     (first + 30_000, "breathe-in"), (first + 34_000, "breathe-out")]


def test_a_rest_lasts_exactly_its_time(check):
    timeline = schedule(one_step(check, PLAIN + "  - {rest: 9s, say: Lie flat.}\n"), measure)
    rest = [(at, text) for at, text, _ in cues(timeline, "rest", step=1)]
    rest_at = WORK_AT + 30_000 + 600 + AFTER_WORK_MS
    assert rest == [(rest_at, "Lie flat.")]
    assert cues(timeline, "outro", step=None) == [(rest_at + 9000, "Bye.", None)]


@pytest.mark.parametrize(("step", "message"), [
    ("  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues:\n"
     "      halfway: true\n      every: {interval: 14s, say: Keep breathing slowly.}\n",
     'step 1 (Roll): the every ("Keep breathing slowly.") cue at 14s lasts 2.2s and runs into '
     "the halfway cue at 15s; space the cues further apart"),
    ("  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues:\n"
     "      every: {interval: 12s, say: Keep breathing slowly and deeply.}\n"
     "      countdown: 3\n",
     'step 1 (Roll): the every ("Keep breathing slowly and deeply.") cue at 24s lasts 3.3s and '
     'runs into the countdown ("three") cue at 27s'),
    ("  - {title: Roll, say: Roll slowly., work: 20s, sides: both, switch: 3s}\n",
     "step 1 (Roll): the switch-sides cue needs 5s but switch is 3s; set switch to at least 5s."),
    ("  - {rest: 2s, say: Roll off and lie flat.}\n",
     "step 1 (Rest): the words take 2.2s, longer than the 2s rest"),
])
def test_cues_that_collide_or_cannot_fit_are_rejected_by_name(check, step, message):
    routine = one_step(check, step)
    with pytest.raises(ScheduleError) as caught:
        schedule(routine, measure)
    assert any(p.startswith(message) for p in caught.value.problems), caught.value.problems
    assert re.match(rf"{re.escape(routine.file)}:\d+: step 1 \(", str(caught.value))


def test_a_build_problem_names_the_line_of_the_field_it_is_about(check):
    """Newcomer trial: build said "r.yaml: step 1 (Roll): ..." with no line to go to."""
    routine = one_step(check, (
        "  - title: Roll\n    say: Roll slowly.\n    work: 20s\n    sides: both\n"
        "    switch: 3s\n"                                                  # line 9
        "  - say: Roll off and lie flat.\n    rest: 2s\n"                  # line 11
        "  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues:\n"
        "      halfway: true\n"                                      # cues' first line, 16
        "      every: {interval: 14s, say: Keep breathing slowly.}\n"
        "  - title: Roll\n    say: Roll slowly.\n    feel: A dull ache spreading slowly.\n"
        "    work: 4s\n"))                                                  # line 18
    with pytest.raises(ScheduleError) as caught:
        schedule(routine, measure)
    assert caught.value.lines == [9, 11, 16, 16, 18]   # step 4 has no cues: its own line
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{routine.file}:9: step 1 (Roll): the switch-sides cue needs")
    assert lines[1].startswith(f"{routine.file}:11: step 2 (Rest): the words take")
    assert lines[2].startswith(f"{routine.file}:16: step 3 (Roll): the every")
    assert lines[4].startswith(f"{routine.file}:18: step 4 (Roll): the instruction")


def test_a_build_problem_of_a_routine_not_read_from_a_file_has_no_line(check):
    import dataclasses
    routine = one_step(check, "  - {title: Roll, say: Roll slowly., work: 20s, sides: both, "
                              "switch: 3s}\n")
    with pytest.raises(ScheduleError) as caught:
        schedule(dataclasses.replace(routine, file="", source_lines={}), measure)
    assert caught.value.lines == [None]
    assert str(caught.value).startswith(f"{routine.id}: step 1 (Roll): the switch-sides")


def test_the_sounds_planned_with_guesses_cover_the_real_schedule(check):
    """The build speaks what sounds_of lists with estimates, then schedules with real lengths."""
    step = ("  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    sides: both\n    cues:\n"
            "      halfway: true\n      countdown: 3\n      pace: {interval: 4s, say: [up, down]}\n"
            "      breathe: {in: 4s, out: 6s}\n      every: {interval: 11s, say: Slow.}\n")
    routine = one_step(check, step + "  - rest: 20s\n")

    def short(sound):
        return 40 * len(sound.text) if isinstance(sound, Speech) else 200
    guessed = sounds_of(routine, measure)
    for real in (short, measure):
        assert schedule(routine, real).sounds() <= guessed


def test_the_timeline_is_ordered_and_chapters_tile_the_track(check):
    step = "  - {title: Roll, say: Roll slowly., work: 20s, sides: both, cues: {countdown: 3}}\n"
    timeline = schedule(one_step(check, step + "  - rest: 10s\n" + PLAIN), measure)
    times = [e.at_ms for e in timeline.events]
    assert times == sorted(times)
    chapters = timeline.chapters
    assert chapters[0].start_ms == 0 and chapters[-1].end_ms == timeline.duration_ms
    assert all(a.end_ms == b.start_ms for a, b in zip(chapters, chapters[1:], strict=False))
    assert [(c.step, c.side) for c in chapters] == [
        (None, None), (0, "right"), (0, "left"), (1, None), (2, None), (None, None)]


def test_speech_is_what_the_routine_says(check):
    routine = one_step(check, PLAIN, extra="intro: Hello there.\n")
    texts = [e.text for e in schedule(routine, measure).events if e.text]
    assert texts == ["Careful.", "Hello there.", "Roll.", "Roll slowly.", "Bye."]
    assert Speech("Hello there.") in sounds_of(routine, measure)


def test_cues_at_the_same_moment_are_named_together(check):
    """Validation refuses these first; the scheduler still says so for any Routine it gets."""
    import dataclasses

    from builder.model import Every
    routine = one_step(check, "  - title: Roll\n    say: Roll slowly.\n    work: 30s\n"
                              "    cues: {halfway: true}\n")
    step = routine.steps[0]
    clashing = dataclasses.replace(step, cues=dataclasses.replace(step.cues,
                                                                  every=Every(15_000, ("Slow.",))))
    with pytest.raises(ScheduleError) as caught:
        schedule(dataclasses.replace(routine, steps=(clashing,)), measure)
    assert caught.value.problems[0].startswith(
        'step 1 (Roll): the halfway cue and the every ("Slow.") cue both fall at 15s')


SWITCH_WORDS = "Switch sides. Now your left side."


def side_timeline(check, extra: str = ""):
    step = f"  - {{title: Roll, say: Roll slowly., work: 30s, sides: both{extra}}}\n"
    routine = one_step(check, step)
    timeline = schedule(routine, measure)
    [(right_end, _, _)] = [c for c in cues(timeline, "end") if c[2] == "right"]
    [(left_start, _, _)] = [c for c in cues(timeline, "start") if c[2] == "left"]
    [(words_at, _, _)] = [c for c in cues(timeline, "switch") if c[1] == SWITCH_WORDS]
    return routine, right_end, words_at + 100 * len(SWITCH_WORDS), left_start


def test_by_default_the_next_side_starts_four_seconds_after_the_switch_words(check):
    routine, right_end, words_end, left_start = side_timeline(check)
    assert words_end == right_end + 600 + SWITCH_GAP_MS + 400 + CLEARANCE_MS + 3300
    assert left_start == words_end + MOVE_MS > right_end + DEFAULT_SWITCH_MS
    assert timing_warnings(routine, measure) == []


def test_short_switch_words_still_wait_the_default_switch(check):
    def quick(sound):
        return 10 if isinstance(sound, Speech) else TONE_MS[sound.name]
    routine = one_step(check, "  - {title: Roll, say: Roll., work: 30s, sides: both}\n")
    timeline = schedule(routine, quick)
    [right_end] = [at for at, _, side in cues(timeline, "end") if side == "right"]
    [left_start] = [at for at, _, side in cues(timeline, "start") if side == "left"]
    assert left_start == right_end + DEFAULT_SWITCH_MS


def test_an_explicit_switch_is_kept_as_written_with_a_warning(check):
    routine, right_end, words_end, left_start = side_timeline(check, ", switch: 8s")
    assert left_start == right_end + 8000
    [(index, field, message)] = timing_warnings(routine, measure)
    assert (index, field) == (0, "switch")
    assert message == ("switch 8s leaves about 3.3s after the switch words to change sides; "
                       "leave it out (the default waits 4s after the words) or make it at "
                       "least 9s.")


def test_an_explicit_short_lead_in_is_kept_as_written_with_a_warning(check):
    routine = one_step(check, PLAIN.replace("30s}", "30s, lead_in: 2s}"))
    assert cues(schedule(routine, measure), "start") == [(WORK_AT - 3000, "start", None)]
    assert timing_warnings(routine, measure) == [
        (0, "lead_in", "lead_in 2s leaves less than 4s to get into position after the words; "
         "leave it out (the default, 5s, counts from the end of the words) or make it at "
         "least 4s.")]
    assert timing_warnings(one_step(check, PLAIN), measure) == []


def test_what_to_feel_is_said_once_the_work_has_begun_on_the_first_side_only(check):
    step = ("  - {title: Roll, say: Roll slowly., feel: A dull ache., work: 30s, "
            "sides: both}\n")
    timeline = schedule(one_step(check, step), measure)
    starts = [(at, side) for at, _, side in cues(timeline, "start")]
    feel = [(e.at_ms, e.kind, e.side) for e in timeline.events if e.text == "A dull ache."]
    assert feel == [(starts[0][0] + FEEL_AFTER_MS, "instruction", "right")]


def test_what_to_feel_that_runs_into_a_cue_is_named(check):
    step = ("  - {title: Roll, say: Roll slowly., feel: A dull ache spreading slowly., "
            "work: 30s, cues: {every: 5s}}\n")
    with pytest.raises(ScheduleError) as caught:
        schedule(one_step(check, step), measure)
    assert caught.value.problems == [
        'step 1 (Roll): the instruction ("A dull ache spreading slowly.") cue at 3s lasts 2.9s '
        "and runs into the every cue at 5s; space the cues further apart, shorten the words "
        "or lengthen the work."]


def test_repeated_reminders_take_their_phrasings_in_turn(check):
    step = ("  - title: Roll\n    say: Roll slowly.\n    work: 40s\n    cues:\n"
            "      every: {interval: 8s, say: [Slow., Soft., Easy.]}\n")
    timeline = schedule(one_step(check, step), measure)
    assert [(at - WORK_AT, text) for at, text, _ in cues(timeline, "every")] == [
        (8000, "Slow."), (16_000, "Soft."), (24_000, "Easy."), (32_000, "Slow.")]


def test_a_one_sided_step_says_which_side_and_not_first(check):
    timeline = schedule(one_step(check, PLAIN.replace("30s}", "30s, sides: [left]}")), measure)
    assert [text for _, text, _ in cues(timeline, "instruction")] == [
        "Roll.", "Roll slowly.", "Only your left side this time."]


def test_validate_warns_about_an_author_timing_that_leaves_too_little_time(write):
    from click.testing import CliRunner

    from matcoach.cli import main
    path = write("r.yaml", "title: T\nsteps:\n  - {title: Roll, say: Roll slowly., work: 30s, "
                           "lead_in: 2s}\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"{path}:3: warning: step 1, lead_in: lead_in 2s leaves less than 4s" in result.output
    assert "The routine is valid, with 1 warning." in result.output


def test_a_timing_warning_names_the_line_of_its_key_or_else_of_its_step(write):
    """Newcomer trial: "bad.yaml: warning: step 2, lead_in: ..." gave no line to go to."""
    from click.testing import CliRunner

    from matcoach.cli import main
    path = write("r.yaml", (
        "title: T\nswitch: 2s\nsteps:\n"
        "  - {title: Roll, say: Roll slowly., work: 30s}\n"
        "  - title: Roll\n    say: Roll slowly.\n"
        "    lead_in: 2s\n"                                          # line 7
        "    work: 30s\n"
        "  - title: Roll\n    say: Roll slowly.\n    work: 30s\n"   # step 3 at line 9
        "    sides: both\n"))                                         # switch from the routine
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}:7: warning: step 2, lead_in: lead_in 2s leaves")
    assert lines[1].startswith(f"{path}:9: warning: step 3, switch: switch 2s ")
    assert lines[2] == "The routine is valid, with 2 warnings."


# Boundaries, pinned to the millisecond: each of these let a mutant of the scheduler live
# (`make mutation`), so a comparison flipped or a gap moved by 1 ms now fails a test.

def with_tones(**lengths):
    """The test measure, with some tone lengths changed (ms)."""
    tones = {**TONE_MS, **lengths}

    def custom(sound):
        return tones[sound.name] if isinstance(sound, Tone) else 100 * len(sound.text)
    return custom


@pytest.mark.parametrize(("rest", "fits"), [("1.05s", True), ("1.049s", False)])
def test_a_rest_must_leave_150_ms_after_its_words(check, rest, fits):
    routine = one_step(check, PLAIN + f"  - {{rest: {rest}, say: Lie flat.}}\n")  # 900 ms
    if fits:
        schedule(routine, measure)
        return
    with pytest.raises(ScheduleError) as caught:
        schedule(routine, measure)
    assert caught.value.problems == [
        "step 2 (Rest): the words take 0.9s, longer than the 1.049s rest; lengthen the rest "
        "or shorten the words."]


# The switch words end 1.4 s + 3.3 s after the first side's end tone begins: end tone 600,
# gap 250, switch chime 400, clearance 150, "Switch sides. Now your left side." 3300.
@pytest.mark.parametrize(("switch", "outcome"), [
    ("4.85s", "fits, 0.1s to move"), ("4.849s", "needs 5s"),
    ("8.7s", "fits, 4s to move"), ("8.699s", "fits, 3.9s to move"),
])
def test_an_explicit_switch_at_its_boundaries(check, switch, outcome):
    routine = one_step(check, "  - {title: Roll, say: Roll slowly., work: 30s, sides: both, "
                              f"switch: {switch}}}\n")
    if outcome.startswith("needs"):
        with pytest.raises(ScheduleError) as caught:
            schedule(routine, measure)
        assert caught.value.problems == [
            "step 1 (Roll): the switch-sides cue needs 5s but switch is 4.849s; set switch to "
            "at least 5s."]
        return
    warnings = [message for _, _, message in timing_warnings(routine, measure)]
    if outcome == "fits, 4s to move":
        assert warnings == []
    else:
        assert len(warnings) == 1 and warnings[0].startswith(
            f"switch {switch} leaves about {outcome.split(', ')[1].split(' ')[0]} after")


def test_the_switch_advice_rounds_up_to_a_whole_second_from_the_first_millisecond(check):
    # A 551 ms chime ends "Switch sides..." 4.851 s after the end tone began: with 150 ms
    # of clearance the cue needs 5.001 s, so 6 s is the advice, not 5.
    routine = one_step(check, "  - {title: Roll, say: Roll slowly., work: 30s, sides: both, "
                              "switch: 5s}\n")
    with pytest.raises(ScheduleError) as caught:
        schedule(routine, with_tones(switch=551))
    assert caught.value.problems[0].startswith(
        "step 1 (Roll): the switch-sides cue needs 6s but switch is 5s")


def test_a_switch_warning_says_the_quiet_to_the_tenth_of_a_second_below(check):
    routine = one_step(check, "  - {title: Roll, say: Roll slowly., work: 30s, sides: both, "
                              "switch: 8s}\n")
    [(_, _, message)] = timing_warnings(routine, with_tones(switch=425))   # 3275 ms of quiet
    assert message.startswith("switch 8s leaves about 3.2s after the switch words")


@pytest.mark.parametrize(("lead_in", "warned"), [("4s", False), ("3.999s", True)])
def test_a_lead_in_of_four_seconds_is_enough(check, lead_in, warned):
    routine = one_step(check, PLAIN.replace("30s}", f"30s, lead_in: {lead_in}}}"))
    assert bool(timing_warnings(routine, measure)) is warned


def test_every_event_of_a_sided_step_carries_its_kind_and_side(check):
    step = ("  - {title: Roll, say: Roll slowly., feel: Dull., work: 20s, sides: both, "
            "cues: {halfway: true, pace: {interval: 3s}, breathe: {in: 2s, out: 2s}}}\n")
    timeline = schedule(one_step(check, step), measure)
    events = [(e.kind, e.text or e.sound.name, e.side, e.step) for e in timeline.events
              if e.step == 0]
    left = [e for e in events if e[2] == "left"]
    assert ("switch", "switch", "left", 0) in left
    assert ("switch", "Switch sides. Now your left side.", "left", 0) in left
    assert {kind for kind, _, _, _ in left} == {"switch", "start", "halfway", "pace",
                                                "breathe", "end"}
    assert ("instruction", "Dull.", "right", 0) in events
    assert all(side in ("right", "left") for _, _, side, _ in events)


def test_a_beat_may_sound_150_ms_after_a_cue_ends_and_end_150_ms_before_one(check):
    step = ("  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues:\n"
            "      halfway: true\n      pace: {interval: 5s}\n")
    routine = one_step(check, step)
    # The halfway chime (at 15 s) lasts 4.85 s: it ends 150 ms before the beat at 20 s.
    beats = [at - WORK_AT for at, _, _ in cues(schedule(routine, with_tones(halfway=4850)),
                                               "pace")]
    assert beats == [5000, 10_000, 20_000, 25_000]
    beats = [at - WORK_AT for at, _, _ in cues(schedule(routine, with_tones(halfway=4851)),
                                               "pace")]
    assert beats == [5000, 10_000, 25_000]
    # A beat of 4.85 s at 10 s ends 150 ms before the halfway chime at 15 s.
    beats = [at - WORK_AT for at, _, _ in cues(schedule(routine, with_tones(pace=4850)),
                                               "pace")]
    assert beats == [5000, 10_000, 20_000, 25_000]
    beats = [at - WORK_AT for at, _, _ in cues(schedule(routine, with_tones(pace=4851)),
                                               "pace")]
    assert beats == [5000, 20_000]   # each kept beat now runs 1 ms into the next cue


def test_cautions_are_phrases_of_their_own_before_the_instruction_and_safety_note(check):
    """A heat step was 38 s of speech in one breath: each caution is now its own phrase,
    with a pause after it, and the instruction and safety note are joined by one space."""
    step = ("  - {title: Heat, say: Rest the bag on your shoulders., safety: Not too hot., "
            "work: 30s, equipment: wheat-bag, body_area: shoulders, "
            "cautions: [heat, heat-time]}\n")
    routine = one_step(check, step)
    heat, time = routine.steps[0].cautions
    said = [(e.at_ms, e.text) for e in schedule(routine, measure).events
            if e.kind == "instruction" and e.text != "Heat."]
    at = SAY_AT - 100 * len("Roll.") + 100 * len("Heat.")
    after_heat = at + 100 * len(heat.say) + SPEECH_GAP_MS
    after_time = after_heat + 100 * len(time.say) + SPEECH_GAP_MS
    assert said == [(at, heat.say), (after_heat, time.say),
                    (after_time, "Rest the bag on your shoulders. Not too hot.")]


@pytest.mark.parametrize(("title", "said"), [
    ("Roll", "Roll."), ("Roll.", "Roll."), ("Ready?", "Ready?"), ("Go!", "Go!"),
    ("Pose X", "Pose X."), ("Pose 2.", "Pose two."),
])
def test_a_title_is_said_as_one_sentence(check, title, said):
    routine = one_step(check, f"  - {{title: '{title}', say: Roll slowly., work: 30s}}\n")
    assert cues(schedule(routine, measure), "instruction")[0][1] == said


def test_the_introduction_its_cautions_and_the_timeline_header(check):
    routine = one_step(check, PLAIN, extra="goals: [leg-cramps]\ncautions: [clot-signs]\n"
                                           "intro: Hello there.\nvoice: {pace: 1.25}\n")
    timeline = schedule(routine, measure)
    clot = routine.cautions[0].say
    intro = [(at, text) for at, text, _ in cues(timeline, "intro", step=None)]
    clot_at = SAFETY_END + SPEECH_GAP_MS
    hello_at = clot_at + 100 * len(clot) + SPEECH_GAP_MS
    assert intro == [(TRACK_LEAD_MS, "Careful."), (clot_at, clot), (hello_at, "Hello there.")]
    [(title_at, _, _)] = cues(timeline, "instruction")[:1]
    assert title_at == hello_at + 100 * len("Hello there.") + SPEECH_GAP_MS
    assert (timeline.routine, timeline.title, timeline.voice_pace) == ("r", "T", 1.25)
    assert [c.index for c in timeline.chapters] == [0, 1, 2]


def heat_steps(n: int) -> str:
    return "".join(f"  - {{title: Heat {i}, say: Rest the bag., work: 30s, equipment: wheat-bag,"
                   f" body_area: shoulders, cautions: [heat, heat-time]}}\n" for i in range(n))


@pytest.mark.parametrize(("steps", "reminder_at"), [(1, None), (2, 1), (3, 2)])
def test_a_caution_is_said_in_full_first_and_reminded_only_at_the_last_step(
        check, steps, reminder_at):
    routine, problems = check("title: T\nsafety: Careful.\nsteps:\n" + heat_steps(steps))
    assert problems == []
    heat, time = routine.steps[0].cautions
    said: dict[int, list[str]] = {}
    for e in schedule(routine, measure).events:
        if e.kind == "instruction" and not e.text.startswith("Heat "):
            said.setdefault(e.step, []).append(e.text)
    for index in range(steps):
        words = ([heat.say, time.say] if index == 0 else
                 [heat.again, time.again] if index == reminder_at else [])
        assert said[index] == [*words, "Rest the bag."]


def test_cues_that_collide_on_the_second_side_name_it(check):
    step = ("  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    sides: both\n"
            "    cues:\n      halfway: true\n      every: {interval: 14s, say: Keep breathing"
            " slowly.}\n")
    with pytest.raises(ScheduleError) as caught:
        schedule(one_step(check, step), measure)
    assert {p.split(":")[0] for p in caught.value.problems} == {
        "step 1 (Roll, right side)", "step 1 (Roll, left side)"}


@pytest.mark.parametrize(("words_ms", "collides"), [(2850, False), (2851, True)])
def test_a_cue_may_start_150_ms_after_the_one_before_ends(check, words_ms, collides):
    # "Slow down." at 12 s lasting 2.85 s ends 150 ms before the halfway chime at 15 s.
    step = ("  - title: Roll\n    say: Roll slowly.\n    work: 30s\n    cues:\n"
            "      halfway: true\n      every: {interval: 12s, say: Slow down.}\n")
    routine = one_step(check, step)

    def timed(sound):
        if isinstance(sound, Speech) and sound.text == "Slow down.":
            return words_ms
        return measure(sound)
    if collides:
        with pytest.raises(ScheduleError) as caught:
            schedule(routine, timed)
        assert caught.value.problems[0].startswith(
            'step 1 (Roll): the every ("Slow down.") cue at 12s lasts 2.851s and runs into the '
            "halfway cue at 15s")
    else:
        schedule(routine, timed)


def test_half_time_is_a_whole_millisecond(check):
    step = "  - {title: Roll, say: Roll slowly., work: 20.001s, cues: {halfway: true}}\n"
    [(at, _, _)] = cues(schedule(one_step(check, step), measure), "halfway")
    assert at == WORK_AT + 10_000 and isinstance(at, int)


def test_with_paced_breathing_what_to_feel_follows_the_first_breath_out(check):
    step = ("  - {title: Rest, say: Lie still., feel: Dull., work: 30s, "
            "cues: {breathe: {in: 4s, out: 6s, spoken: 1}}}\n")
    timeline = schedule(one_step(check, step), measure)
    [(start, _, _)] = cues(timeline, "start")
    said = [(at - start, text) for at, text, _ in cues(timeline)
            if text in ("Breathe in.", "And out.", "Dull.")]
    out_end = BREATHE_OFFSET_MS + 4000 + 100 * len("And out.")
    assert said == [(BREATHE_OFFSET_MS, "Breathe in."), (BREATHE_OFFSET_MS + 4000, "And out."),
                    (out_end + CLEARANCE_MS, "Dull.")]


def test_validate_warns_about_a_switch_too_short_for_its_words(write):
    """Build refuses it (the words do not fit); validate, which cannot hear the voice, warns
    with the estimate rather than call it valid."""
    from click.testing import CliRunner

    from matcoach.cli import main
    path = write("r.yaml", "title: T\nsteps:\n  - {title: Roll, say: Roll slowly., work: 30s, "
                           "sides: both, switch: 3s}\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert (f"{path}:3: warning: step 1, switch: switch 3s ends before the switch words do, "
            "so build will refuse it; leave it out") in result.output


def test_words_on_what_to_feel_falling_with_a_cue_name_the_steps_cues_line(check):
    routine = one_step(check, (
        "  - title: Roll\n    say: Roll slowly.\n    feel: Dull.\n    work: 20s\n    cues:\n"
        "      every: {interval: 3s}\n"))                                   # line 10
    with pytest.raises(ScheduleError) as caught:
        schedule(routine, measure)
    assert caught.value.lines == [10]
    assert 'the every cue and the instruction ("Dull.") cue both fall at 3s' in str(caught.value)


def test_with_toned_breathing_what_to_feel_follows_the_first_breath_out_tone(check):
    step = ("  - {title: Rest, say: Lie still., feel: Dull., work: 30s, "
            "cues: {breathe: {in: 2s, out: 3s, spoken: 0}}}\n")
    timeline = schedule(one_step(check, step), measure)
    [(start, _, _)] = cues(timeline, "start")
    feel = [e.at_ms for e in timeline.events if e.text == "Dull."]
    assert feel == [start + BREATHE_OFFSET_MS + 2000 + TONE_MS["breathe-out"] + CLEARANCE_MS]


def test_three_pace_words_start_from_the_first_after_a_lost_first_beat(check):
    step = ("  - {title: Roll, say: Roll slowly., feel: Dull., work: 17s, "
            "cues: {pace: {interval: 3s, say: [a, b, c]}}}\n")
    timeline = schedule(one_step(check, step), measure)
    [(start, _, _)] = cues(timeline, "start")
    assert [(at - start, text) for at, text, _ in cues(timeline, "pace")] == [
        (6000, "a"), (9000, "b"), (12_000, "c"), (15_000, "a")]


SWITCH_WORDS_MS = 100 * len("Switch sides. Now your left side.")
# From one side's end: the end tone, the gap, the switch chime, the clearance, the words.
SWITCH_WORDS_END = TONE_MS["end"] + SWITCH_GAP_MS + TONE_MS["switch"] + CLEARANCE_MS \
    + SWITCH_WORDS_MS


@pytest.mark.parametrize(("switch_ms", "fits", "says"), [
    (SWITCH_WORDS_END - 100, False, "ends before the switch words do"),
    (SWITCH_WORDS_END, False, "leaves about 0s after the switch words"),
    (SWITCH_WORDS_END + CLEARANCE_MS - 1, False, "leaves about 0.1s after the switch words"),
    (SWITCH_WORDS_END + CLEARANCE_MS, True, "leaves about 0.1s after the switch words"),
])
def test_a_switch_just_long_enough_for_its_words(check, switch_ms, fits, says):
    step = (f"  - {{title: Roll, say: Roll slowly., work: 20s, sides: both, "
            f"switch: {switch_ms / 1000}s}}\n")
    routine = one_step(check, step)
    [(_, field, message)] = timing_warnings(routine, measure)
    assert field == "switch" and says in message
    if fits:
        schedule(routine, measure)
    else:
        with pytest.raises(ScheduleError, match="the switch-sides cue needs"):
            schedule(routine, measure)


def test_a_steps_cautions_belong_to_its_first_side(check):
    step = ("  - {title: Heat, say: Rest the bag on your shoulders., work: 30s, sides: both, "
            "equipment: wheat-bag, body_area: shoulders, cautions: [heat, heat-time]}\n")
    routine = one_step(check, step)
    heat, time = routine.steps[0].cautions
    sides = [e.side for e in schedule(routine, measure).events
             if e.text in (heat.say, time.say)]
    assert sides == ["right", "right"]
