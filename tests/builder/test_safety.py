"""Safety as data (routines/vocabulary/safety.yaml): refused pairings, required cautions,
each rule with its source, and the cautions spoken where a listener needs them."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner

import routines as builtin
from builder.errors import RoutineError
from builder.estimate import estimated_measure
from builder.library import check_files, load_context, load_library
from builder.schedule import caution_words, schedule
from builder.timeline import Speech
from matcoach.cli import main

from .test_schedule import measure

RULES = yaml.safe_load((builtin.VOCABULARY_DIR / "safety.yaml").read_text(encoding="utf-8"))
LIBRARY = load_library()


def step(equipment: str, area: str, extra: str = "") -> str:
    return (f"\n  - title: Work\n    say: Work gently.\n    equipment: {equipment}\n"
            f"    body_area: {area}\n    work: 30s\n{extra}")


def validate(write, text: str):
    path = write("lib/r.yaml", text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize(("equipment", "area", "rule", "source"), [
    ("foam-roller", "lower-back", "no-roller-on-the-lumbar-spine", "Sharecare"),
    ("foam-roller", "back", "no-roller-on-the-lumbar-spine", "Sharecare"),   # back covers it
    ("spiky-ball", "neck", "no-firm-pressure-on-the-neck", "Associated Bodywork"),
    ("spiky-ball", "knees", "no-pressure-on-the-knee", "Associated Bodywork"),
])
def test_validate_refuses_a_pairing_that_could_hurt(write, equipment, area, rule, source):
    code, output = validate(write, f"title: T\nsteps:{step(equipment, area)}")
    assert code == 1
    [line] = [line for line in output.splitlines() if rule in line]
    # Located, actionable, and naming the guidance it follows.
    assert "r.yaml:6: step 1, body_area:" in line and "instead" in line
    assert f"source: {source}" in line


def test_the_roller_is_welcome_around_the_lower_back(check):
    for area in ("glutes", "upper-back", "hips"):
        routine, problems = check(f"title: T\nsteps:{step('foam-roller', area)}")
        assert problems == [] and routine is not None


def test_a_heat_step_without_its_cautions_is_refused_naming_the_nhs_guidance(write):
    # Newcomer trial: "step 1: This step must carry ..." named no field and began with a
    # capital, unlike every other message.
    code, output = validate(write, f"title: T\nsteps:{step('wheat-bag', 'shoulders')}")
    assert code == 1
    assert "r.yaml:3: step 1, cautions: this step must carry the heat and heat-time " \
           "cautions; add cautions: [heat, heat-time] to the step, or to the routine " \
           "(safety rule heat-carries-its-cautions; source: Midlands Partnership NHS " \
           "Foundation Trust (MSK self-help), \u201cSafe use of heat treatment\u201d).\n" in output


def test_a_heat_step_missing_one_caution_is_told_to_add_that_one_at_its_cautions(write):
    extra = "    cautions: [heat]\n"                                   # line 8
    code, output = validate(write, f"title: T\nsteps:{step('wheat-bag', 'shoulders', extra)}")
    assert code == 1
    assert "r.yaml:8: step 1, cautions: this step must also carry the heat-time caution; add " \
           "heat-time to the step's cautions, or to the routine's (safety rule " \
           "heat-carries-its-cautions; source: Midlands Partnership NHS" in output


def test_a_heat_step_with_its_cautions_is_valid(check):
    routine, problems = check(
        f"title: T\nsteps:{step('wheat-bag', 'shoulders', '    cautions: [heat, heat-time]')}")
    assert problems == []
    assert [c.id for c in routine.steps[0].cautions] == ["heat", "heat-time"]


def test_calf_work_in_a_cramp_routine_must_warn_of_a_clot(check):
    calves = step("spiky-ball", "calves")
    _, problems = check(f"title: T\ngoals: [leg-cramps]\nsteps:{calves}")
    [problem] = problems
    assert "clot-signs" in problem and "source: NHS inform (Scotland)" in problem
    # The routine's own cautions cover every step; other goals do not need it.
    assert check(f"title: T\ngoals: [leg-cramps]\ncautions: [clot-signs]\nsteps:{calves}")[1] \
        == []
    assert check(f"title: T\ngoals: [after-workout]\nsteps:{calves}")[1] == []
    # "legs" covers the calves.
    assert check(f"title: T\ngoals: [leg-cramps]\nsteps:{step('spiky-ball', 'legs')}")[1]


def test_a_step_adds_cautions_to_its_move_and_never_drops_them(tmp_path, write):
    write("lib/moves/heat.yaml", """
        title: Heat
        equipment: [wheat-bag]
        body_area: shoulders
        position: lying
        say: Rest the bag on your shoulders.
        work: 1m
        cautions: [heat, heat-time]
        """)
    path = write("lib/r.yaml", "title: T\ngoals: [leg-cramps]\nsteps:\n"
                 "  - move: heat\n    cautions: [clot-signs]\n")
    routines, problems = check_files([path], load_context(tmp_path / "lib"))
    assert problems == []
    routine = routines["r"]
    assert [c.id for c in routine.steps[0].cautions] == ["heat", "heat-time", "clot-signs"]


def test_an_unknown_caution_is_named_with_a_suggestion(check):
    _, problems = check(f"title: T\nsteps:{step('yoga-mat', 'hips', '    cautions: [heats]')}")
    [problem] = problems
    assert problem.endswith('r.yaml:8: step 1, cautions: "heats" is not a caution of the '
                            "safety rules. Did you mean heat?")


def test_a_catalog_move_that_breaks_a_rule_stops_the_catalog(tmp_path, write):
    write("lib/moves/lumbar.yaml", """
        title: Lumbar roll
        equipment: [foam-roller]
        body_area: lower-back
        position: lying
        say: Roll your lower back.
        work: 30s
        """)
    with pytest.raises(RoutineError, match="lumbar.yaml:3: body_area: a foam roller must not"):
        load_context(tmp_path / "lib")


def test_a_library_may_add_rules_but_the_built_in_ones_still_apply(tmp_path, write):
    vocabulary = tmp_path / "lib" / "vocabulary"
    vocabulary.mkdir(parents=True)
    for path in builtin.VOCABULARY_DIR.glob("*.yaml"):
        if path.name != "safety.yaml":   # a library that leaves the rules out
            (vocabulary / path.name).write_text(path.read_text())
    write("lib/vocabulary/safety.yaml", """
        rules:
          - id: no-ball-on-the-hands
            when: {equipment: spiky-ball, body_areas: hands}
            refuse: not on the hands in this clinic.
            sources: [{publisher: Our clinic, title: House rules, url: https://x.example}]
        """)
    steps = step("spiky-ball", "hands") + step("foam-roller", "back")
    path = write("lib/r.yaml", f"title: T\nsteps:{steps}")
    _, problems = check_files([path], load_context(tmp_path / "lib"))
    rules = [p.message.split("safety rule ")[1].split(";")[0] for p in problems]
    assert rules == ["no-ball-on-the-hands", "no-roller-on-the-lumbar-spine"]


@pytest.mark.parametrize(("equipment", "area", "goals", "rule"), [
    ("foam-roller", "lower-back", "[]", "no-roller-on-the-lumbar-spine"),
    ("spiky-ball", "neck", "[]", "no-firm-pressure-on-the-neck"),
    ("chi-ball", "knees", "[]", "no-pressure-on-the-knee"),
    ("wheat-bag", "shoulders", "[]", "heat-carries-its-cautions"),
    ("spiky-ball", "calves", "[leg-cramps]", "cramp-routines-warn-of-clots"),
])
def test_a_safety_message_is_one_sentence_ending_with_its_rule_and_source(
        write, equipment, area, goals, rule):
    # Newcomer trial: refusals were three sentences, the rule and source a fourth.
    code, output = validate(write, f"title: T\ngoals: {goals}\nsteps:{step(equipment, area)}")
    assert code == 1
    [line] = [line for line in output.splitlines() if rule in line]
    found = next(r for r in LIBRARY.context.safety.rules if r.id == rule)
    ending = f" (safety rule {rule}; source: {found.source})."
    message = line.split(": ", 1)[1].split(": ", 1)[1]   # after "file:line: step 1, field: "
    assert message.endswith(ending) and found.source.startswith(
        next(r for r in RULES["rules"] if r["id"] == rule)["sources"][0]["publisher"])
    said = message.removesuffix(ending)
    assert said[0].islower() and not re.search(r"[.!?](\s|$)", said), said
    assert "instead" in said or "add " in said, "it says what to change"


def test_every_rule_and_caution_cites_published_guidance():
    cited = [*RULES["rules"], *RULES["cautions"].values()]
    assert len(RULES["rules"]) >= 5
    for entry in cited:
        assert entry["sources"], entry
        for source in entry["sources"]:
            assert source["url"].startswith(("https://", "http://"))
            assert source["publisher"] and source["title"] and source["says"]


def test_every_built_in_routine_keeps_the_rules():
    context = LIBRARY.context
    assert {r.id for r in context.safety.rules} >= {
        "no-roller-on-the-lumbar-spine", "heat-carries-its-cautions",
        "cramp-routines-warn-of-clots"}
    for routine in LIBRARY.routines.values():
        for work in routine.work_steps:
            assert not ("foam-roller" in work.equipment and "lower-back" in work.body_areas), \
                (routine.id, work.title)


def spoken(routine) -> str:
    timeline = schedule(routine, estimated_measure(routine.voice_pace))
    return " ".join(e.sound.text for e in timeline.events if isinstance(e.sound, Speech))


def test_a_caution_is_said_in_full_once_then_reminded_once_at_most():
    heat = LIBRARY.context.safety.cautions["heat"]
    for routine in LIBRARY.routines.values():
        words = spoken(routine)
        for caution in LIBRARY.context.safety.cautions.values():
            assert words.count(caution.say) <= 1, (routine.id, caution.id)
            assert words.count(caution.again) <= 1 + caution.say.count(caution.again)
        if any("wheat-bag" in s.equipment for s in routine.work_steps):
            assert heat.say in words, routine.id
    places = caution_words(LIBRARY.get("lower-back-release"))
    heat_steps = [i for i, s in enumerate(LIBRARY.get("lower-back-release").steps)
                  if "wheat-bag" in getattr(s, "equipment", ())]
    assert heat.say in places[heat_steps[0]] and heat.again in places[heat_steps[-1]]


def test_the_clot_warning_opens_the_cramp_routine():
    clot = LIBRARY.context.safety.cautions["clot-signs"]
    timeline = schedule(LIBRARY.get("leg-cramp-care"), estimated_measure(1.0))
    intro = [e.sound.text for e in timeline.events if e.kind == "intro"]
    assert clot.say in intro
    assert all(e.kind == "intro" for e in timeline.events if e.text == clot.say)


def test_a_one_sided_step_never_says_first(check):
    routine, _ = check("title: T\nsteps:\n  - {title: Roll, say: Roll., work: 30s, "
                       "sides: [left]}\n")
    words = [e.sound.text for e in schedule(routine, measure).events
             if isinstance(e.sound, Speech)]
    assert "Only your left side this time." in words
    assert not any("first" in w for w in words)


def test_switch_words_say_what_to_do_with_both_sides(check):
    routine, problems = check(
        "title: T\nsteps:\n  - title: Swings\n    say: Left hand on the wall.\n"
        "    sides: [right, left]\n    work: 20s\n    switch: 20s\n"
        "    switch_say: Turn round, {other} hand on the wall, swing your {side} leg.\n")
    assert problems == []
    switch = [e.sound.text for e in schedule(routine, measure).events if e.kind == "switch"
              and isinstance(e.sound, Speech)]
    assert switch == ["Turn round, right hand on the wall, swing your left leg."]
    _, problems = check("title: T\nsteps:\n  - {title: A, say: B., work: 20s, sides: both, "
                        "switch_say: 'Now {sid}.'}\n")
    assert problems and "use {side} for the side to work now" in problems[0]


def test_a_step_with_a_roller_or_ball_must_say_where_it_works(check):
    """A step that left out body_area slipped past every rule: a roller "over your lumbar
    spine" was valid. Now the area is asked for, in the step or its move."""
    _, problems = check(
        "title: T\nbody_areas: [lower-back]\nequipment: [foam-roller, yoga-mat]\nsteps:\n"
        "  - {title: Roll, equipment: foam-roller, say: Roll over your lower back., work: 30s}\n"
        "  - {title: Lie, say: Lie still., work: 30s}\n"
        "  - {title: Stretch, equipment: yoga-mat, say: Stretch., work: 30s}\n")
    assert [problem.split(": ", 1)[1] for problem in problems] == [
        "step 1, body_area: missing: say which body areas this step works (body_area: "
        "[...]), so the safety rules for the foam roller can check it."]


def test_heat_lasts_no_longer_than_its_caution_says(check):
    step = ("title: T\nsteps:\n  - {title: Heat, say: Rest the bag on your shoulders., "
            "equipment: wheat-bag, body_area: shoulders, cautions: [heat, heat-time], "
            "work: WORK}\n")
    _, problems = check(step.replace("WORK", "20m"))
    assert problems == []
    _, problems = check(step.replace("WORK", "20m1s"))
    assert len(problems) == 1 and problems[0].split(": ", 1)[1].startswith(
        "step 1, work: this step works 20m1s, longer than the 20m allowed; make work at "
        "most 20m (safety rule heat-no-longer-than-its-caution-says; source: Elderly Health "
        "Service, Hong Kong SAR Government")


@pytest.mark.parametrize(("rule", "message"), [
    ("longest: ages", 'safety.yaml:4: rules.longest: "ages" is not a duration'),   # its line
    ("longest: 20m\n    refuse: never.", "safety.yaml:2: rules: a rule refuses"),   # the rule's
])
def test_a_rule_that_limits_the_work_is_checked_like_any_other(tmp_path, write, rule,
                                                                 message):
    vocabulary = tmp_path / "lib" / "vocabulary"
    vocabulary.mkdir(parents=True)
    for path in builtin.VOCABULARY_DIR.glob("*.yaml"):
        if path.name != "safety.yaml":
            (vocabulary / path.name).write_text(path.read_text())
    write("lib/vocabulary/safety.yaml", "rules:\n  - id: short-roll\n"
          "    when: {equipment: foam-roller}\n"
          f"    {rule}\n"
          "    sources: [{publisher: Our clinic, title: House rules, url: https://x.example}]\n")
    with pytest.raises(RoutineError) as caught:
        load_context(tmp_path / "lib")
    assert message in str(caught.value)


def test_a_library_that_copied_the_built_in_rules_is_not_refused_for_them(tmp_path, write):
    """Newcomer trial: a copy of routines/ as one's own library failed with nine "already
    defined" errors, its safety.yaml stating the built-in rules a second time."""
    vocabulary = tmp_path / "lib" / "vocabulary"
    vocabulary.mkdir(parents=True)
    for path in builtin.VOCABULARY_DIR.glob("*.yaml"):
        (vocabulary / path.name).write_text(path.read_text())
    context = load_context(tmp_path / "lib")
    assert context.safety == load_context().safety
    path = write("lib/r.yaml", f"title: T\nsteps:{step('foam-roller', 'back')}")
    _, problems = check_files([path], context)
    assert len(problems) == 1 and "no-roller-on-the-lumbar-spine" in problems[0].message
