"""Text for the ear: routine text rewritten the way a person would read it aloud.

`for_the_ear` is the one normaliser every spoken text passes through before the voice.
Numbers, ranges, our own durations (45s, 1m30s), scores (5/10), comparisons, symbols,
markdown emphasis and emoji become plain words; sentence punctuation stays, because Piper
takes its pauses and intonation from it. `unsayable` names what is left that no voice
can say well, so that validation can warn the author. Pure: no files, no voice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from num2words import num2words

__all__ = ["for_the_ear", "unsayable"]

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]

DECIMAL = r"[0-9]+(?:\.[0-9]+)?"
NUMBER = rf"[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|{DECIMAL}"
# A number stands alone when it is not part of a word, a version (3.4.5), a clock time
# (7:30), a path (1/2/3) or a string of numbers (3-2-1): those are left as written, and
# `unsayable` names them.
ALONE = r"(?<![\w.,:/\-])"
END = r"(?![\w]|[.,:/\-][0-9])"
DASHES = r"\-–—−"   # for character classes: hyphen, en dash, em dash, minus
MAX_DIGITS = 15     # past this num2words loses precision, and no listener follows anyway
UNITS = {   # spelling -> (one, more than one)
    "s": ("second", "seconds"), "sec": ("second", "seconds"), "secs": ("second", "seconds"),
    "m": ("minute", "minutes"), "min": ("minute", "minutes"), "mins": ("minute", "minutes"),
    "h": ("hour", "hours"), "hr": ("hour", "hours"), "hrs": ("hour", "hours"),
    "%": ("percent", "percent"), "°": ("degree", "degrees"),
    "°c": ("degree Celsius", "degrees Celsius"),
    "°f": ("degree Fahrenheit", "degrees Fahrenheit"),
}
UNIT = r"secs?|mins?|hrs?|°\s?[cf]|°|%|[smh]"
COMPARISONS = {"<=": "at most", "≤": "at most", ">=": "at least", "≥": "at least",
               "<": "less than", ">": "more than", "~": "about", "≈": "about"}
FRACTIONS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters")}
VULGAR = {"½": "a half", "¼": "a quarter", "¾": "three quarters", "⅓": "a third",
          "⅔": "two thirds"}
ABBREVIATIONS = [   # (pattern, words, may end a sentence); "E.g." gives "For example"
    (r"e\.\s?g\.", "for example", False), (r"i\.\s?e\.", "that is", False),
    (r"approx\.?", "about", False), (r"vs\.?", "versus", False), (r"etc\.", "et cetera", True),
]
SYMBOLS = {"&": " and ", "+": " plus ", "|": ", ", "•": ", ", "#": " ", "~": " ", "^": " ",
           "\\": " ", "*": " ", "_": " ", "`": " ", "°": " ", "[": "(", "{": "(",
           "]": ")", "}": ")", "%": " percent "}
KEPT = set(".,;:!?'\"()-…‘’“”«»")   # punctuation the voice reads as pauses and tone
# Every pattern here runs on author text of up to MAX_TEXT_CHARS, for every field of every
# routine a server (re)loads: each must take time linear in the text. Python's engine tries
# a pattern at every position, so a pattern whose attempt scans a run of characters must
# only start at the run's first one (a lookbehind), and a quantifier that nothing after it
# could give a use to is possessive (++, *+: Python 3.11), so a failure does not retry it
# char by char. The address pattern once did neither: 86 instructions of "a-a-a-..."
# (1,480 characters each) took 12 s to validate (issue 10).
WEB = re.compile(
    # a web address, up to the punctuation that ends the sentence around it
    r"((?:https?://|www\.)\S(?:[^\s.,;:!?)]++|[.,;:!?)]++(?=[^\s.,;:!?)]))*+"
    # an email address, from the first character of its name
    r"|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++"
    # a domain with a known ending, from its first label (or after a dash before it), not
    # from a later label of the same chain
    r"|\b(?:(?<![a-z0-9-])|(?<=-)(?<![a-z0-9.-]-))(?<![a-z0-9-]\.)"
    r"[a-z0-9-]++(?:\.[a-z0-9-]++)*\.(?:com|org|net|io|app|uk)\b(?:/\S*+)?)", re.IGNORECASE)
# A markdown link's words and address hold no bracket, so an attempt stops at the next one.
LINK = re.compile(r"\[([^\[\]]++)\]\([^)\[]*+\)")


@lru_cache(maxsize=4096)   # the scheduler asks for the same cue words hundreds of times
def for_the_ear(text: str) -> str:
    """`text` as the voice should say it: "Roll *slowly* for 45s 🙂" -> "Roll slowly for
    forty-five seconds". Never raises; web and email addresses are left as written.
    Normalising twice gives the same as once."""
    text = LINK.sub(r"\1", text)   # a markdown link's words are what a listener needs
    parts = WEB.split(text)   # odd items are addresses: no rule below can make them better
    return _tidy("".join(p if i % 2 else _words_of(p) for i, p in enumerate(parts)))


def unsayable(text: str) -> list[str]:
    """Short reasons the voice cannot say `text` well once normalised, in reading order,
    such as "a web address: www.example.com" or "digits it cannot read: 3.4.5";
    empty when all of it can be said."""
    heard = WEB.findall(LINK.sub(r"\1", text))   # a link's address is never said
    reasons = [f"{'an email' if '@' in a else 'a web'} address: {a}" for a in heard]
    said = WEB.sub(" ", for_the_ear(text))
    for word in said.split():
        word = word.strip("".join(KEPT))
        if any(c.isdigit() for c in word):
            reasons.append(f"digits it cannot read: {word}")
            continue
        reasons += [f"a symbol it cannot say: {c}" for c in word
                    if not c.isalpha() and c not in KEPT]
        if any(c.isalpha() and not _latin(c) for c in word):
            reasons.append(f"letters the English voice cannot read: {word}")
    if text.strip() and not for_the_ear(text):
        reasons.append("nothing it can say: only emoji or symbols")
    return list(dict.fromkeys(reasons))


def _words_of(text: str) -> str:
    """A stretch of text without addresses, as words."""
    for step in (_without_pictographs, _plain, _abbreviations, _numbers, _symbols):
        text = step(text)
    return text


def _without_pictographs(text: str) -> str:
    """Emoji, their joiners and skin tones, and other pictographs: there are no words for
    them that help anyone on a mat. The degree sign stays for `_numbers`."""
    return "".join(_without_pictograph(c) for c in text)


def _without_pictograph(char: str) -> str:
    kind = unicodedata.category(char)
    if kind == "Cf" or "\ufe00" <= char <= "\ufe0f":   # joiners, selectors, soft hyphens
        return ""
    skin_tone = "\U0001f3fb" <= char <= "\U0001f3ff"
    # Cn: emoji newer than this Python's Unicode tables are not assigned yet.
    return " " if (kind in ("So", "Co", "Cn", "Me") and char != "°") or skin_tone else char


MARKDOWN: list[Rule] = [
    # The words inside hold no mark of their own kind: an attempt ends at the next mark.
    (re.compile(r"(\*{1,3})(?=[^\s*])([^*]++)(?<=\S)\1"), r"\2"),       # *slowly*, **firm**
    (re.compile(r"(?<!\w)(_{1,3})(?=[^\s_])([^_]++)(?<=\S)\1(?!\w)"), r"\2"),   # _slowly_
    (re.compile(r"`+([^`]*)`+"), r"\1"),                          # `code`
    (re.compile(r"^\s*(?:#+|[-*•]|\d+\.)\s+"), ""),                # a heading or list mark
]


def _plain(text: str) -> str:
    """Markdown emphasis, code and list marks reduced to their words."""
    return _apply(MARKDOWN, text)


def _abbreviations(text: str) -> str:
    for pattern, words, may_end in ABBREVIATIONS:
        text = re.sub(rf"(?<!\w){pattern}(?!\w)",
                      lambda m, w=words, e=may_end: _expanded(m, w, e), text, flags=re.I)
    return text


SENTENCE_GOES_ON = re.compile(r"\s*+$|\s++[A-Z]")


def _expanded(match: re.Match[str], words: str, may_end: bool) -> str:
    """The words, keeping the full stop when the abbreviation also ended the sentence."""
    if match[0][0].isupper():
        words = words[0].upper() + words[1:]
    ends = may_end and SENTENCE_GOES_ON.match(match.string, match.end())   # no copy of the rest
    return words + "." if ends else words


def _say(number: str, to: str = "cardinal") -> str:
    """Words for a written number: "1,500" -> "one thousand five hundred", "1.5" -> "one
    point five", ("3", "ordinal") -> "third". Commas in the words would be read as pauses,
    so there are none. A number too long to say usefully is left as written."""
    digits = number.replace(",", "")
    if len(digits) > MAX_DIGITS:
        return number
    return num2words(Decimal(digits), to=to).replace(",", "")


def _unit(match: re.Match[str], last: str) -> str:
    """ " seconds" for the match's unit ("s"), " second" when `last` is "1"; or nothing."""
    unit = match["unit"]
    if not unit:
        return ""
    one, more = UNITS[re.sub(r"\s", "", unit.lower())]
    return " " + (one if Decimal(last.replace(",", "")) == 1 else more)


def _quantity(match: re.Match[str]) -> str:
    """A number or a range, with a unit if it has one: "10-15s" -> "ten to fifteen seconds"."""
    words = _say(match["a"])
    if match["b"]:
        words += " to " + _say(match["b"])
    return words + _unit(match, match["b"] or match["a"])


def _score(match: re.Match[str]) -> str:
    """ "5/10" -> "five out of ten"; a small fraction is said as one: "3/4" -> "three quarters"."""
    a, b, d = match["a"], match["b"], int(match["d"])
    if not b and d in FRACTIONS and a.isdigit() and int(a) < d:
        one, more = FRACTIONS[d]
        return f"{_say(a)} {one if a == '1' else more}"
    upper = f" to {_say(b)}" if b else ""
    return f"{_say(a)}{upper} out of {_say(match['d'])}"


def _vulgar(match: re.Match[str]) -> str:
    """ "1½" -> "one and a half", "¼" -> "a quarter"."""
    fraction = VULGAR[match["f"]]
    return f"{_say(match['n'])} and {fraction}" if match["n"] else fraction


def _compound(match: re.Match[str]) -> str:
    """ "1m30s" -> "one minute thirty seconds": our duration syntax, said in full."""
    minutes = _say(match["m"]) + (" minute" if match["m"] == "1" else " minutes")
    return f"{minutes} {_say(match['s'])}" + (" second" if match["s"] == "1" else " seconds")


# In order: each rule leaves words that no later rule matches, so normalising is idempotent.
NUMBERS: list[Rule] = [
    (re.compile(r"(?:(?<!\s)\s++)?(?:->|=>|→)\s*+"), " to "),
    (re.compile(r"(<=|>=|≤|≥|<|>|~|≈)\s?(?=[0-9])"), lambda m: COMPARISONS[m[1]] + " "),
    (re.compile(r"#\s?(?=[0-9])"), "number "),
    (re.compile(rf"{ALONE}(?P<m>[0-9]+)\s?m\s?(?P<s>{DECIMAL})\s?s(?!\w)", re.I),  # 1m30s
     _compound),
    (re.compile(rf"{ALONE}(?:(?P<n>[0-9]+)\s?)?(?P<f>[½¼¾⅓⅔])"), _vulgar),         # 1½
    (re.compile(rf"{ALONE}(?P<a>{DECIMAL})(?:\s?[{DASHES}]\s?(?P<b>{DECIMAL}))?\s?/\s?"
                rf"(?P<d>[0-9]+){END}"), _score),                                # 5/10, 3/4
    (re.compile(rf"{ALONE}([0-9]+)(?:st|nd|rd|th)(?!\w)", re.I),         # 1st, 22nd
     lambda m: _say(m[1], to="ordinal")),
    (re.compile(rf"{ALONE}([0-9]+)\s?[x×]\s?([0-9]+){END}"),              # 3x10, 3 x 10
     lambda m: f"{_say(m[1])} by {_say(m[2])}"),
    (re.compile(rf"(?<!\w)[x×]\s?([0-9]+){END}"), lambda m: f"{_say(m[1])} times"),   # x10
    (re.compile(rf"{ALONE}([0-9]+)\s?[x×](?!\w)"), lambda m: f"{_say(m[1])} times"),  # 10x
    (re.compile(rf"{ALONE}([0-9]+)\+"), lambda m: f"{_say(m[1])} or more"),          # 5+
    (re.compile(rf"{ALONE}(?P<a>{NUMBER})(?:\s?[{DASHES}]\s?(?P<b>{NUMBER}))?"      # 10-15s
                rf"(?:\s?(?P<unit>{UNIT})(?!\w)|{END})", re.I), _quantity),
]


def _numbers(text: str) -> str:
    """Every number standing alone, with what goes with it, as words."""
    return _apply(NUMBERS, text)


# From a run's first dash only: an attempt scans the whole run.
DASH_PAUSE = re.compile(rf"(?:\s[{DASHES}]++|(?<![{DASHES}])(?:[{DASHES}]{{2,}}+|[–—]))"
                        r"(?:\s|(?=\w)|$)")


def _symbols(text: str) -> str:
    """Dashes between words become pauses, a slash between words "or", and the symbols
    people use in writing their words; what is left is for `unsayable` to name."""
    text = DASH_PAUSE.sub(", ", text)
    text = re.sub(r"(?<=[^\W\d])\s?/\s?(?=[^\W\d])", " or ", text)
    return "".join(SYMBOLS.get(c, c) for c in text)


TIDY: list[Rule] = [
    (re.compile(r"\s+"), " "),
    (re.compile(r"\(\s*\)"), ""),                          # brackets left empty
    (re.compile(r"\(\s+"), "("),
    (re.compile(r"(?<!\s)\s++(?=[.,;:!?)…])"), ""),
    (re.compile(r",(?:\s*,)+"), ","),                       # a pause said once
    (re.compile(r",\s*(?=[.;:!?])"), ""),                   # a sentence's end wins over a pause
    (re.compile(r"^[\s,;:]++|(?<![\s,;:])[\s,;:]++$"), ""),
]


def _tidy(text: str) -> str:
    """One space between words, none before punctuation, no doubled or dangling pauses."""
    return _apply(TIDY, text).strip()


def _apply(rules: list[Rule], text: str) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text


def _latin(char: str) -> bool:
    """Whether a letter is of the Latin script, the only one an English voice reads."""
    return "LATIN" in unicodedata.name(char, "")
