"""Words that name sides: `{side}` and `{other}` in a step's first_say and switch_say, and
in the side phrases of speech.yaml (start_side, one_side, switch).

They are filled in with str.replace, never with str.format: a format string runs what it
names, so "{side.upper}" was said as "<built-in method upper of str object at 0x7f...>",
"{side:>100000}" hung a build, "{side.foo}" ended in an AttributeError and "{0}" in
speech.yaml broke every routine that used the phrase (issue 10). Any other brace in such
text is refused, with its file and line, where the text is read.
"""

from __future__ import annotations

import re

from .errors import Problem, quoted
from .yamlsource import Source

Placeholders = dict[str, str]
"""The placeholders a text may hold, by name ("side"), each with what it stands for, as
the message that refuses a stray brace puts it."""

SWITCH: Placeholders = {"side": "the side to work now", "other": "the side just worked"}
FIRST: Placeholders = {"side": "the side worked first", "other": "the side worked after it"}
PHRASE_PLACEHOLDERS: dict[str, Placeholders] = {
    "start_side": FIRST, "one_side": {"side": "the one side worked"}, "switch": SWITCH}
"""speech.yaml's phrases that name sides; every other phrase holds no placeholder."""

_BRACED = re.compile(r"\{[^{}]*\}|[{}]")   # "{...}", or a brace that opens or closes nothing


def fill(template: str, side: str, other: str = "") -> str:
    """`template` with each `{side}` replaced by `side` and each `{other}` by `other`;
    nothing else changes. With side names (model.SIDES, each shorter than either
    placeholder) the result is never longer than `template`, so text within its length
    limit stays within it."""
    return template.replace("{side}", side).replace("{other}", other)


def brace_problem(text: str, placeholders: Placeholders) -> str | None:
    """A sentence naming the first brace in `text` that is not one of `placeholders`,
    written exactly as `{side}`, and saying what to write instead; None when all are."""
    allowed = {f"{{{name}}}" for name in placeholders}
    stray = next((m[0] for m in _BRACED.finditer(text) if m[0] not in allowed), None)
    if stray is None:
        return None
    if not placeholders:
        return f"{quoted(stray)} is not a placeholder; these words name no side, so write no " \
            "braces."
    uses = " and ".join(f"{{{name}}} for {meaning}" for name, meaning in placeholders.items())
    return f"{quoted(stray)} is not a placeholder; use {uses}, and no other braces."


def phrase_problems(source: Source) -> list[Problem]:
    """A problem, with its line, for each phrase of a parsed speech.yaml that holds a
    brace other than its own placeholders (PHRASE_PLACEHOLDERS; none for the other phrases)."""
    problems = []
    data = source.data if isinstance(source.data, dict) else {}
    for name, value in data.items():
        listed = isinstance(value, list)
        placeholders = PHRASE_PLACEHOLDERS.get(name, {})
        for index, words in enumerate(value if listed else [value]):
            message = isinstance(words, str) and brace_problem(words, placeholders)
            if message:
                line = source.line_of((name, index) if listed else (name,))
                problems.append(Problem(source.file, line, name, message))
    return problems
