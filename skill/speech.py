"""The skill's spoken text, loaded once from speech.yaml."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

from builder.render import word_list
from builder.timeline import Chapter

SPEECH_FILE = Path(__file__).with_name("speech.yaml")


@functools.cache
def _texts() -> dict[str, str]:
    return yaml.safe_load(SPEECH_FILE.read_text(encoding="utf-8"))


def say(key: str, **names: object) -> str:
    """The text for `key` with its names filled in."""
    return " ".join(_texts()[key].format(**names).split())


def keys() -> set[str]:
    """Every text the skill has."""
    return set(_texts())


spoken_list = word_list


def chapter_name(chapter: Chapter) -> str:
    """A chapter as said in a sentence: "the introduction", "the finish", "a rest", or its
    title ("Glute roll, left side")."""
    if chapter.step is None:
        return "the introduction" if chapter.index == 0 else "the finish"
    return "a rest" if chapter.title == "Rest" else chapter.title


def minutes(ms: int) -> str:
    """A length as spoken: "about 19 minutes", "about 5 minutes"."""
    whole = max(1, round(ms / 60_000))
    return f"about {whole} minute{'s' if whole != 1 else ''}"


def spoken_duration(ms: int) -> str:
    """A length as said aloud: "45 seconds", "2 minutes", "3 minutes and 20 seconds"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return plural(max(1, seconds), "second")
    minutes, seconds = divmod(round(seconds / 10) * 10, 60)
    if seconds == 0 or minutes >= 10:
        return plural(minutes + (1 if seconds >= 30 and minutes >= 10 else 0), "minute")
    return f"{plural(minutes, 'minute')} and {plural(seconds, 'second')}"


def plural(count: int, unit: str) -> str:
    """"1 session", "3 sessions"."""
    return f"{count} {unit}{'s' if count != 1 else ''}"
