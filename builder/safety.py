"""Safety as data: what a step must never do, and the cautions it must carry.

The rules live in routines/vocabulary/safety.yaml, each with the published guidance it
follows, so that a therapist can read why and a reviewer can check the source. Two kinds:

- refuse: a pairing of equipment and body area that is never used (a foam roller on the
  lower back rolls over the lumbar spine);
- require: cautions a step must carry when it uses some equipment, works some area, or is
  part of a routine with some goal (heat: who should not use it, and for how long).

The built-in rules always apply; a library's own vocabulary folder may add rules and
cautions in a safety.yaml of its own, never take one away (read by builder.safety_file).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .durations import format_ms
from .vocabulary import Vocabulary

CONDITIONS = ("equipment", "body_areas", "goals")


@dataclass(frozen=True)
class Caution:
    """Words a step must carry: in full the first time a routine needs them, then once
    more as a short reminder (at the last step that needs them)."""

    id: str
    say: str
    again: str


@dataclass(frozen=True)
class Rule:
    """When a step matches every condition given (any listed term matches a condition),
    it is refused, or must carry the required cautions."""

    id: str
    equipment: tuple[str, ...] = ()
    body_areas: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    refuse: str | None = None
    """What is wrong, why, and what to do instead: one sentence, starting lower-case (the
    message adds the rule and its source, see message)."""
    require: tuple[str, ...] = ()
    """Caution ids the step must carry."""
    longest_ms: int | None = None
    """The longest a step may work (ms, each side), e.g. heat that its caution limits."""
    source: str = ""
    """The published guidance the rule follows, as "Publisher, title" for messages (the
    file keeps the full references)."""
    where: str = field(default="", compare=False)
    """file:line of the rule, for messages about the rule itself."""

    def message(self, what: str) -> str:
        """`what` (is wrong, and what to do) as one sentence that ends with the rule and its
        source in brackets, so a therapist can look the guidance up."""
        return f"{what.rstrip('.')} (safety rule {self.id}; source: {self.source})."

    def matches(self, equipment: Iterable[str], areas: Iterable[str],
                goals: Iterable[str] | None) -> bool:
        """Whether a step with these terms falls under the rule; `goals` None means the
        routine is not known (a catalog move), so rules about goals do not apply yet."""
        if self.goals and goals is None:
            return False
        given = {"equipment": set(equipment), "body_areas": set(areas),
                 "goals": set(goals or ())}
        return all(not getattr(self, kind) or given[kind] & set(getattr(self, kind))
                   for kind in CONDITIONS)


@dataclass(frozen=True)
class Safety:
    """Every caution by id and every rule, in file order."""

    cautions: dict[str, Caution]
    rules: tuple[Rule, ...]

    def broken(self, equipment: Iterable[str], areas: Iterable[str],
               goals: Iterable[str] | None, carried: Iterable[str],
               work_ms: int = 0) -> list[tuple[Rule, str]]:
        """(rule, message) for each rule a step breaks: refused, missing cautions, or
        working longer than the rule allows (`work_ms`, each side); each message is one
        sentence (see Rule.message).

        `areas` must already include the narrower areas they cover (see expand_areas)."""
        carried = set(carried)
        broken = []
        for rule in self.rules:
            if not rule.matches(equipment, areas, goals):
                continue
            if rule.refuse:
                broken.append((rule, rule.message(rule.refuse)))
            if rule.longest_ms is not None and work_ms > rule.longest_ms:
                broken.append((rule, rule.message(
                    f"this step works {format_ms(work_ms)}, longer than the "
                    f"{format_ms(rule.longest_ms)} allowed; make work at most "
                    f"{format_ms(rule.longest_ms)}")))
            missing = [c for c in rule.require if c not in carried]
            if missing:
                also = len(missing) < len(rule.require)
                broken.append((rule, rule.message(_missing_message(missing, also))))
        return broken

    def judged_by_area(self, equipment: Iterable[str]) -> list[str]:
        """The equipment ids among `equipment` that some rule judges by body area: a step
        using them must say which areas it works, or those rules could not see it."""
        return [item for item in dict.fromkeys(equipment)
                if any(item in rule.equipment and rule.body_areas for rule in self.rules)]


def expand_areas(areas: Iterable[str], vocabulary: Vocabulary) -> set[str]:
    """The areas and every narrower area they include ("legs" covers the calves)."""
    found: set[str] = set()
    waiting = list(areas)
    while waiting:
        area = waiting.pop()
        if area in found:
            continue
        found.add(area)
        term = vocabulary.body_areas.get(area)
        waiting.extend(term.includes if term else ())
    return found


def _missing_message(missing: list[str], also: bool) -> str:
    """What to add: "this step must carry the heat and heat-time cautions; add ..."; with
    `also`, the step (or its routine) already carries the rule's other cautions."""
    named = missing[0] if len(missing) == 1 else \
        f"{', '.join(missing[:-1])} and {missing[-1]}"
    plural = "s" if len(missing) > 1 else ""
    if also:
        return (f"this step must also carry the {named} caution{plural}; add {named} to the "
                "step's cautions, or to the routine's")
    return (f"this step must carry the {named} caution{plural}; add cautions: "
            f"[{', '.join(missing)}] to the step, or to the routine")
