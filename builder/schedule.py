"""Place every sound of a routine on a timeline. Pure: no files, no voice, no encoder."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from .durations import format_ms
from .errors import ScheduleError
from .model import RestStep, Routine, WorkStep
from .timeline import Chapter, Event, Sound, Timeline, Tone
from .wording import (
    caution_words,
    chapter_title,
    heading,
    instruction_text,
    side_words,
    speech,
    switch_words,
)

# Bump when a change here moves any sound of an unchanged routine. 2: text is normalised
# for the ear ("45s" is said "forty-five seconds"); cautions from the safety rules are
# spoken; a one-sided step says so; a pause after each step's title; time to move counted
# from the end of the words; what to feel said once the work has begun. 3: what to feel
# follows the first breath out where a step paces the breath. 4: the first pace beat heard
# says the first word; a step's own first_say names the first side; a step's cautions are
# phrases of their own before its instruction (a heat step was 38 s of speech in one).
VERSION = 4

Measure = Callable[[Sound], int]
"""How long a sound lasts, in ms; the audio layer measures, estimate.py guesses."""

TRACK_LEAD_MS = 1000    # quiet before the first words, so no player clips them
SPEECH_GAP_MS = 600     # between two sentences that follow each other
AFTER_WORK_MS = 1500    # after a work period's end tone, before the next words
SWITCH_GAP_MS = 250     # between the end tone and the switch cue
BREATHE_OFFSET_MS = 1000  # the first breath starts once the start tone has rung
CLEARANCE_MS = 150      # the least silence between two cue sounds
TRACK_TAIL_MS = 3000    # quiet after the last words
TITLE_GAP_MS = 900      # after a step's title, so it is heard as a heading
# Issue 9: "at least 4 s of quiet" between words and the start tone, to move, find the
# equipment and settle; the defaults below never give less, however long the words.
MOVE_MS = 4000
DEFAULT_LEAD_IN_MS = 5000   # from the end of the instruction to the start tone
DEFAULT_SWITCH_MS = 6000    # from one side's end tone at least, and MOVE_MS after the words
FEEL_AFTER_MS = 3000    # the words on what to feel, once the person has begun


def schedule(routine: Routine, measure: Measure) -> Timeline:
    """The routine's timeline; ScheduleError names every cue that collides or cannot fit,
    each with the line of the routine's field it concerns."""
    scheduler = _Scheduler(routine, measure)
    timeline, problems = scheduler.run()
    if problems:
        lines = [routine.line_of(path) for path in scheduler.problem_paths]
        raise ScheduleError(routine.file or routine.id, problems, lines)
    return timeline


def plan(routine: Routine, measure: Measure) -> tuple[Timeline, list[str]]:
    """The timeline together with the problems found while placing it."""
    return _Scheduler(routine, measure).run()


def timing_warnings(routine: Routine, measure: Measure) -> list[tuple[int, str, str]]:
    """(step index, field, message) for each lead_in or switch the author set that leaves
    less than MOVE_MS of quiet after the words (kept as written; validate warns)."""
    scheduler = _Scheduler(routine, measure)
    scheduler.run()
    return scheduler.warnings


def sounds_of(routine: Routine, guess: Measure) -> set[Sound]:
    """Every sound the schedule may use: whatever it asks the length of while planning."""
    asked: set[Sound] = set()

    def recording(sound: Sound) -> int:
        asked.add(sound)
        return guess(sound)

    plan(routine, recording)
    return asked


class _Scheduler:
    def __init__(self, routine: Routine, measure: Measure) -> None:
        self.routine = routine
        self.phrases = routine.phrases
        self.measure = measure
        self.events: list[Event] = []
        self.marks: list[tuple[str, int, int | None, str | None]] = []
        self.problems: list[str] = []
        self.problem_paths: list[tuple[str | int, ...]] = []
        """The routine field each problem concerns, in the same order (see problem)."""
        self.warnings: list[tuple[int, str, str]] = []
        """(step index, field, message) for timing an author chose that leaves too little."""
        self.cautions = caution_words(routine)

    def run(self) -> tuple[Timeline, list[str]]:
        self.marks.append(("Introduction", 0, None, None))
        t = self.say(self.routine.safety, "intro", TRACK_LEAD_MS) + SPEECH_GAP_MS
        for words in self.cautions.get(None, ()):
            t = self.say(words, "intro", t) + SPEECH_GAP_MS
        if self.routine.intro:
            t = self.say(self.routine.intro, "intro", t) + SPEECH_GAP_MS
        for index, step in enumerate(self.routine.steps):
            if isinstance(step, RestStep):
                t = self.rest(index, step, t)
            else:
                t = self.work_step(index, step, t)
        self.marks.append(("Finish", t, None, None))
        duration = self.say(self.routine.outro, "outro", t) + TRACK_TAIL_MS
        timeline = Timeline(
            routine=self.routine.id, title=self.routine.title,
            events=tuple(sorted(self.events, key=lambda e: e.at_ms)),
            chapters=self.chapters(duration), duration_ms=duration,
            voice_pace=self.routine.voice_pace)
        return timeline, self.problems

    def problem(self, index: int, key: str, message: str) -> None:
        """Record a problem with step `index`, about its field `key` (for its line)."""
        self.problems.append(message)
        self.problem_paths.append(("steps", index, key))

    def chapters(self, duration: int) -> tuple[Chapter, ...]:
        """One chapter a mark, each lasting until the next one starts (the last: the end)."""
        chapters = []
        for i, (title, start, step, side) in enumerate(self.marks):
            end = self.marks[i + 1][1] if i + 1 < len(self.marks) else duration
            chapters.append(Chapter(i, title, start, end, step, side))
        return tuple(chapters)

    def add(self, sound: Sound, kind: str, at: int, step: int | None = None,
            side: str | None = None) -> Event:
        event = Event(at, sound, self.measure(sound), kind, step, side)
        self.events.append(event)
        return event

    def say(self, text: str, kind: str, at: int, step: int | None = None,
            side: str | None = None) -> int:
        """Place speech at `at`; returns when it ends."""
        return self.add(speech(text), kind, at, step, side).end_ms

    def rest(self, index: int, step: RestStep, t: int) -> int:
        self.marks.append((step.title, t, index, None))
        words_end = self.say(step.say or self.phrases.rest, "rest", t, index)
        if words_end + CLEARANCE_MS > t + step.rest_ms:
            self.problem(
                index, "rest", f"step {index + 1} ({step.title}): the words take "
                f"{format_ms(words_end - t)}, longer than the {format_ms(step.rest_ms)} rest; "
                "lengthen the rest or shorten the words.")
        return t + step.rest_ms

    def work_step(self, index: int, step: WorkStep, t: int) -> int:
        sides = step.sides or (None,)
        self.marks.append((chapter_title(step, sides[0]), t, index, sides[0]))
        t = self.say(heading(step), "instruction", t, index, sides[0]) + TITLE_GAP_MS
        for words in self.cautions.get(index, ()):   # each a phrase of its own, as in the intro
            t = self.say(words, "instruction", t, index, sides[0]) + SPEECH_GAP_MS
        t = self.say(instruction_text(step), "instruction", t, index, sides[0])
        if sides[0]:
            words = side_words(step, self.phrases)
            t = self.say(words, "instruction", t + SPEECH_GAP_MS, index, sides[0])
        lead_in = DEFAULT_LEAD_IN_MS if step.lead_in_ms is None else step.lead_in_ms
        if lead_in < MOVE_MS:
            self.warnings.append(
                (index, "lead_in", f"lead_in {format_ms(lead_in)} leaves less than "
                 f"{format_ms(MOVE_MS)} to get into position after the words; leave it out "
                 f"(the default, {format_ms(DEFAULT_LEAD_IN_MS)}, counts from the end of the "
                 f"words) or make it at least {format_ms(MOVE_MS)}."))
        end = self.work_period(index, step, sides[0], t + lead_in, feel=True)
        for before, side in pairwise(sides):
            end = self.switch(index, step, side, before, end)
        return end + self.measure(Tone("end")) + AFTER_WORK_MS

    def switch(self, index: int, step: WorkStep, side: str, before: str, end: int) -> int:
        """The switch cue after one side's end tone, then the next side's work."""
        at = end + self.measure(Tone("end")) + SWITCH_GAP_MS
        self.marks.append((chapter_title(step, side), at, index, side))
        tone = self.add(Tone("switch"), "switch", at, index, side)
        words = switch_words(step, self.phrases, side, before)
        words_end = self.say(words, "switch", tone.end_ms + CLEARANCE_MS, index, side)
        if step.switch_ms is None:   # the default: never less than MOVE_MS after the words
            return self.work_period(index, step, side,
                                    max(end + DEFAULT_SWITCH_MS, words_end + MOVE_MS))
        start = end + step.switch_ms
        if words_end + CLEARANCE_MS > start:
            needed = words_end + CLEARANCE_MS - end
            self.problem(
                index, "switch", f"step {index + 1} ({step.title}): the switch-sides cue needs "
                f"{format_ms(_round_up_s(needed))} but switch is {format_ms(step.switch_ms)}; "
                f"set switch to at least {format_ms(_round_up_s(needed))}.")
        if start - words_end < MOVE_MS:   # also when the words do not fit: validate says so
            enough = _round_up_s(words_end + MOVE_MS - end)
            quiet = start - words_end
            leaves = (f"leaves about {format_ms(quiet // 100 * 100)} after the switch words to "
                      "change sides" if quiet >= 0 else
                      "ends before the switch words do, so build will refuse it")
            self.warnings.append(
                (index, "switch", f"switch {format_ms(step.switch_ms)} {leaves}; leave it out "
                 f"(the default waits {format_ms(MOVE_MS)} after the words) or make it at "
                 f"least {format_ms(enough)}."))
        return self.work_period(index, step, side, start)

    def work_period(self, index: int, step: WorkStep, side: str | None, start: int,
                    feel: bool = False) -> int:
        """The start tone, the cues inside (with `feel`, the step's words on what to feel),
        the end tone; returns when the work ends."""
        end = start + step.work_ms
        primary = self.primary_cues(index, step, side, start, end)
        if feel and step.feel:
            sound = speech(step.feel)
            primary.append(Event(self.feel_at(step, start), sound, self.measure(sound),
                                 "instruction", index, side))
            primary.sort(key=lambda e: e.at_ms)   # stable: the start tone stays first
        self.check_collisions(index, step, side, start, primary)
        taken = list(primary)
        for candidate in self.breathe_cues(index, step, side, start, end):
            if not any(_overlap(candidate, other) for other in taken):
                taken.append(candidate)
        self.events.extend(taken + self.pace_cues(index, step, side, start, end, taken))
        return end

    def feel_at(self, step: WorkStep, start: int) -> int:
        """When the words on what to feel begin: FEEL_AFTER_MS into the work, or, when the
        step paces the breath, once the first breath out has been cued (so the feel words
        never talk over "Breathe in" and "And out")."""
        breathe = step.cues.breathe
        if breathe is None:
            return start + FEEL_AFTER_MS
        out = speech(self.phrases.breathe_out) if breathe.spoken else Tone("breathe-out")
        return start + BREATHE_OFFSET_MS + breathe.in_ms + self.measure(out) + CLEARANCE_MS

    def primary_cues(self, index: int, step: WorkStep, side: str | None,
                     start: int, end: int) -> list[Event]:
        cues, work = step.cues, step.work_ms

        def cue(sound: Sound, kind: str, at: int) -> Event:
            return Event(at, sound, self.measure(sound), kind, index, side)

        events = [cue(Tone("start"), "start", start), cue(Tone("end"), "end", end)]
        if cues.halfway:
            events.append(cue(Tone("halfway"), "halfway", start + work // 2))
        if cues.countdown:
            for n in range(cues.countdown.count, 0, -1):
                sound = speech(self.phrases.number(n)) if cues.countdown.spoken \
                    else Tone("countdown")
                events.append(cue(sound, "countdown", end - n * 1000))
        if cues.every:
            said = cues.every.say
            moments = range(start + cues.every.interval_ms, end, cues.every.interval_ms)
            for n, at in enumerate(moments):
                sound = speech(said[n % len(said)]) if said else Tone("every")
                events.append(cue(sound, "every", at))
        return sorted(events, key=lambda e: e.at_ms)   # stable: the start tone stays first

    def breathe_cues(self, index: int, step: WorkStep, side: str | None,
                     start: int, end: int) -> list[Event]:
        """Breathing beats from BREATHE_OFFSET_MS into the work (a beat that would overlap
        a cue is left out by the caller)."""
        cues, beats = step.cues, []
        if cues.breathe:
            breath = cues.breathe.in_ms + cues.breathe.out_ms
            for n, at in enumerate(range(start + BREATHE_OFFSET_MS, end, breath)):
                spoken = n < cues.breathe.spoken
                breath_in = speech(self.phrases.breathe_in) if spoken else Tone("breathe-in")
                breath_out = speech(self.phrases.breathe_out) if spoken else Tone("breathe-out")
                beats.append(self.beat(breath_in, "breathe", at, index, side))
                beats.append(self.beat(breath_out, "breathe", at + cues.breathe.in_ms,
                                       index, side))
        return beats

    def pace_cues(self, index: int, step: WorkStep, side: str | None, start: int, end: int,
                  taken: list[Event]) -> list[Event]:
        """Pace beats every interval into the work that overlap nothing in `taken`. The
        first beat heard says the first word ("Follow my words: up, then down" is first
        heard "up", even when the words on what to feel take the first beat's place); from
        there the words keep time with the beats, heard or not, as the movement does."""
        pace, beats = step.cues.pace, []
        if pace is None:
            return beats
        first = None     # the index of the first beat heard
        for n, at in enumerate(range(start + pace.interval_ms, end, pace.interval_ms)):
            heard = 0 if first is None else n - first   # beats since the first heard
            word = pace.say[heard % len(pace.say)] if pace.say else None
            beat = self.beat(speech(word) if word else Tone("pace"), "pace", at, index, side)
            if not any(_overlap(beat, other) for other in taken):
                beats.append(beat)
                if first is None:
                    first = n
        return beats

    def beat(self, sound: Sound, kind: str, at: int, index: int, side: str | None) -> Event:
        return Event(at, sound, self.measure(sound), kind, index, side)

    def check_collisions(self, index: int, step: WorkStep, side: str | None, start: int,
                         events: list[Event]) -> None:
        where = f"step {index + 1} ({chapter_title(step, side)})"
        advice = "space the cues further apart, shorten the words or lengthen the work."
        for first, second in pairwise(events):
            at = format_ms(first.at_ms - start)
            if first.at_ms == second.at_ms:
                self.problem(index, "cues", f"{where}: the {_name(first)} cue and the "
                             f"{_name(second)} cue both fall at {at}; {advice}")
            elif first.end_ms + CLEARANCE_MS > second.at_ms:
                self.problem(
                    index, "cues", f"{where}: the {_name(first)} cue at {at} lasts "
                    f"{format_ms(first.duration_ms)} and runs into the {_name(second)} cue at "
                    f"{format_ms(second.at_ms - start)}; {advice}")


def _overlap(a: Event, b: Event) -> bool:
    return a.at_ms < b.end_ms + CLEARANCE_MS and b.at_ms < a.end_ms + CLEARANCE_MS


def _name(event: Event) -> str:
    return f'{event.kind} ("{event.text}")' if event.text else event.kind


def _round_up_s(ms: int) -> int:
    return -(-ms // 1000) * 1000
