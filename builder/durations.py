"""Durations as routine authors write them: 45s, 2m, 1m30s, 2.5s or whole seconds.

Digits are ASCII digits only: str.isdigit() and the pattern class \\d also take digits of
other scripts, full-width digits and superscripts, which once read '１０' as ten seconds
and made '²' leak "invalid literal for int()" (issue 10). Whole numbers come from the YAML
loader read as decimal (builder/yamlsource.py), so `010` is ten seconds.
"""

from __future__ import annotations

import re

from .errors import quoted

_PATTERN = re.compile(r"(?:(?P<m>[0-9]+)\s*m)?\s*"
                      r"(?:(?P<s>[0-9]+)(?:\.(?P<ms>[0-9]{1,3}))?\s*s)?")
_SECONDS = re.compile(r"[0-9]+")
_MOST_DIGITS = 15
"""More digits than any duration needs (a thousand years in seconds has 11). Longer ones
are refused before int() sees them: it raises its own message past 4,300 digits."""
EXAMPLES = "45s, 2m, 1m30s or a whole number of seconds"


def parse_duration_ms(value: object) -> int:
    """Milliseconds for `value`; raises ValueError with a message for a person, which
    quotes text as written."""
    if isinstance(value, bool):
        raise ValueError(f"{quoted(value)} is not a duration; write {EXAMPLES}.")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{quoted(value)} is negative; write {EXAMPLES}.")
        return value * 1000
    text = str(value).strip().lower()
    if _SECONDS.fullmatch(text):    # whole seconds written as text: '90'
        text += "s"
    match = _PATTERN.fullmatch(text)
    if not match or not (match["m"] or match["s"]):
        raise ValueError(f"{quoted(value)} is not a duration; write {EXAMPLES}.")
    if max(len(match["m"] or ""), len(match["s"] or "")) > _MOST_DIGITS:
        raise ValueError(f"{quoted(value)} is far too long for a duration; write "
                         f"{EXAMPLES}.")
    # In whole numbers, never float: float("1" * 400) is infinite, and round() then raised.
    minutes, seconds = int(match["m"] or 0), int(match["s"] or 0)
    return (minutes * 60 + seconds) * 1000 + int((match["ms"] or "0").ljust(3, "0"))


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
