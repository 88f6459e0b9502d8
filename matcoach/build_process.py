"""The background builder as a process of its own: `python -m matcoach.build_process`.

`matcoach serve` starts it beside the web server, so pages answer at once and routines
become playable one by one. It runs at a lower CPU priority, so pages and the skill stay
quick while it speaks, and only one works per tracks folder (a lock file), however many
servers share it. TERM or INT stop it between two phrases; it also stops when the process
that started it has gone.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .builds import BuildService

# Only the standard library above: the stop signals are handled before the audio stack
# (numpy, the voice, most of a second) is imported, so a stop that comes while this
# process starts is not lost. The rest is imported in main().
log = logging.getLogger("matcoach.builds")
STATUS_FILE = ".builder/status.json"   # audio.status.STATUS_FILE (a test keeps them equal)
LOCK_FILE = ".builder/lock"


def hold_lock(folder: Path) -> IO | None:
    """The tracks folder's lock file, held exclusively (None if another builder holds it)."""
    path = folder / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a")   # noqa: SIM115 - held for as long as the process builds
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def main(argv: list[str] | None = None) -> int:
    """`python -m matcoach.build_process --tracks DIR --cache DIR [--library DIR]
    [--database FILE]`; the size cap is MATCOACH_DISK_CAP's."""
    stopping = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stopping.set())
    args = _arguments(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="[%(asctime)s] [%(process)d] [builder] %(message)s",
                        datefmt="%Y-%m-%d %H:%M:%S %z")
    os.nice(10)   # the web server and the skill come first
    from audio.status import BuildStatus, write_status
    # The parent is named by the server that starts this process: by the time this line
    # runs (after the imports), it may already have gone and this one been adopted.
    parent = args.parent or os.getppid()
    watch = threading.Thread(target=_watch_parent, args=(parent, stopping), daemon=True)
    watch.start()
    lock = _wait_for_lock(args.tracks, stopping)
    if lock is None:
        return 0
    try:
        service = _service(args, stopping)
        beat = threading.Thread(target=_beat, args=(service,), daemon=True)
        beat.start()
        service.run(args.poll)
    finally:
        # Readers stop showing "being prepared" at once, not when the status goes stale.
        write_status(args.tracks, BuildStatus(stopped=True, updated_at=time.time()))
        log.info("stopped")
        lock.close()
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="matcoach.build_process", description=__doc__)
    parser.add_argument("--library", type=Path, default=None)
    parser.add_argument("--tracks", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--database", type=Path, default=None,
                        help="the places' database, whose builds are kept (default: "
                             "MATCOACH_DATABASE, else HOME/matcoach.sqlite)")
    parser.add_argument("--engine", default="piper")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks")
    parser.add_argument("--parent", type=int, default=None,
                        help="stop when this process has gone (default: the one that started "
                             "this one)")
    return parser.parse_args(argv)


def _wait_for_lock(tracks: Path, stopping: threading.Event) -> IO | None:
    """The lock, once no other builder holds it (None if told to stop meanwhile)."""
    told = False
    while not stopping.is_set():
        lock = hold_lock(tracks)
        if lock is not None:
            return lock
        if not told:
            log.info("another builder is at work on %s; this one waits until it stops "
                     "(%s says what it builds)", tracks, tracks / STATUS_FILE)
            told = True
        stopping.wait(5)
    return None


def _watch_parent(parent: int, stopping: threading.Event) -> None:
    """Stop when the process that started this one has gone (its children are adopted)."""
    while True:
        if os.getppid() != parent:
            log.info("the server that started this builder has gone")
            stopping.set()
        if stopping.wait(1):
            return


def _beat(service: BuildService) -> None:
    from audio.status import HEARTBEAT_S
    while not service.stopping.wait(HEARTBEAT_S / 2):
        service.beat()


def _service(args: argparse.Namespace, stopping: threading.Event) -> BuildService:
    from audio.encoder import Encoder, default_ffmpeg
    from audio.maker import TrackMaker
    from audio.voice import load_voice
    from builder import home
    from builder.live import LiveLibrary

    from .builds import BuildService
    from .config import disk_cap
    from .upkeep import upkeep
    encoder = Encoder(default_ffmpeg())
    voice = load_voice(args.engine, None, encoder)
    library = LiveLibrary(args.library, interval_s=args.poll)
    tidy = upkeep(args.tracks, args.cache, args.database or home.database_path(), disk_cap())
    plans = _plan_builds(lambda: library.current().context,
                         lambda folder: TrackMaker(voice, encoder, args.cache, folder), stopping)
    return BuildService(library, TrackMaker(voice, encoder, args.cache, args.tracks),
                        stopping=stopping, upkeep=tidy, plans=plans)


def _plan_builds(context, make_maker, stopping: threading.Event):
    """The therapists' plans to build beside the library (None, logged, when the plans
    database cannot be opened: the library is built all the same)."""
    from plans import Store, Unavailable

    from .config import from_environment
    from .plan_builds import PlanBuilds
    settings = from_environment()
    try:
        store = Store(settings["PLANS_URL"])
        store.upgrade()
    except Unavailable as exc:
        log.error("plans will not be built: %s", exc)
        return None
    return PlanBuilds(store, Path(settings["PLAN_AUDIO_DIR"]), context, make_maker, stopping)


if __name__ == "__main__":
    sys.exit(main())
