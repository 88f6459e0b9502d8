"""Outside text in what Alexa says (issue 10): routine titles and slot values are words,
never markup, and every reply is SSML Alexa accepts."""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from audio.maker import TrackMaker
from builder.library import load_library
from matcoach.app import create_app, endpoint_sender
from skill.device import Device
from skill.ssml import MAX_SSML_CHARS, ssml

HOSTILE = "R&B <audio src='https://x.example/a.mp3'/>"


def spoken(document: str) -> str:
    """The words of an SSML document, which must be well-formed and hold no markup."""
    root = ET.fromstring(document)
    assert root.tag == "speak" and list(root) == [], document
    return root.text or ""


def replies(response: dict) -> list[str]:
    body = response["response"]
    return [part["ssml"] for part in (body.get("outputSpeech"),
                                      (body.get("reprompt") or {}).get("outputSpeech")) if part]


def test_a_slot_value_is_said_as_words_never_as_markup(device):
    response = device.intent("StartRoutineIntent", {"routine": (HOSTILE, None)})
    said = [spoken(document) for document in replies(response)]
    assert said[0].startswith(f"I don't know a routine called {HOSTILE}. You could try ")
    assert "<audio" not in response["response"]["outputSpeech"]["ssml"]


def test_a_title_with_an_ampersand_opens_and_starts(tmp_path, piper, encoder, cache_dir):
    library, tracks = tmp_path / "library", tmp_path / "tracks"
    library.mkdir()
    (library / "neck.yaml").write_text(textwrap.dedent("""\
        title: Neck & shoulders <warm-up>
        summary: Loosen up.
        steps:
          - {title: Shrug, say: Lift your shoulders and let them drop., work: 5s}
        """), encoding="utf-8")
    maker = TrackMaker(piper, encoder, cache_dir, tracks)
    for routine in load_library(library).routines.values():
        maker.make(routine)
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks),
                      "LIBRARY_DIR": str(library), "DATABASE": str(tmp_path / "db.sqlite")})
    device = Device(skill_id="amzn1.ask.skill.local", send=endpoint_sender(app),
                    length_of=lambda token: 60_000)
    welcome = [spoken(document) for document in replies(device.launch())]
    assert any("Neck & shoulders <warm-up>" in words for words in welcome), welcome
    started = device.intent("StartRoutineIntent", {"routine": ("neck and shoulders", "neck")})
    assert spoken(replies(started)[0]).startswith("Starting Neck & shoulders <warm-up>.")


def test_characters_xml_cannot_hold_are_left_out():
    assert spoken(ssml("Bell\x07 escape\x1b nul\x00 surrogate\ud800 tab\tend")) == \
        "Bell escape nul surrogate tab\tend"


def test_a_long_reply_is_cut_at_a_word_under_alexas_limit():
    words = "Rest & breathe. " * 1000        # every & becomes five characters in SSML
    document = ssml(words)
    assert len(document) <= MAX_SSML_CHARS < len(f"<speak>{words}</speak>")
    said = spoken(document)
    assert words.startswith(said) and said.endswith(("Rest", "&", "breathe."))


@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.text())
def test_any_text_is_well_formed_ssml_that_says_it(text):
    """Issue 10: whatever a title or slot value holds, the reply is SSML Alexa accepts and
    says the same words (bar characters XML cannot hold at all)."""
    allowed = "".join(ch for ch in text if ch in "\t\n\r" or (
        ch >= " " and not "\ud800" <= ch <= "\udfff" and ch not in "\ufffe\uffff"))
    said = spoken(ssml(text))
    # XML parsers turn a lone carriage return into a line feed (XML 1.0, 2.11).
    assert said == allowed.replace("\r\n", "\n").replace("\r", "\n")
