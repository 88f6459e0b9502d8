"""Progress bars on a terminal: one per routine being built, and one overall."""

from __future__ import annotations

import threading
from typing import TextIO

BAR_WIDTH = 24


def bar(done: int, total: int) -> str:
    """[########----------------] for done out of total."""
    filled = BAR_WIDTH if total == 0 else BAR_WIDTH * done // total
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]"


class Board:
    """Redraws its lines in place on a terminal; elsewhere prints one line per finished routine."""

    def __init__(self, total: int, stream: TextIO, live: bool) -> None:
        self.total = total
        self.stream = stream
        self.live = live
        self.finished = 0
        self.active: dict[str, tuple[int, int]] = {}
        self.drawn = 0
        self.lock = threading.Lock()

    def update(self, name: str, done: int, total: int) -> None:
        """A routine has spoken `done` of its `total` new phrases."""
        with self.lock:
            self.active[name] = (done, total)
            self._draw()

    def finish(self, name: str, message: str) -> None:
        """A routine is done (built, unchanged or failed); `message` is its final line."""
        with self.lock:
            self.active.pop(name, None)
            self.finished += 1
            self._clear()
            self.stream.write(message + "\n")
            self._draw()

    def close(self) -> None:
        """Remove the live bars."""
        with self.lock:
            self._clear()
            self.stream.flush()

    def _draw(self) -> None:
        if not self.live:
            return
        self._clear()
        width = max([len(name) for name in self.active] + [7])
        lines = [f"  {name:<{width}} {bar(done, total)} {done}/{total} phrases"
                 for name, (done, total) in self.active.items()]
        lines.append(f"  {'overall':<{width}} {bar(self.finished, self.total)} "
                     f"{self.finished}/{self.total} routines")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()
        self.drawn = len(lines)

    def _clear(self) -> None:
        if self.live and self.drawn:
            # Up one line and erase it, once per line drawn.
            self.stream.write("\x1b[1A\x1b[2K" * self.drawn)
            self.drawn = 0
