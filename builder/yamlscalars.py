"""Plain YAML values read as a routine author means them, not as YAML 1.1 reads them.

Plain (unquoted) values: `~`, `null` or nothing is null; `true` and `false` (any case YAML
allows) are true and false; decimal digits with an optional sign are a whole number, `010`
being ten; digits with one decimal point are a number with a fraction (`2.5`, `.5`).
Everything else is text: YAML 1.1's octal (`010` was 8), hex (`0x10`), binary (`0b11`),
underscores (`1_000`), sexagesimal (`1:30` was 90), `.inf`, `.nan`, exponents (`1.0e+40`),
dates (`2001-12-14`) and `yes`, `no`, `on`, `off`; only ASCII digits are digits. So a
value an author did not mean as a number stays as written, and a message about it quotes
it as written (YAML 1.2's core schema is close to this, without its exponents and
infinities).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import yaml

NO_CHARACTER = ("an escape here (\\u or \\U) names no character that can be written, "
                "such as half of a surrogate pair; remove it.")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Refusal(Exception):
    """Something plain data has no use for, met at `line`."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message



def resolve(event: yaml.ScalarEvent) -> str:
    """The tag of a scalar, by the rules in the module's docstring: null, bool, int, float,
    merge (`<<`, refused where it is used) or str. Quoted text is always str."""
    if not event.implicit[0]:
        return _STR
    return next((tag for tag, form, _ in _PLAIN if form.fullmatch(event.value)), _STR)


def scalar(event: yaml.ScalarEvent, line: int) -> Any:
    """A scalar as plain data, read by `resolve`'s tag. A lone surrogate, which the
    pure-Python parser reads from an escape such as "\\ud800" (the C parser refuses it),
    is refused: no file, feed or terminal can encode it; so is a number too large to hold
    (over 4,300 digits, or a fraction past a float's range) and `<<` anywhere but a key."""
    if not event.value.isascii() and _SURROGATE.search(event.value):
        raise Refusal(line, NO_CHARACTER)
    tag = resolve(event)
    if tag == _STR:
        return event.value
    build = next(build for known, _, build in _PLAIN if known == tag)
    try:
        return build(event.value)
    except ValueError:
        raise Refusal(line, f"'{event.value[:40]}' cannot be read as a value; put quotes "
                       "around text.") from None


def _finite(text: str) -> float:
    """`text` as a float; ValueError when it is past a float's range (float() gives inf)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _merge(text: str) -> Any:
    """`<<` as a value: it means nothing there (as a key it is refused in `_Reader._key`)."""
    raise ValueError(text)


_STR = "tag:yaml.org,2002:str"
_PLAIN: tuple[tuple[str, re.Pattern[str], Callable[[str], Any]], ...] = (
    # (tag, the whole plain value, how it is built); ASCII digits only ([0-9], not \d)
    ("tag:yaml.org,2002:null", re.compile(r"~|null|Null|NULL|"), lambda text: None),
    ("tag:yaml.org,2002:bool", re.compile(r"true|True|TRUE|false|False|FALSE"),
     lambda text: text.lower() == "true"),
    ("tag:yaml.org,2002:int", re.compile(r"[-+]?[0-9]+"), lambda text: int(text, 10)),
    ("tag:yaml.org,2002:float", re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)"), _finite),
    ("tag:yaml.org,2002:merge", re.compile(r"<<"), _merge),
)
