"""Fuzz tests (issue 10): mutated routine files are read or refused in words, and mutated
request envelopes are answered or refused, never a traceback or a 5xx. Derandomized and
bounded here; MATCOACH_FUZZ=long searches 20x further at random, and bench/fuzz_bench.py
measures thousands (the README's "Limits" quotes it)."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

import routines as builtin
from builder.library import load_context
from builder.parse import parse_routine
from builder.yamlsource import parse_text
from matcoach.app import shelf_of

from .fuzzing import (
    envelope_bases,
    envelopes,
    fuzz_settings,
    routine_bases,
    routine_texts,
    wrong_in,
)
from .served import SKILL_ID, speech

CONTEXT = load_context(None)
BASES = routine_bases(builtin.LIBRARY_DIR)


@fuzz_settings(500)
@given(routine_texts(BASES))
def test_any_routine_file_is_read_or_refused_in_words(text):
    routine, problems = parse_routine(parse_text(text, "r.yaml"), CONTEXT, default_id="r")
    if routine is None:
        assert problems, "refused without saying why"
        for problem in problems:
            assert problem.file == "r.yaml" and problem.message
            str(problem).encode("utf-8")       # printable, as the CLI prints it
    else:
        assert wrong_in(routine) == []


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


@fuzz_settings(1000)
@given(data=st.data())
def test_any_envelope_is_answered_or_refused_never_a_traceback(app, post, data):
    tokens = [f"{t.token}:fuzz" for t in shelf_of(app).tracks().values()]
    envelope = data.draw(envelopes(envelope_bases(SKILL_ID, tokens)))
    tracebacks = _Tracebacks()
    logging.getLogger().addHandler(tracebacks)
    try:
        reply = post(envelope)
    finally:
        logging.getLogger().removeHandler(tracebacks)
    assert reply.status_code in (200, 400), reply.get_data(as_text=True)
    assert [r.getMessage() for r in tracebacks.records] == []
    if reply.status_code == 200:
        speech(reply.get_json())      # well-formed SSML, or none
