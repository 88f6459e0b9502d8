"""The documented limits on what a routine, move or vocabulary file may hold.

Each is far above anything the library needs (the figures in brackets) and low enough
that no file, however written, can make a command spin, fill memory or build hours of
audio by mistake: a work time of one year was accepted once, and `matcoach list` then
spun at 1.8 GB. The README's "Limits" section quotes these.
"""

from __future__ import annotations

MAX_FILE_BYTES = 128 * 1024
"""The largest YAML file read (the library's largest: 11 KB). At this size even the
pure-Python parser, the fallback where PyYAML has no C parser, reads and checks any file
in under half a second (bench/fuzz_bench.py --pure-python: 256 KB took up to 0.8 s)."""

MAX_DEPTH = 32
"""The deepest nesting of lists and mappings (a routine needs five: routine → steps →
step → cues → pace)."""

MAX_STEP_MS = 60 * 60_000
"""The longest work time of one side of a step, or one rest: 1 hour (library: 5 min)."""

MAX_GAP_MS = 2 * 60_000
"""The longest lead-in or switch: 2 minutes (library: 12 s)."""

MAX_ROUTINE_MS = 4 * 60 * 60_000
"""The longest routine, work, rests and speech together: 4 hours (library: 35 min)."""

MAX_STEPS = 500
"""The most steps in one routine (library: 25)."""

MAX_ID_CHARS = 64
"""The longest id of a routine, a move, or a vocabulary term, caution or safety rule
(library: 36, a rule's); a routine's id names its files and its web address (a
5,000-character one validated, then its build failed with "File name too long")."""

MAX_TITLE_CHARS = 80
"""The longest title of a routine or step, alias, or name or synonym of a vocabulary
term (library: 40); titles are spoken in menus and shown as chapter names."""

MAX_TEXT_CHARS = 1500
"""The longest text of one field: an instruction, an intro, a caution, a summary (about
a minute and a half of speech; library: 351)."""

MAX_ALIASES = 20
"""The most other names of one thing: a routine's aliases, or the synonyms of a
vocabulary term (library: 4 aliases, 8 synonyms). Each becomes a synonym in the Alexa
interaction model, where 5,000 aliases of one routine were once accepted."""

MAX_COUNTDOWN = 10
"""The highest number a countdown cue starts from; speech.yaml's countdown holds a word
for each number up to it."""
