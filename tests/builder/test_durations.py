import pytest

from builder.durations import clock, format_ms, parse_duration_ms


@pytest.mark.parametrize(("text", "ms"), [
    ("45s", 45_000), ("2m", 120_000), ("1m30s", 90_000), (90, 90_000), ("90", 90_000),
    ("2.5s", 2_500), ("0s", 0), (" 1m 5s ", 65_000), ("10M", 600_000),
])
def test_accepts_the_written_forms(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["", "1h", "fast", "1m30", "-5", "1.2345s", "s", "m", True, -3,
                                  "１０", "²", "٣", "1０s", "1_000", "0x10", "1:30", 2.5,
                                  "1" * 5000, "1" * 400 + ".5s"])
def test_rejects_anything_else_with_a_hint(text):
    with pytest.raises(ValueError, match="45s, 2m, 1m30s"):
        parse_duration_ms(text)


@pytest.mark.parametrize(("ms", "text"), [(45_000, "45s"), (120_000, "2m"), (90_000, "1m30s"),
                                          (2_500, "2.5s"), (0, "0s")])
def test_formats_as_written(ms, text):
    assert format_ms(ms) == text
    assert parse_duration_ms(text) == ms


def test_clock_shows_minutes_and_hours():
    assert clock(65_000) == "1:05"
    assert clock(3_723_000) == "1:02:03"


def step(work: str) -> str:
    return f"title: T\nsteps:\n  - title: Roll\n    say: Roll slowly.\n    work: {work}\n"


@pytest.mark.parametrize(("work", "ms"), [
    ("010", 10_000), ("08", 8_000), ("017", 17_000), ("'90'", 90_000), ("0045s", 45_000)])
def test_whole_seconds_are_decimal_however_written(check, work, ms):
    """Issue 10: YAML 1.1 read `010` as octal, 8 seconds, and `017` as 15."""
    routine, problems = check(step(work))
    assert problems == [] and routine.steps[0].work_ms == ms


@pytest.mark.parametrize(("work", "shown"), [
    ("0x10", "0x10"), ("0b11", "0b11"), ("1_000", "1_000"),    # were 16 s, 3 s, 16m40s
    ("190:20:30", "190:20:30"), ("1:30", "1:30"),               # "685230" was quoted
    ("'１０'", "１０"), ("'²'", "²"), ("'٣'", "٣"),              # 10 s; a leaked int() error
])
def test_other_numbers_are_not_durations_and_are_quoted_as_written(check, work, shown):
    routine, problems = check(step(work))
    assert routine is None
    assert [p.split("/")[-1] for p in problems] == [
        f'r.yaml:5: step 1, work: "{shown}" is not a duration; write 45s, 2m, 1m30s or a '
        "whole number of seconds."]
