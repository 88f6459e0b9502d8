"""The cue sheet and the WebVTT transcript of a track (contract 2)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from builder.timeline import Timeline


def cue_sheet(timeline: Timeline, *, audio: str, build: str, source: str, voice: str) -> dict:
    """The JSON cue sheet: chapters for seeking, and every cue where it is heard."""
    return {
        "routine": timeline.routine,
        "title": timeline.title,
        "duration_ms": timeline.duration_ms,
        "audio": audio,
        "build": build,
        "source": source,
        "voice": voice,
        "chapters": [
            {"index": c.index, "title": c.title, "start_ms": c.start_ms,
             "end_ms": c.end_ms, "step": c.step, "side": c.side}
            for c in timeline.chapters],
        "cues": [
            {"at_ms": e.at_ms, "kind": e.kind, "text": e.text, "step": e.step, "side": e.side}
            for e in timeline.events],
    }


def webvtt(timeline: Timeline) -> str:
    """A transcript: one caption per spoken phrase, for the time it is spoken."""
    lines = ["WEBVTT", ""]
    spoken = [e for e in timeline.events if e.text]
    for number, event in enumerate(spoken, 1):
        lines += [str(number), f"{_stamp(event.at_ms)} --> {_stamp(event.end_ms)}",
                  cue_text(event.text or ""), ""]
    return "\n".join(lines)


def cue_text(text: str) -> str:
    """`text` as WebVTT cue text: one line, with &, < and > written as character
    references. A bare "&" or "<" starts an escape or a tag in cue text, and Chromium's
    parser dropped the rest of the caption (W3C WebVTT, 4.2.2 "cue text"); a line break
    would end the cue, and "-->" is not allowed in it (escaping ">" takes care of that)."""
    return escape(" ".join(text.split()))


def _stamp(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
