"""The steps read aloud to a device that cannot play a track: said for the ear, like it."""

from types import SimpleNamespace

from builder.library import check_files, load_context
from skill.handlers.routines import steps_read_aloud


def test_the_routine_words_are_said_as_the_track_says_them(write):
    path = write("r.yaml", """\
        title: Feet
        steps:
          - title: Roll *slowly*
            say: Roll for 45s & breathe.
            work: 30s
        """)
    routines, problems = check_files([path], load_context())
    assert problems == []
    # A bare "&" would also have made the SSML Alexa is sent invalid.
    assert steps_read_aloud(SimpleNamespace(routine=routines["r"])) == \
        "Step 1, Roll slowly, 30 seconds. Roll for forty-five seconds and breathe."
