"""Text from routines, escaped once for each format it reaches (issue 10): any title and
summary a routine can have gives a well-formed podcast feed (a title with ESC or BEL once
made /feed.xml something no podcast app could read), and the page shows the transcript's
words, not their WebVTT escapes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from xml.etree import ElementTree as ET

from hypothesis import event, given, settings
from hypothesis import strategies as st

from audio.shelf import Track
from builder.library import load_context
from builder.parse import parse_routine
from builder.yamlsource import parse_text
from web.feed import ITUNES, feed_xml

from ..served import BASE_URL

CONTEXT = load_context(None)
AUDIO = Path(tempfile.mkdtemp(prefix="feed-"))
(AUDIO / "r.mp3").write_bytes(b"\xff\xfb" * 100)


def routine_with(title: str, summary: str):
    text = (f"title: {json.dumps(title, ensure_ascii=False)}\n"
            f"summary: {json.dumps(summary, ensure_ascii=False)}\n"
            "steps:\n  - {title: Breathe, say: Breathe slowly., work: 20s}\n")
    routine, _ = parse_routine(parse_text(text, "r.yaml"), CONTEXT, default_id="r")
    return routine


@settings(derandomize=True, deadline=None, max_examples=300, database=None)
@given(st.text(max_size=60), st.text(max_size=200))
def test_any_accepted_title_and_summary_make_a_well_formed_feed(title, summary):
    routine = routine_with(title, summary)
    event("accepted" if routine else "refused")     # --hypothesis-show-statistics
    if routine is None:
        return          # refused in words, by the checks tests/builder covers
    track = Track(routine, "b1", 60_000, (), "r.mp3")
    feed = ET.fromstring(feed_xml([track], AUDIO, CONTEXT.vocabulary, BASE_URL))
    item = feed.find("channel/item")
    assert item.findtext("title") == routine.title
    assert item.findtext(f"{{{ITUNES}}}summary") == routine.summary


def test_titles_with_markup_and_ampersands_are_text_in_the_feed():
    routine = routine_with("Neck & shoulders <b>", "R&B ]]> \"quoted\" 'too'")
    track = Track(routine, "b1", 60_000, (), "r.mp3")
    raw = feed_xml([track], AUDIO, CONTEXT.vocabulary, BASE_URL)
    assert b"Neck &amp; shoulders &lt;b&gt;" in raw
    assert ET.fromstring(raw).find("channel/item").findtext("title") == "Neck & shoulders <b>"


def test_a_title_with_a_control_character_never_reaches_the_feed():
    assert routine_with("Neck\x1b and shoulders", "Calm.") is None
    assert routine_with("Ring\x07", "Calm.") is None


def test_the_routine_pages_transcript_shows_the_words_not_their_escapes():
    """The page read the transcript's escaped cue text and escaped it again: a reader saw
    "&amp;lt;" where the voice said "<"."""
    import io

    from audio.outputs import webvtt
    from builder.timeline import Event, Speech, Timeline
    from web.pages import transcript
    said = "Neck & shoulders, pressure <5/10 -->"
    vtt = webvtt(Timeline("r", "T", (Event(0, Speech(said), 1000, "instruction"),), (), 2000))
    [line] = transcript(io.BytesIO(vtt.encode("utf-8")))
    assert line.text == said
