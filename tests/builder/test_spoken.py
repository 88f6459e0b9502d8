"""Text for the ear: what the voice says for what an author wrote, and what it cannot say."""

import html

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from audio.outputs import webvtt
from builder import estimate, spoken
from builder.library import check_files, load_library
from builder.model import WorkStep
from builder.schedule import schedule
from builder.spoken import for_the_ear, unsayable
from builder.timeline import Event, Speech, Timeline, Tone
from matcoach.cli import main

SAID = [
    # (written, said)
    # The sentence from the issue: each part used to be read out symbol by symbol.
    ("Roll *slowly* for 45s, 10-15 times, pressure <5/10 🙂",
     "Roll slowly for forty-five seconds, ten to fifteen times, pressure less than five "
     "out of ten"),
    # numbers
    ("Hold 3 breaths.", "Hold three breaths."),
    ("Lift 1.5 times higher", "Lift one point five times higher"),
    ("Take 0.5s", "Take zero point five seconds"),
    ("Walk 1,000 steps", "Walk one thousand steps"),
    ("Count: 3, 2, 1.", "Count: three, two, one."),
    # ranges
    ("10-15 rolls", "ten to fifteen rolls"),
    ("10–15 rolls", "ten to fifteen rolls"),
    ("10 to 15 rolls", "ten to fifteen rolls"),
    ("10 - 15 rolls", "ten to fifteen rolls"),
    ("Kneel (10-15s).", "Kneel (ten to fifteen seconds)."),
    # our own durations, and the units people write after a number
    ("Roll for 45s.", "Roll for forty-five seconds."),
    ("Roll for 1s.", "Roll for one second."),
    ("Rest 2m.", "Rest two minutes."),
    ("Hold 1m30s", "Hold one minute thirty seconds"),
    ("Hold 2.5s", "Hold two point five seconds"),
    ("Keep it on 5 mins or 1 min", "Keep it on five minutes or one minute"),
    ("Hold 30 secs, then 1 sec", "Hold thirty seconds, then one second"),
    ("A 5-minute break", "A five-minute break"),
    ("A 30-second hold", "A thirty-second hold"),
    ("Keep going 1-2 mins", "Keep going one to two minutes"),
    # scores and fractions
    ("Pressure 5/10", "Pressure five out of ten"),
    ("Pressure 5 / 10", "Pressure five out of ten"),
    ("Pressure 5-7/10", "Pressure five to seven out of ten"),
    ("Turn 1/2 way, then 3/4", "Turn one half way, then three quarters"),
    ("Roll 1½ minutes", "Roll one and a half minutes"),
    # comparisons
    ("Keep it <5", "Keep it less than five"),
    ("Keep it > 5", "Keep it more than five"),
    ("Pain ≤ 3", "Pain at most three"),
    ("Pain ≥4", "Pain at least four"),
    ("Pain <= 3", "Pain at most three"),
    ("Pressure <5/10", "Pressure less than five out of ten"),
    ("Roll ~10 times", "Roll about ten times"),
    # symbols
    ("Calves & feet", "Calves and feet"),
    ("Ease off 20%", "Ease off twenty percent"),
    ("Repeat x10", "Repeat ten times"),
    ("Repeat 10x", "Repeat ten times"),
    ("Do 3x10", "Do three by ten"),
    ("Do 5+ rolls", "Do five or more rolls"),
    ("Warm to 40°C", "Warm to forty degrees Celsius"),
    ("Not over 104 °F", "Not over one hundred and four degrees Fahrenheit"),
    ("Tip #1: breathe", "Tip number one: breathe"),
    ("Roll up | roll down", "Roll up, roll down"),
    ("Left/right", "Left or right"),
    ("Roll slowly - then stop", "Roll slowly, then stop"),
    ("Roll slowly—then stop", "Roll slowly, then stop"),
    ("Use a ball [a soft one]", "Use a ball (a soft one)"),
    ("Roll ^ and ~ and \\ out", "Roll and and out"),
    # ordinals
    ("The 1st, 2nd and 3rd rib", "The first, second and third rib"),
    ("On the 21st breath", "On the twenty-first breath"),
    # markdown: the word only
    ("Roll *slowly*", "Roll slowly"),
    ("Roll _slowly_", "Roll slowly"),
    ("Roll **firmly** and ***deep***", "Roll firmly and deep"),
    ("Say `up`", "Say up"),
    ("See [the guide](https://example.com/guide)", "See the guide"),
    ("- Lie down", "Lie down"),
    # emoji and pictographs: gone, with no words for them
    ("Nice work 👍🏽!", "Nice work!"),
    ("Relax 🧘\u200d♀️ and breathe ✨.", "Relax and breathe."),
    ("Rest (🙂).", "Rest."),
    # abbreviations
    ("Use a ball, e.g. a tennis ball", "Use a ball, for example a tennis ball"),
    ("E.g. a tennis ball", "For example a tennis ball"),
    ("The calf, i.e. the back of the leg", "The calf, that is the back of the leg"),
    ("Roll approx. 10 times", "Roll about ten times"),
    ("Calves, feet, etc. Then rest.", "Calves, feet, et cetera. Then rest."),
    # words that stay words, punctuation that stays punctuation
    ("Warm-up, side-lying, follow-through.", "Warm-up, side-lying, follow-through."),
    ("Breathe in; hold: and out! Ready? Go...", "Breathe in; hold: and out! Ready? Go..."),
    ("It's \"easy\" (really).", "It's \"easy\" (really)."),
    ("  Lie   down  \n slowly. ", "Lie down slowly."),
]


@pytest.mark.parametrize(("written", "said"), SAID, ids=[w for w, _ in SAID])
def test_what_the_voice_says(written, said):
    assert for_the_ear(written) == said


@pytest.mark.parametrize("written", [w for w, _ in SAID] + ["3.4.5", "see www.example.com."])
def test_saying_it_again_changes_nothing(written):
    once = for_the_ear(written)
    assert for_the_ear(once) == once


@pytest.mark.parametrize(("written", "reasons"), [
    ("Read more at www.example.com.", ["a web address: www.example.com"]),
    ("Read https://example.com/x today", ["a web address: https://example.com/x"]),
    ("Ask me@example.com", ["an email address: me@example.com"]),
    ("Update to 3.4.5 first", ["digits it cannot read: 3.4.5"]),
    ("Start at 7:30.", ["digits it cannot read: 7:30"]),
    ("Count 3-2-1 and go", ["digits it cannot read: 3-2-1"]),
    ("Ask @coach", ["a symbol it cannot say: @"]),
    ("If a = b", ["a symbol it cannot say: ="]),
    ("Say Привет", ["letters the English voice cannot read: Привет"]),
    ("🙂👍", ["nothing it can say: only emoji or symbols"]),
    ("Roll *slowly* for 45s, 10-15 times, pressure <5/10 🙂", []),
    ("Warm-up, side-lying; it's fine!", []),
    ("See [the guide](https://example.com/guide).", []),
])
def test_unsayable_names_what_is_left(written, reasons):
    assert unsayable(written) == reasons


def test_what_cannot_be_said_is_left_as_written_for_the_author_to_see():
    assert for_the_ear("Update to 3.4.5 at www.example.com") == \
        "Update to 3.4.5 at www.example.com"


def test_a_long_run_of_hyphenated_letters_is_words_not_an_address():
    """The instruction of issue 10's slow file (1,480 characters): no address in it."""
    text = "w001 " + "a-" * 737 + "a"
    assert spoken.WEB.findall(text) == [] and for_the_ear(text) == text
    assert unsayable(text) == ["digits it cannot read: w001"]


# (what, the pattern, text with a long run, every position a match may begin at)
RUNS = [
    ("a domain", lambda: spoken.WEB, "See " + "a-" * 300 + "a.com now", [4]),
    ("an email address", lambda: spoken.WEB, "Mail " + "a." * 300 + "a@b.com", [5, 607]),
    ("a link's words", lambda: spoken.LINK, "[" * 300 + "x](u)", [299]),
    ("emphasis", lambda: spoken.MARKDOWN[0][0], "**a*b**", [1, 3]),
    ("dashes", lambda: spoken.DASH_PAUSE, "x " + "-" * 300 + "y", [1, 2]),
    ("an arrow", lambda: spoken.NUMBERS[0][0], "a" + " " * 300 + "-> b", [1, 301]),
    ("pauses at the end", lambda: spoken.TIDY[-1][0], "a" + ";" * 300, [1]),
    ("a sentence's end", lambda: estimate._SENTENCE_BREAK, "Stop" + "!" * 300 + " Go", [4]),
]


@pytest.mark.parametrize(("pattern", "text", "starts"), [r[1:] for r in RUNS],
                         ids=[r[0] for r in RUNS])
def test_a_pattern_over_author_text_begins_only_where_its_run_begins(pattern, text, starts):
    """Issue 10: each pattern is tried at every position of the text, so one that could
    begin anywhere in a run, and scan to the run's end each time, took time quadratic in
    the run. The address pattern took 12 s to validate a file of 86 instructions of
    "a-a-a-..." (1,480 characters each), and a server reloading its library stalled for
    20 s. Each begins only at a run's first character now (a lookbehind), or holds no
    character of the run (a link's words, emphasis), so each run is scanned once: time
    linear in the text. How long such a file takes is measured by bench/fuzz_bench.py."""
    found = pattern()
    assert [i for i in range(len(text)) if found.match(text, i)] == starts


def routine_text(say: str) -> str:
    return ("title: Feet\nsafety: Careful.\noutro: Bye.\nsteps:\n"
            f"  - title: Foot roll\n    say: {say}\n    work: 30s\n")


def test_unsayable_text_is_a_warning_that_keeps_the_routine(library, context, write):
    path = write("lib/r.yaml", routine_text("See www.example.com for more."))
    warnings = []
    routines, problems = check_files([path], context, warnings)
    assert problems == [] and "r" in routines
    assert [str(w) for w in warnings] == [
        f"{path}:6: warning: step 1, say: the voice cannot say this well (a web address: "
        "www.example.com); write it the way you would say it aloud."]
    assert load_library(library).routines["r"].steps[0].say == "See www.example.com for more."


def test_every_spoken_field_is_checked(context, write):
    text = ("title: T\nintro: Hi @you.\nsafety: Stop at 7:30.\noutro: See x.com.\nsteps:\n"
            "  - title: Roll v2.1.0\n    say: Roll @ 5.\n    safety: a = b.\n    work: 30s\n"
            "    cues:\n      every: {interval: 10s, say: '@ home'}\n"
            "      pace: {interval: 4s, say: [up, '3:2']}\n"
            "  - rest: 5s\n    say: Rest ☺ =.\n")
    warnings = []
    check_files([write("lib/w.yaml", text)], context, warnings)
    assert [(w.line, w.field) for w in warnings] == [
        (2, "intro"), (3, "safety"), (4, "outro"), (6, "step 1, title"), (7, "step 1, say"),
        (8, "step 1, safety"), (11, "step 1, cues.every.say"), (12, "step 1, cues.pace.say"),
        (14, "step 2, say")]


def test_the_built_in_library_has_nothing_the_voice_cannot_say():
    library = load_library()
    texts = {*library.context.phrases.safety, library.context.phrases.outro}
    for routine in library.routines.values():
        texts |= {routine.safety, routine.intro or "", routine.outro}
        for step in routine.steps:
            texts.add(step.say or "")
            if isinstance(step, WorkStep):
                texts |= {step.title, step.safety or "", step.feel or ""}
    assert {text: unsayable(text) for text in texts if unsayable(text)} == {}
    result = CliRunner().invoke(main, ["validate", str(library.folder)])
    assert result.exit_code == 0 and "warning" not in result.output


def test_validate_prints_warnings_and_still_passes(write):
    path = write("w.yaml", routine_text("Ask me@example.com."))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"{path}:6: warning: step 1, say: the voice cannot say this well (an email address: "
        "me@example.com); write it the way you would say it aloud.",
        "The routine is valid, with 1 warning."]


def test_validate_with_problems_and_warnings_fails_and_counts_both(write):
    warned = write("w.yaml", routine_text("Ask me@example.com."))
    bad = write("bad.yaml", "title: Bad\nlevel: medium\nsteps:\n  - rest: 5s\n")
    result = CliRunner().invoke(main, ["validate", str(warned), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{bad}:2: level:")
    assert lines[1].startswith(f"{warned}:6: warning: step 1, say:")
    assert lines[-1] == "1 problem and 1 warning found."


def test_a_warning_beside_a_problem_of_the_whole_file_is_listed_too(write):
    # Regression: a problem with no line (a duplicate id) sorted beside a warning with one
    # made validate crash with a TypeError.
    # (The id that repeats is b.yaml's file name, so that problem has no line.)
    first = write("a.yaml", "id: b\ntitle: A\nsteps:\n  - rest: 5s\n")
    second = write("b.yaml", "title: B\nsteps:\n  - rest: 5s\n    say: Rest @ home.\n")
    result = CliRunner().invoke(main, ["validate", str(first), str(second)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f'{second}: id: the id "b" is also used by {first}; ids must be unique.',
        f"{second}:4: warning: step 1, say: the voice cannot say this well (a symbol it "
        "cannot say: @); write it the way you would say it aloud.",
        "1 problem and 1 warning found."]


def test_a_catalog_move_is_checked_for_the_ear(library, write):
    write("lib/moves/foot-tap.yaml", "title: Foot tap\nequipment: yoga-mat\nbody_area: feet\n"
          "position: sitting\nsay: Tap 3-2-1.\nwork: 20s\n")
    result = CliRunner().invoke(main, ["validate", str(library)])
    assert result.exit_code == 0
    assert f"{library / 'moves' / 'foot-tap.yaml'}:5: warning: say: the voice cannot say " \
        "this well (digits it cannot read: 3-2-1)" in result.output


def test_the_transcript_says_what_the_voice_says(check):
    routine, problems = check(routine_text("Roll for 45s, pressure <5/10."))
    assert problems == []
    timeline = schedule(routine, lambda s: 400 if isinstance(s, Tone) else 50 * len(s.text))
    transcript = webvtt(timeline)
    assert "Foot roll.\n" in transcript
    assert "\nRoll for forty-five seconds, pressure less than five out of ten.\n" in transcript
    assert "45s" not in transcript and "<5/10" not in transcript


def test_cue_words_are_said_for_the_ear_too(check):
    routine, _ = check(routine_text("Roll.").replace(
        "work: 30s", "work: 30s\n    cues:\n      every: {interval: 10s, say: 10s more!}"
        "\n      pace: {interval: 4s, say: ['1st', '2nd']}"))
    timeline = schedule(routine, lambda s: 100 if isinstance(s, Tone) else 10 * len(s.text))
    said = {e.text for e in timeline.events if e.kind in ("every", "pace")}
    assert said == {"ten seconds more!", "first", "second"}


def test_transcript_text_is_escaped_for_webvtt():
    """Issue 10: a raw "&" or "<" in cue text starts an escape or a tag, and Chromium's
    parser dropped the rest of the caption; a line break would end the cue early."""
    said = Event(1000, Speech("R&B <b>loud</b> --> next\nline"), 2000, "instruction")
    timeline = Timeline("r", "T", (said,), (), 4000)
    assert webvtt(timeline).splitlines()[2:5] == [
        "1", "00:00:01.000 --> 00:00:03.000",
        "R&amp;B &lt;b&gt;loud&lt;/b&gt; --&gt; next line"]


@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_spoken_text_stays_one_cue_of_the_same_words(text):
    """Issue 10: any phrase is one WebVTT cue whose words, unescaped, are the phrase's."""
    text = text if text.strip() else "x"    # validate refuses text with nothing to say
    timeline = Timeline("r", "T", (Event(0, Speech(text), 1000, "instruction"),), (), 2000)
    cue = webvtt(timeline).split("\n\n")[1].splitlines()
    assert len(cue) == 3 and "<" not in cue[2] and "-->" not in cue[2]
    assert html.unescape(cue[2]) == " ".join(text.split())
