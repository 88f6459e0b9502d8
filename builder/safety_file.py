"""Reading safety.yaml (see builder.safety): its cautions and rules, each word held to the
rules of a routine's text and each refusal one sentence with the file and line.

A file of the built-in library or of a library's own vocabulary folder is checked as
strictly as a routine: unknown keys, ids that are not ids, text with control characters
or past its length, lists that are empty or not lists. Before, `rules: 5` or
`require: 5` ended every command in a TypeError, and a caution's words reached the
listener unchecked.
"""

from __future__ import annotations

from pathlib import Path

from .catalog import CITATION_KEYS, citation_texts
from .checker import Checker
from .errors import Problem, RoutineError, quoted
from .safety import CONDITIONS, Caution, Rule, Safety
from .vocabulary import Vocabulary, check_id
from .yamlsource import Path_, read_source

RULE_KEYS = ("id", "when", "refuse", "require", "longest", "sources")


def load_safety(files: list[tuple[Path, Vocabulary | None]]) -> Safety:
    """The rules and cautions of every (file, vocabulary its terms are checked against), in
    order (the built-in file first). Terms are not checked against a vocabulary of None:
    the built-in rules still apply to a library with vocabularies of its own, and a term it
    does not have simply never matches.

    Raises RoutineError listing every problem: an unknown key, term or caution, text that
    breaks the rules of routine text (builder.checker), a rule that neither refuses nor
    requires, a rule without its source, an id given twice.
    """
    problems: list[Problem] = []
    cautions: dict[str, Caution | None] = {}   # None: written, but with problems
    rules: list[Rule] = []
    for path, vocabulary in files:
        ck = _checker(path, vocabulary)
        data = ck.source.data
        if not ck.problems and not isinstance(data, dict):
            ck.problems.append(Problem(ck.source.file, 1, "", "safety.yaml holds cautions "
                                       "and rules, each under its own key."))
        elif not ck.problems:
            ck.known_keys(data, ("cautions", "rules"), (), "safety.yaml")
            if "cautions" in data:
                _read_cautions(ck, data["cautions"], cautions)
            if "rules" in data:
                rules += _read_rules(ck, data["rules"], vocabulary)
        problems.extend(ck.problems)
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
                                        f"requires {quoted(caution)}, which is not a "
                                        "caution."))
    if problems:
        raise RoutineError(problems)
    # A library that copied the built-in file states its rules again, word for word: the
    # same rule is one rule (each rule and caution is compared whole, its place aside).
    return Safety({key: c for key, c in cautions.items() if c}, tuple(known_rules.values()))


def _checker(path: Path, vocabulary: Vocabulary | None) -> Checker:
    """A Checker of the file at `path`, so that safety.yaml's words are held to the rules
    of routine text; it knows the terms of `vocabulary` (none when it is None)."""
    return Checker(read_source(path), vocabulary or Vocabulary.empty())


def _read_cautions(ck: Checker, data: object, cautions: dict[str, Caution | None]) -> None:
    """Add the cautions of `data` (the file's `cautions:`) to `cautions`, by id; one with
    problems as None, so that the rules requiring it are not told it does not exist."""
    if not isinstance(data, dict) or not data:
        ck.fail(("cautions",), "cautions map each id to {say, again, sources}; write at "
                "least one, or leave cautions out.")
        return
    for caution_id, entry in data.items():
        caution = _caution(ck, caution_id, entry)
        earlier = cautions.get(caution_id)
        if caution and earlier and earlier != caution:   # the same words again are fine
            ck.fail(("cautions", caution_id), "this caution is already defined; choose "
                    "another id.")
            continue
        cautions[caution_id] = earlier or caution


def _caution(ck: Checker, caution_id: str, entry: object) -> Caution | None:
    """One caution: a valid id, words to say in full and again, and its sources."""
    path = ("cautions", caution_id)
    found = len(ck.problems)
    check_id(ck, caution_id, path, "heat-time")
    fields = ck.mapping(entry, path, "a caution")
    if fields is None:
        return None
    ck.known_keys(fields, ("say", "again", "sources"), path, "a caution")
    if "say" not in fields or "again" not in fields:
        ck.fail(path, "a caution needs the words to say in full (say) and a short reminder "
                "(again).")
        return None
    say, again = (ck.text(fields[key], (*path, key)) for key in ("say", "again"))
    _sources(ck, fields.get("sources"), (*path, "sources"))
    if len(ck.problems) > found or say is None or again is None:
        return None
    return Caution(caution_id, say, again)


def _read_rules(ck: Checker, data: object, vocabulary: Vocabulary | None) -> list[Rule]:
    """The rules of `data` (the file's `rules:`), each checked on its own."""
    if not isinstance(data, list) or not data:
        ck.fail(("rules",), "rules must be a list, each rule starting with a dash; write at "
                "least one, or leave rules out.")
        return []
    rules = (_read_rule(ck, index, raw, vocabulary) for index, raw in enumerate(data))
    return [rule for rule in rules if rule is not None]


def _read_rule(ck: Checker, index: int, raw: object,
               vocabulary: Vocabulary | None) -> Rule | None:
    """Rule `index` of the file: a valid id, its conditions, exactly one of refuse, require
    and longest, and its sources; None when anything about it is wrong."""
    path = ("rules", index)
    found = len(ck.problems)
    data = ck.mapping(raw, path, "a rule")
    if data is None:
        return None
    ck.known_keys(data, RULE_KEYS, path, "a rule")
    if "id" not in data or "when" not in data:
        ck.fail(path, "a rule needs an id and a when: {equipment, body_areas, goals}.")
        return None
    if sum(key in data for key in ("refuse", "require", "longest")) != 1:
        ck.fail(path, "a rule refuses (refuse: why, and what to do instead), requires "
                "cautions (require: [ids]) or limits the work (longest: 20m), one of the "
                "three.")
        return None
    check_id(ck, data["id"], (*path, "id"), "no-roller-on-the-neck")
    conditions = _conditions(ck, data["when"], (*path, "when"), vocabulary)
    refuse = ck.text(data["refuse"], (*path, "refuse")) if "refuse" in data else None
    require = _ids(ck, data["require"], (*path, "require"), "heat") \
        if "require" in data else ()
    longest = ck.duration(data["longest"], (*path, "longest"), minimum_ms=1000) \
        if "longest" in data else None
    source = _sources(ck, data.get("sources"), (*path, "sources"))
    if len(ck.problems) > found or source is None:
        return None
    return Rule(data["id"], **conditions, refuse=refuse, require=require,
                longest_ms=longest, source=source,
                where=f"{ck.source.file}:{ck.source.line_of(path) or 1}")


def _conditions(ck: Checker, value: object, path: Path_,
                vocabulary: Vocabulary | None) -> dict[str, tuple[str, ...]]:
    """`when:`: the terms of each condition, known to `vocabulary` unless it is None."""
    when = ck.mapping(value, path, "when")
    if not when:
        if when is not None:
            ck.fail(path, "say when the rule applies: {equipment, body_areas, goals}.")
        return {}
    ck.known_keys(when, CONDITIONS, path, "when")
    if vocabulary is None:
        return {kind: _ids(ck, when[kind], (*path, kind), "foam-roller")
                for kind in CONDITIONS if kind in when}
    return {kind: ck.terms(when[kind], kind, (*path, kind)) or ()
            for kind in CONDITIONS if kind in when}


def _ids(ck: Checker, value: object, path: Path_, example: str) -> tuple[str, ...]:
    """One id or a list of ids (each checked as vocabulary.check_id does)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        ck.fail(path, "list at least one, or leave this key out.")
    where = [(*path, i) if isinstance(value, list) else path for i in range(len(items))]
    if all([check_id(ck, item, at, example) for item, at in zip(items, where, strict=True)]):
        return tuple(items)
    return ()


def _sources(ck: Checker, value: object, path: Path_) -> str | None:
    """The published guidance a rule or caution follows, a list of {publisher, title, url,
    says}; its first as "Publisher, “title”" for messages, or None with a problem."""
    if not isinstance(value, list) or not value:
        ck.fail(path, "name the published guidance it follows: sources, each with "
                "publisher, title and url.")
        return None
    cited = [_citation(ck, raw, (*path, index)) for index, raw in enumerate(value)]
    return None if None in cited else cited[0]


def _citation(ck: Checker, raw: object, path: Path_) -> str | None:
    """One source: publisher, title and url (and says), each text, the url a web address;
    "Publisher, “title”", or None with a problem."""
    fields = ck.mapping(raw, path, "a source")
    if fields is None:
        return None
    ck.known_keys(fields, CITATION_KEYS, path, "a source")
    if not all(key in fields for key in CITATION_KEYS[:3]):
        ck.fail(path, "a source needs a publisher, a title and a url (and says: what it "
                "says, if you like).")
        return None
    texts = citation_texts(ck, fields, path)
    return None if texts is None else f"{texts['publisher']}, \u201c{texts['title']}\u201d"
