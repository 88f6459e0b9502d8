"""The live library: a reload in progress never makes another caller wait."""

from __future__ import annotations

import threading

import builder.live
from builder.live import LiveLibrary


def test_while_one_caller_reloads_the_others_get_the_library_as_it_is(tmp_path, write,
                                                                       monkeypatch):
    """A slow file (or a FIFO) once stalled every request of a server for 20 s: each
    waited on the reload lock."""
    write("lib/one.yaml", "title: One\nsteps:\n  - {title: A, say: Breathe., work: 20s}\n")
    seconds = [0.0]
    live = LiveLibrary(tmp_path / "lib", interval_s=1, clock=lambda: seconds[0])
    before = live.current()
    reloading, release = threading.Event(), threading.Event()
    scan = builder.live._scan

    def slow_scan(folder):
        reloading.set()
        release.wait(30)
        return scan(folder)

    monkeypatch.setattr(builder.live, "_scan", slow_scan)
    write("lib/two.yaml", "title: Two\nsteps:\n  - {title: B, say: Breathe., work: 20s}\n")
    seconds[0] = 5
    reloader = threading.Thread(target=live.current)
    reloader.start()
    assert reloading.wait(30)
    seconds[0] = 10         # the next look is due while the reload still runs
    assert live.current() is before, "served at once, not after the reload"
    release.set()
    reloader.join()
    assert list(live.current().routines) == ["one", "two"]


def test_a_lock_file_appearing_does_not_reload_the_library(tmp_path, write):
    """The server's watcher lists the same files: an editor opening a routine is not a
    change to the library."""
    write("lib/one.yaml", "title: One\nsteps:\n  - {title: A, say: Breathe., work: 20s}\n")
    seconds = [0.0]
    live = LiveLibrary(tmp_path / "lib", interval_s=1, clock=lambda: seconds[0])
    (tmp_path / "lib" / ".#one.yaml").symlink_to("someone@host.4243:1700000001")
    (tmp_path / "lib" / "._one.yaml").write_bytes(b"\x00\x05\x16\x07\xff\xfe")
    seconds[0] = 5
    count, current = live.snapshot()
    assert count == 0 and live.problems == []
    assert list(current.routines) == ["one"]
