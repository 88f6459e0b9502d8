"""The words a step is heard with: its heading, its instruction with the cautions it
carries, where each caution is said, and the chapter names. Pure, like the scheduler."""

from __future__ import annotations

from .model import RestStep, Routine, WorkStep
from .phrases import Phrases
from .sides import fill
from .spoken import for_the_ear
from .timeline import Speech


def heading(step: WorkStep) -> str:
    """A step's title as the voice says it, a sentence of its own."""
    return step.title if step.title[-1] in ".!?" else f"{step.title}."


def instruction_text(step: WorkStep) -> str:
    """What the voice says after a step's title and cautions: the instruction, then the
    step's safety note."""
    return " ".join(part for part in (step.say, step.safety) if part)


def caution_words(routine: Routine) -> dict[int | None, tuple[str, ...]]:
    """Where each caution is spoken: step index (None: the introduction) -> its words.

    A caution is said in full where the routine first needs it (the introduction for the
    routine's own cautions) and once more, as its short reminder, at the last step that
    carries it: enough to be heard, not so often that it stops being listened to.
    """
    places: dict[str, list[int | None]] = {}
    texts = {}
    for caution in routine.cautions:
        places.setdefault(caution.id, []).append(None)
        texts[caution.id] = caution
    for index, step in enumerate(routine.steps):
        for caution in getattr(step, "cautions", ()):
            places.setdefault(caution.id, []).append(index)
            texts[caution.id] = caution
    words: dict[int | None, list[str]] = {}
    for caution_id, where in places.items():
        words.setdefault(where[0], []).append(texts[caution_id].say)
        if len(where) > 1:
            words.setdefault(where[-1], []).append(texts[caution_id].again)
    return {place: tuple(said) for place, said in words.items()}


def speech(text: str) -> Speech:
    """The voice's words for `text`, normalised for the ear, so that the transcript shows
    what is heard. Text with nothing left to say (only emoji) is kept as written: validate
    warns about it, and a warning must never make a build fail for want of words."""
    return Speech(for_the_ear(text) or text)


def chapter_title(step: WorkStep | RestStep, side: str | None) -> str:
    """A chapter's name: the step title, with the side when it has one."""
    return f"{step.title}, {side} side" if side else step.title


def sentence(words: str) -> str:
    """Words with a capital first letter ("{side} side first." -> "Right side first.")."""
    return words[:1].upper() + words[1:]


def side_words(step: WorkStep, phrases: Phrases) -> str:
    """What names the side a step with sides starts on: its first_say or "Right side
    first." for two sides, "Only your right side this time." for one."""
    sides = step.sides
    if len(sides) > 1:
        return sentence(fill(step.first_say or phrases.start_side, sides[0], sides[1]))
    return sentence(fill(phrases.one_side, sides[0]))


def switch_words(step: WorkStep, phrases: Phrases, side: str, before: str) -> str:
    """What is said on changing from side `before` to `side`: the step's switch_say, or
    the routine's switch phrase."""
    return fill(step.switch_say or phrases.switch, side, before)
