"""Short human descriptions of lengths, cues and lists, shared by the CLI, skill and web."""

from __future__ import annotations

from .durations import clock, format_ms
from .lengths import Length
from .model import Cues


def length_label(length: Length, short: bool = False) -> str:
    """"12:34" when exact, "~12 min" (or a longer note) when estimated."""
    if length.exact:
        return clock(length.total_ms)
    minutes = max(1, round(length.total_ms / 60_000))
    if short:
        return f"~{minutes} min"
    return f"about {minutes} min (estimated; `matcoach build` gives the exact length)"


def describe_cues(cues: Cues) -> str:
    """The cues of a step in a few words: "halfway, countdown from 3, breathe 4s in 6s out"."""
    parts = []
    if cues.halfway:
        parts.append("halfway chime")
    if cues.countdown:
        parts.append(f"countdown from {cues.countdown.count}")
    if cues.every:
        what = " or ".join(f'"{s}"' for s in cues.every.say) if cues.every.say else "a chime"
        parts.append(f"{what} every {format_ms(cues.every.interval_ms)}")
    if cues.pace:
        what = "/".join(cues.pace.say) if cues.pace.say else "tick"
        parts.append(f"pace {what} every {format_ms(cues.pace.interval_ms)}")
    if cues.breathe:
        parts.append(f"breathe {format_ms(cues.breathe.in_ms)} in, "
                     f"{format_ms(cues.breathe.out_ms)} out")
    return "; ".join(parts)


def word_list(items: list[str], joiner: str = "or") -> str:
    """"a", "a or b", "a, b, or c" (the serial comma, read aloud or on a page)."""
    if len(items) <= 2:
        return f" {joiner} ".join(items)
    return ", ".join(items[:-1]) + f", {joiner} {items[-1]}"


def wait_words(seconds: float | None) -> str:
    """How long until something is ready, as said or shown to a person: "in less than a
    minute", "in about a minute", "in about 3 minutes" ("soon" when not known)."""
    if seconds is None:
        return "soon"
    minutes = round(seconds / 60)
    if seconds < 45:
        return "in less than a minute"
    if minutes <= 1:
        return "in about a minute"
    return f"in about {minutes} minutes"
