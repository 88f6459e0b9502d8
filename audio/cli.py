"""`matcoach build`: routines to narrated MP3s, cue sheets and transcripts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click

from builder import home
from builder.cli import ProblemsError, is_file_target, library_option, open_library, routine_from
from builder.durations import clock
from builder.errors import BuilderError
from builder.lengths import read_cue_sheet
from builder.library import Library
from builder.model import Routine

from .encoder import Encoder, default_ffmpeg
from .errors import AudioError
from .maker import TrackMaker
from .progress import Board
from .voice import ENGINES, load_voice


@dataclass(frozen=True)
class Outcome:
    """How one routine's build ended."""

    routine: str
    status: str            # built | unchanged | failed
    duration_ms: int = 0
    message: str = ""


@click.command("build")
@click.argument("targets", nargs=-1, metavar="[ID|FILE]...")
@click.option("--all", "build_all", is_flag=True, help="Build every routine in the library.")
@click.option("--engine", type=click.Choice(ENGINES), default="piper", show_default=True,
              envvar="MATCOACH_ENGINE", help="piper speaks offline; gtts needs the internet.")
@click.option("--voice", "voice_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A Piper voice model (.onnx, with its .onnx.json beside it).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=home.tracks_dir, show_default="MATCOACH_AUDIO_DIR, else HOME/tracks",
              help="Where tracks are written.")
@click.option("--jobs", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Routines built at once.")
@click.option("--force", is_flag=True, help="Rebuild even what is up to date.")
@library_option
def build_command(targets, build_all, engine, voice_path, out_dir, jobs, force,
                  library_dir) -> None:
    """Build routines into MP3s; only what changed since the last build is rebuilt."""
    library = open_library(library_dir)
    routines = _select(library, targets, build_all)
    encoder = Encoder(default_ffmpeg())
    try:
        voice = load_voice(engine, voice_path, encoder)
    except AudioError as exc:
        raise click.ClickException(str(exc)) from exc
    maker = TrackMaker(voice, encoder, home.cache_dir(), out_dir)
    stderr = click.get_text_stream("stderr")
    board = Board(len(routines), stderr, live=stderr.isatty())
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(lambda r: _build_one(maker, r, board, force), routines))
    board.close()
    _report(outcomes, out_dir)


def _build_one(maker: TrackMaker, routine: Routine, board: Board, force: bool) -> Outcome:
    if not force and maker.is_current(routine):
        outcome = Outcome(routine.id, "unchanged", _published_length(maker, routine))
    else:
        try:
            track = maker.make(routine, lambda done, total: board.update(routine.id, done, total))
            outcome = Outcome(routine.id, "built", track.duration_ms)
        except BuilderError as exc:   # its message already names the routine
            outcome = Outcome(routine.id, "failed", message=str(exc))
        except AudioError as exc:
            outcome = Outcome(routine.id, "failed", message=f"{routine.id}: {exc}")
    detail = "failed (see below)" if outcome.status == "failed" else \
        f"{outcome.status} ({clock(outcome.duration_ms)})"
    board.finish(routine.id, f"{routine.id}: {detail}")
    return outcome


def _published_length(maker: TrackMaker, routine: Routine) -> int:
    sheet = read_cue_sheet(maker.out_dir / f"{routine.id}.json") or {}
    return int(sheet.get("duration_ms", 0))


def _select(library: Library, targets: tuple[str, ...], build_all: bool) -> list[Routine]:
    if build_all:
        return list(library.routines.values())
    if not targets:
        raise click.UsageError("Name the routines to build (ids or files), or use --all.")
    chosen = []
    for target in targets:
        chosen.append(routine_from(library, target))
        path = Path(target)
        if is_file_target(target) and path.resolve().parent != library.folder.resolve():
            click.echo(f"Note: {path} is not in the library ({library.folder}); copy it there, "
                       "or set MATCOACH_ROUTINES to its folder, so that list, show, the web page "
                       "and the skill find it.", err=True)
    return chosen


def _report(outcomes: list[Outcome], out_dir: Path) -> None:
    good = [o for o in outcomes if o.status != "failed"]
    if good:
        click.echo(f"Tracks in {out_dir}/:")
        width = max(len(o.routine) for o in good) + 4
        for o in good:
            click.echo(f"  {o.routine + '.mp3':<{width}} {clock(o.duration_ms):>7}  {o.status}")
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        count = f"{len(failed)} routine{'s' if len(failed) != 1 else ''}"
        raise ProblemsError([o.message for o in failed], f"{count} could not be built.")


