"""Interaction models: generated from the library, checked against Alexa's rules, in sync with
the handlers, and committed as generated."""

import ast
import copy
import inspect
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.library import load_library
from matcoach.cli import main
from skill import handlers
from skill.model_checks import check_model
from skill.models import LOCALES, interaction_model
from skill.nlu import Matcher

ROOT = Path(__file__).parents[2]
LIBRARY = load_library()
MODEL = interaction_model(LIBRARY)
LANGUAGE = MODEL["interactionModel"]["languageModel"]
INTENTS = {i["name"]: i for i in LANGUAGE["intents"]}
TYPES = {t["name"]: t for t in LANGUAGE["types"]}


def test_the_generated_model_passes_every_check():
    assert check_model(MODEL) == []


def test_invocation_and_required_intents():
    assert LANGUAGE["invocationName"] == "mat coach"
    for name in ("AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.HelpIntent",
                 "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent"):
        assert name in INTENTS


def test_every_routine_and_term_is_speakable():
    routines = {v["id"]: v for v in TYPES["ROUTINE"]["values"]}
    assert set(routines) == set(LIBRARY.routines)
    lower_back = routines["lower-back-release"]["name"]
    assert lower_back["value"] == "lower back release"
    assert "back release" in lower_back["synonyms"]
    equipment = {v["id"]: v["name"] for v in TYPES["EQUIPMENT"]["values"]}
    assert "massage ball" in equipment["spiky-ball"]["synonyms"]
    areas = {v["id"]: v["name"] for v in TYPES["BODY_AREA"]["values"]}
    assert "between my shoulder blades" in areas["upper-back"]["synonyms"]
    assert {v["id"] for v in TYPES["GOAL"]["values"]} == set(
        LIBRARY.context.vocabulary.terms("goals"))


def test_samples_are_varied():
    for name in ("StartRoutineIntent", "RecommendIntent", "ListRoutinesIntent", "TimeLeftIntent"):
        assert len(INTENTS[name]["samples"]) >= 10


def test_every_custom_intent_has_a_handler_and_every_handler_an_intent():
    custom = {name for name in INTENTS if not name.startswith("AMAZON.")}
    handled = {h.INTENT for h in handlers.intent_handlers()}
    assert custom <= handled
    for handler in handlers.intent_handlers():
        assert handler.INTENT in INTENTS, handler.__name__


def test_every_slot_a_handler_reads_is_in_the_model():
    for handler in handlers.intent_handlers():
        declared = {s["name"] for s in INTENTS[handler.INTENT].get("slots", [])}
        assert set(handler.SLOTS) <= declared, handler.__name__
        assert read_slots(handler) <= set(handler.SLOTS), handler.__name__


def read_slots(handler) -> set[str]:
    """Slot names a handler's code reads with self.slot(..., "name") or self.resolved(...)."""
    names = set()
    for klass in handler.__mro__:
        if not klass.__module__.startswith("skill.handlers"):
            continue
        tree = ast.parse(inspect.getsource(klass).lstrip())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("slot", "resolved") and len(node.args) == 2
                    and isinstance(node.args[1], ast.Constant)):
                names.add(node.args[1].value)
    return names


def test_every_spoken_text_exists_and_is_used():
    from skill.speech import keys
    said, mentioned = set(), set()
    for path in (ROOT / "skill").rglob("*.py"):
        if path.name == "nlu.py":   # its phrases are what people say, not what we say
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                said.add(node.args[0].value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                mentioned.add(node.value)   # keys passed along, such as "jump_next"
    assert said <= keys()
    assert keys() <= mentioned, "texts no code says"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_models_are_up_to_date(locale):
    """Run `matcoach models` after changing the library or its vocabularies."""
    committed = json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text())
    assert committed == MODEL


def broken(change) -> list[str]:
    model = copy.deepcopy(MODEL)
    change(model["interactionModel"]["languageModel"])
    return check_model(model)


@pytest.mark.parametrize(("name", "problem"), [
    ("matcoach", "use two or more words"),
    ("Mat Coach", "use two or more words"),
    ("mat coach 2", "use two or more words"),
    ("open mat coach", "contains open, a launch or wake word"),
    ("alexa mat coach", "contains alexa, a launch or wake word"),
    ("mat coach\n", "use two or more words"),     # "$" once let a trailing newline by
])
def test_bad_invocation_names_are_rejected(name, problem):
    problems = broken(lambda lm: lm.update(invocationName=name))
    assert len(problems) == 1 and problem in problems[0]


def test_a_sample_with_an_undeclared_slot_is_rejected():
    problems = broken(lambda lm: lm["intents"][0]["samples"].append("start {workout}"))
    assert problems == ['intent StartRoutineIntent: sample "start {workout}" uses slot '
                        "{workout}, which the intent does not declare."]


def test_a_sample_with_digits_is_rejected():
    problems = broken(lambda lm: lm["intents"][1]["samples"].append("I have 10 minutes"))
    assert "has characters Alexa does not accept" in problems[0]


def test_a_sample_in_two_intents_is_rejected():
    problems = broken(lambda lm: lm["intents"][1]["samples"].append("start {routine}"))
    assert any('sample "start {routine}" is also in StartRoutineIntent' in p for p in problems)


def test_duplicate_and_overlong_slot_values_are_rejected():
    def change(lm):
        values = lm["types"][0]["values"]
        values[1]["name"]["synonyms"].append(values[0]["name"]["value"])
        values[2]["name"]["synonyms"].append("x" * 141)
    problems = broken(change)
    assert any("appears 2 times" in p for p in problems)
    assert any("longer than 140 characters" in p for p in problems)


def test_a_missing_audio_intent_is_rejected():
    problems = broken(lambda lm: lm.update(
        intents=[i for i in lm["intents"] if i["name"] != "AMAZON.PauseIntent"]))
    assert problems == ["the model lacks AMAZON.PauseIntent, which an audio skill must handle."]


def test_models_command_writes_every_locale(tmp_path):
    result = CliRunner().invoke(main, ["models", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{locale}.json" for locale in LOCALES)


def test_skill_package_has_the_ask_cli_layout(tmp_path):
    result = CliRunner().invoke(main, ["skill-package", str(tmp_path),
                                       "--base-url", "https://mat.example.com"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "skill-package" / "skill.json").read_text())["manifest"]
    custom = manifest["apis"]["custom"]
    assert custom["interfaces"] == [{"type": "AUDIO_PLAYER"}]
    assert custom["endpoint"]["uri"] == "https://mat.example.com/alexa"
    assert set(manifest["publishingInformation"]["locales"]) == set(LOCALES)
    for locale in LOCALES:
        model = tmp_path / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"
        assert json.loads(model.read_text()) == MODEL


def test_models_command_refuses_a_library_that_breaks_the_rules(tmp_path):
    """A name longer than Alexa's 140-character slot value cannot reach the model: the
    library's own limit on titles and aliases (80, builder/limits.py) refuses it first."""
    (tmp_path / "long.yaml").write_text(
        "title: Long\naliases: [" + "very " * 30 + "long name]\nsteps:\n  - rest: 5s\n")
    result = CliRunner().invoke(main, ["models", "--out", str(tmp_path / "out"),
                                       "--library", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"{tmp_path / 'long.yaml'}:2: aliases: this is 159 characters "
                             "long; keep it to 80.\n1 problem in the library.\n")
    assert not (tmp_path / "out").exists()


def test_routines_that_sound_alike_keep_a_name_each(tmp_path):
    """"Neck" (id a-neck) and "The neck routine" (id neck) are both "neck" without filler
    words: the second once had no name of its own left, and `models` ended in an
    IndexError. Titles are now said as written too, so each keeps its own."""
    (tmp_path / "a-neck.yaml").write_text("id: a-neck\ntitle: Neck\nsteps:\n  - rest: 5s\n")
    (tmp_path / "neck.yaml").write_text("id: neck\ntitle: The neck routine\nsteps:\n"
                                        "  - rest: 5s\n")
    result = CliRunner().invoke(main, ["models", "--out", str(tmp_path / "out"),
                                       "--library", str(tmp_path)])
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "out" / "en-US.json").read_text())
    matcher = Matcher(model)
    assert matcher.understand("start neck").slots["routine"].resolved_id == "a-neck"
    assert matcher.understand("the neck routine").slots["routine"].resolved_id == "neck"
