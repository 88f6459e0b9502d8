import pytest

from builder.durations import clock, format_ms, parse_duration_ms


@pytest.mark.parametrize(("text", "ms"), [
    ("45s", 45_000), ("2m", 120_000), ("1m30s", 90_000), (90, 90_000), ("90", 90_000),
    ("2.5s", 2_500), ("0s", 0), (" 1m 5s ", 65_000), ("10M", 600_000),
])
def test_accepts_the_written_forms(text, ms):
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["", "1h", "fast", "1m30", "-5", "1.2345s", "s", "m", True, -3])
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
