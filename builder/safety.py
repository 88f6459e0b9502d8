"""Safety as data: what a step must never do, and the cautions it must carry.

The rules live in routines/vocabulary/safety.yaml, each with the published guidance it
follows, so that a therapist can read why and a reviewer can check the source. Two kinds:

- refuse: a pairing of equipment and body area that is never used (a foam roller on the
  lower back rolls over the lumbar spine);
- require: cautions a step must carry when it uses some equipment, works some area, or is
  part of a routine with some goal (heat: who should not use it, and for how long).

The built-in rules always apply; a library's own vocabulary folder may add rules and
cautions in a safety.yaml of its own, never take one away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .durations import format_ms, parse_duration_ms
from .errors import Problem, RoutineError
from .vocabulary import Vocabulary
from .yamlsource import Source, read_source

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


def load_safety(files: list[tuple[Path, Vocabulary | None]]) -> Safety:
    """The rules and cautions of every (file, vocabulary its terms are checked against), in
    order (the built-in file first). Terms are not checked against a vocabulary of None:
    the built-in rules still apply to a library with vocabularies of its own, and a term it
    does not have simply never matches.

    Raises RoutineError listing every problem: an unknown term or caution, a rule that
    neither refuses nor requires, a rule without its source, an id given twice.
    """
    problems: list[Problem] = []
    cautions: dict[str, Caution] = {}
    rules: list[Rule] = []
    for path, vocabulary in files:
        source = read_source(path)
        problems.extend(source.problems)
        if source.problems:
            continue
        data = source.data if isinstance(source.data, dict) else {}
        _read_cautions(source, data.get("cautions") or {}, cautions, problems)
        for index, raw in enumerate(data.get("rules") or []):
            rule = _read_rule(source, index, raw, vocabulary, problems)
            if rule is not None:
                rules.append(rule)
    known_rules: dict[str, Rule] = {}
    for rule in rules:
        file, _, line = rule.where.rpartition(":")
        if rule.id in known_rules and known_rules[rule.id] != rule:
            problems.append(Problem(file, int(line), rule.id,
                                    "this rule id is used twice; give each rule its own id."))
        known_rules.setdefault(rule.id, rule)
        for caution in rule.require:
            if caution not in cautions:
                problems.append(Problem(file, int(line), rule.id,
                                        f'requires "{caution}", which is not a caution.'))
    if problems:
        raise RoutineError(problems)
    # A library that copied the built-in file states its rules again, word for word: the
    # same rule is one rule (each rule and caution is compared whole, its place aside).
    return Safety(cautions, tuple(known_rules.values()))


def _read_cautions(source: Source, data: object, cautions: dict[str, Caution],
                   problems: list[Problem]) -> None:
    if not isinstance(data, dict):
        problems.append(Problem(source.file, source.line_of(("cautions",)), "cautions",
                                "cautions map an id to {say, again}."))
        return
    for caution_id, entry in data.items():
        line = source.line_of(("cautions", caution_id))
        texts = entry if isinstance(entry, dict) else {}
        if not all(isinstance(texts.get(k), str) and texts[k].strip() for k in ("say", "again")):
            problems.append(Problem(source.file, line, f"cautions.{caution_id}",
                                    "a caution needs the words to say in full (say) and "
                                    "a short reminder (again)."))
            continue
        if not isinstance(texts.get("sources"), list) or not texts["sources"]:
            problems.append(Problem(source.file, line, f"cautions.{caution_id}",
                                    "name the published guidance it follows under sources."))
            continue
        caution = Caution(caution_id, " ".join(texts["say"].split()),
                          " ".join(texts["again"].split()))
        if cautions.get(caution_id, caution) != caution:   # the same words again are fine
            problems.append(Problem(source.file, line, f"cautions.{caution_id}",
                                    "this caution is already defined; choose another id."))
            continue
        cautions[caution_id] = caution


def _read_rule(source: Source, index: int, raw: object, vocabulary: Vocabulary | None,
               problems: list[Problem]) -> Rule | None:
    path = ("rules", index)
    where = Problem(source.file, source.line_of(path) or 1, f"rules.{index + 1}", "")
    data = raw if isinstance(raw, dict) else {}

    def fail(message: str) -> None:
        problems.append(Problem(where.file, where.line, where.field, message))

    rule_id, when = data.get("id"), data.get("when")
    if not isinstance(rule_id, str) or not isinstance(when, dict) or not when:
        fail("a rule needs an id and a when: {equipment, body_areas, goals}.")
        return None
    conditions: dict[str, tuple[str, ...]] = {}
    for kind, value in when.items():
        if kind not in CONDITIONS:
            fail(f'"{kind}" is not a condition; use {", ".join(CONDITIONS)}.')
            return None
        items = tuple(value if isinstance(value, list) else [value])
        unknown = [t for t in items
                   if vocabulary is not None and t not in vocabulary.terms(kind)]
        if unknown:
            fail(f'"{unknown[0]}" is not a known term of {kind}.')
            return None
        conditions[kind] = items
    refuse, require = data.get("refuse"), tuple(data.get("require") or ())
    sources = data.get("sources")
    if sum(map(bool, (refuse, require, "longest" in data))) != 1 or (
            refuse and not isinstance(refuse, str)):
        fail("a rule refuses (refuse: why, and what to do instead), requires cautions "
             "(require: [ids]) or limits the work (longest: 20m), one of the three.")
        return None
    try:
        longest = parse_duration_ms(data["longest"]) if "longest" in data else None
    except (TypeError, ValueError) as exc:
        fail(f"longest: {exc}")
        return None
    if not isinstance(sources, list) or not sources or not all(
            isinstance(s, dict) and s.get("publisher") and s.get("title") and s.get("url")
            for s in sources):
        fail("name the published guidance the rule follows: sources, each with publisher, "
             "title and url.")
        return None
    first = sources[0]
    return Rule(rule_id, **conditions, refuse=" ".join(refuse.split()) if refuse else None,
                require=require, longest_ms=longest,
                source=f"{first['publisher']}, \u201c{first['title']}\u201d",
                where=f"{where.file}:{where.line}")


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
