"""What therapists type that pages, feeds and speech show again: names, titles, emails and
notes. One rule for all of it, so that whatever the store keeps, every page can show, and
nothing in it hides: a name that reads "J. S." is "J. S.", not "J. S." with a bidi override
or a zero-width space, and a name that shows nothing is no name. (Stricter than routine
files' text, builder/checker.py: a name needs no format character but the joiner.)
"""

from __future__ import annotations

import unicodedata

from builder.checker import BLANK  # letters and symbols drawn as nothing (Hangul fillers)

HIDDEN = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
"""Categories that never show as text: controls, format characters (bidi overrides,
zero-width spaces), private use, unassigned code points and noncharacters, lone
surrogates (JSON can carry them), and the line and paragraph separators."""

ZWJ = "\u200d"   # the zero-width joiner: 👩 + ZWJ + ⚕️ is one emoji, 👩‍⚕️


def hidden(text: str, allowed: str = "") -> bool:
    """Whether `text` holds a character of a HIDDEN category, other than those `allowed`.
    A zero-width joiner between two characters that take part in text is not hidden: it
    joins them, into an emoji such as 👩‍⚕️ or an Indic conjunct."""
    return any(c not in allowed and unicodedata.category(c) in HIDDEN and not _joins(text, i)
               for i, c in enumerate(text))


def shows(text: str) -> bool:
    """Whether `text` has a character that shows: not a space, not a combining mark or
    variation selector alone, not a blank letter."""
    return any(unicodedata.category(c)[0] not in "CMZ" and c not in BLANK for c in text)


def _joins(text: str, i: int) -> bool:
    return (text[i] == ZWJ and 0 < i < len(text) - 1
            and _takes_part(text[i - 1]) and _takes_part(text[i + 1]))


def _takes_part(c: str) -> bool:
    return not c.isspace() and unicodedata.category(c) not in HIDDEN
