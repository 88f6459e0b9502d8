"""Durations as routine authors write them: 45s, 2m, 1m30s, 2.5s or whole seconds."""

from __future__ import annotations

import re

from .errors import quoted

_PATTERN = re.compile(r"^(?:(?P<m>\d+)\s*m)?\s*(?:(?P<s>\d+(?:\.\d{1,3})?)\s*s)?$")
EXAMPLES = "45s, 2m, 1m30s or a whole number of seconds"


def parse_duration_ms(value: object) -> int:
    """Milliseconds for `value`; raises ValueError with a message for a person."""
    if isinstance(value, bool):
        raise ValueError(f"{quoted(value)} is not a duration; write {EXAMPLES}.")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{quoted(value)} is negative; write {EXAMPLES}.")
        return value * 1000
    text = str(value).strip().lower()
    if text.isdigit():
        return int(text) * 1000
    match = _PATTERN.match(text)
    if not text or not match or not (match["m"] or match["s"]):
        raise ValueError(f"{quoted(value)} is not a duration; write {EXAMPLES}.")
    minutes = int(match["m"] or 0)
    seconds_ms = round(float(match["s"] or 0) * 1000)
    return minutes * 60_000 + seconds_ms


def format_ms(ms: int) -> str:
    """A duration as a person says it: 45s, 2m, 1m30s, 2.5s."""
    minutes, rest = divmod(ms, 60_000)
    seconds = f"{rest / 1000:g}s" if rest else ""
    if minutes:
        return f"{minutes}m{seconds}"
    return seconds or "0s"


def clock(ms: int) -> str:
    """A position as a player shows it: 1:05, 12:30, 1:02:03."""
    total = round(ms / 1000)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
