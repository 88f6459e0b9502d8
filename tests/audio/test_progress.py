"""Progress: live bars on a terminal, one plain line per routine elsewhere."""

import io

from audio.progress import Board, bar


def test_a_bar_fills_with_progress():
    assert bar(0, 10) == "[" + "-" * 24 + "]"
    assert bar(5, 10) == "[" + "#" * 12 + "-" * 12 + "]"
    assert bar(0, 0) == "[" + "#" * 24 + "]"


def test_on_a_terminal_each_routine_and_the_whole_have_a_bar():
    out = io.StringIO()
    board = Board(total=2, stream=out, live=True)
    board.update("lower-back-release", 3, 12)
    board.update("happy-feet", 1, 4)
    screen = out.getvalue().split("\x1b[1A\x1b[2K")[-1].splitlines()
    assert screen[0].split() == ["lower-back-release", bar(3, 12), "3/12", "phrases"]
    assert screen[1].split() == ["happy-feet", bar(1, 4), "1/4", "phrases"]
    assert screen[2].split() == ["overall", bar(0, 2), "0/2", "routines"]
    board.finish("happy-feet", "happy-feet: built (9:39)")
    board.close()
    assert out.getvalue().endswith("\x1b[1A\x1b[2K" * 2)
    assert "happy-feet: built (9:39)\n" in out.getvalue()


def test_elsewhere_only_finished_routines_are_printed():
    out = io.StringIO()
    board = Board(total=1, stream=out, live=False)
    board.update("happy-feet", 1, 4)
    board.finish("happy-feet", "happy-feet: built (9:39)")
    board.close()
    assert out.getvalue() == "happy-feet: built (9:39)\n"
