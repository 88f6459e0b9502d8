"""Parse a step's `cues:` mapping and check that each cue fits its work period."""

from __future__ import annotations

from typing import Any

from .checker import Checker
from .durations import format_ms
from .limits import MAX_COUNTDOWN
from .model import Breathe, Countdown, Cues, Every, Pace
from .yamlsource import Path_

CUE_KINDS = ("halfway", "countdown", "every", "pace", "breathe")
MIN_INTERVAL_MS = 1000

ParsedCues = dict[str, Any]
"""Cue kind -> parsed value; None means switched off (`every: false`)."""


def parse_cues(ck: Checker, value: Any, path: Path_) -> ParsedCues:
    """Each cue present in `value`, parsed; bad ones are recorded and left out."""
    mapping = ck.mapping(value, path, "cues")
    if mapping is None:
        return {}
    ck.known_keys(mapping, CUE_KINDS, path, "cues")
    parsers = {"halfway": _halfway, "countdown": _countdown, "every": _every,
               "pace": _pace, "breathe": _breathe}
    parsed: ParsedCues = {}
    for kind, raw in mapping.items():
        if kind not in parsers:
            continue
        if raw is False:
            parsed[kind] = None
            continue
        if raw is None:     # `halfway:` with nothing after it: on or off was not said
            on = "true to turn it on" if kind == "halfway" else "its settings"
            ck.fail((*path, kind), f"write false to turn this cue off, or {on}.")
            continue
        result = parsers[kind](ck, raw, (*path, kind))
        if result is not None:
            parsed[kind] = result
    return parsed


def build_cues(parsed: ParsedCues) -> Cues:
    """The Cues value for merged parsed cues."""
    return Cues(**{kind: value for kind, value in parsed.items() if value is not None})


def check_fit(ck: Checker, cues: Cues, work_ms: int, path: Path_) -> None:
    """Report cues whose intervals cannot fit a work period of `work_ms`."""
    work = format_ms(work_ms)
    if cues.countdown and cues.countdown.count * 1000 >= work_ms:
        ck.fail((*path, "countdown"), f"a {cues.countdown.count}-second countdown does not fit "
                f"a {work} work period; count down from fewer seconds or lengthen the work.")
    if cues.every and cues.every.interval_ms >= work_ms:
        ck.fail((*path, "every"), f"a cue every {format_ms(cues.every.interval_ms)} never "
                f"sounds in a {work} work period; use a shorter interval.")
    if cues.pace and cues.pace.interval_ms >= work_ms:
        ck.fail((*path, "pace"), f"a beat every {format_ms(cues.pace.interval_ms)} never "
                f"sounds in a {work} work period; use a shorter interval.")
    if cues.breathe and cues.breathe.in_ms + cues.breathe.out_ms > work_ms:
        breath = format_ms(cues.breathe.in_ms + cues.breathe.out_ms)
        ck.fail((*path, "breathe"), f"one breath ({breath}) is longer than the {work} "
                "work period; shorten the breath or lengthen the work.")
    _check_clashes(ck, cues, work_ms, path)


def _check_clashes(ck: Checker, cues: Cues, work_ms: int, path: Path_) -> None:
    """Cues that must collide whatever the voice: at the same moment, or inside the countdown."""
    times: dict[str, list[int]] = {}
    if cues.halfway:
        times["halfway"] = [work_ms // 2]
    if cues.every:
        times["every"] = list(range(cues.every.interval_ms, work_ms, cues.every.interval_ms))
    countdown_from = work_ms - cues.countdown.count * 1000 if cues.countdown else work_ms
    for kind, moments in times.items():
        during = [t for t in moments if t >= countdown_from]
        if during:
            ck.fail((*path, kind), f"the {kind} cue at {format_ms(during[0])} falls inside the "
                    "countdown; change the interval or count down from fewer seconds.")
    if cues.halfway and cues.every and work_ms // 2 in times["every"]:
        # Said for a routine file and for the plan editor alike (its switches are named
        # "Reminders" and "Halfway chime").
        ck.fail((*path, "every"), f"a reminder (the every cue) and the halfway chime both "
                f"fall at {format_ms(work_ms // 2)}; turn one of them off, change the "
                "reminders' interval, or change the work time.")


def _halfway(ck: Checker, raw: Any, path: Path_) -> bool | None:
    return ck.boolean(raw, path)


def _countdown(ck: Checker, raw: Any, path: Path_) -> Countdown | None:
    if not isinstance(raw, dict):
        count = ck.integer(raw, path, 1, MAX_COUNTDOWN)
        return Countdown(count) if count else None
    ck.known_keys(raw, ("from", "spoken"), path, "countdown")
    count = ck.integer(raw.get("from"), (*path, "from"), 1, MAX_COUNTDOWN)
    spoken = ck.boolean(raw.get("spoken", True), (*path, "spoken"))
    return Countdown(count, spoken) if count and spoken is not None else None


def _every(ck: Checker, raw: Any, path: Path_) -> Every | None:
    if not isinstance(raw, dict):
        interval = _interval(ck, raw, path)
        return Every(interval) if interval else None
    ck.known_keys(raw, ("interval", "say"), path, "every")
    interval = _interval(ck, raw.get("interval"), (*path, "interval"))
    say = _words(ck, raw, path)
    if interval is None or say is None:
        return None
    return Every(interval, say)


def _pace(ck: Checker, raw: Any, path: Path_) -> Pace | None:
    mapping = ck.mapping(raw, path, "pace")
    if mapping is None:
        return None
    ck.known_keys(mapping, ("interval", "say"), path, "pace")
    interval = _interval(ck, mapping.get("interval"), (*path, "interval"))
    say = _words(ck, mapping, path)
    if interval is None or say is None:
        return None
    return Pace(interval, say)


def _words(ck: Checker, mapping: dict, path: Path_) -> tuple[str, ...] | None:
    """The words of `say:` (one, or a list of at least one; left out: a tone each time)."""
    if "say" not in mapping:
        return ()
    raw = mapping["say"]
    if raw == []:
        ck.fail((*path, "say"), "list at least one word, or leave say out for a tone.")
        return None
    if not isinstance(raw, list):
        word = ck.spoken(raw, (*path, "say"))
        return None if word is None else (word,)
    words = [ck.spoken(w, (*path, "say", i)) for i, w in enumerate(raw)]
    return None if None in words else tuple(words)


def _breathe(ck: Checker, raw: Any, path: Path_) -> Breathe | None:
    mapping = ck.mapping(raw, path, "breathe")
    if mapping is None:
        return None
    ck.known_keys(mapping, ("in", "out", "spoken"), path, "breathe")
    in_ms = _interval(ck, mapping.get("in"), (*path, "in"))
    out_ms = _interval(ck, mapping.get("out"), (*path, "out"))
    spoken = ck.integer(mapping.get("spoken", 2), (*path, "spoken"), 0, 1000)
    if in_ms is None or out_ms is None or spoken is None:
        return None
    return Breathe(in_ms, out_ms, spoken)


def _interval(ck: Checker, raw: Any, path: Path_) -> int | None:
    if raw is None:
        ck.fail(path, "give an interval such as 15s.")
        return None
    return ck.duration(raw, path, minimum_ms=MIN_INTERVAL_MS)
