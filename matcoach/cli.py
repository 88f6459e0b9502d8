"""The `matcoach` command: every subcommand of every package, in one place."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from audio import cli as audio_cli
from builder import cli as builder_cli
from builder import home
from builder.errors import RoutineError

from .config import ConfigError
from .therapists import therapist_group
from .upkeep import tidying


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="matcoach")
def main() -> None:
    """Mat Coach: narrated self-massage routines for the mat, a phone or a smart speaker."""


def make_app(**overrides):
    """The app, or a one-sentence CLI error."""
    from .app import create_app
    try:
        return create_app(overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    except RoutineError as exc:
        raise builder_cli.ProblemsError(exc.problems, "The library has problems.") from exc
    except OSError as exc:   # the data home is a file, or cannot be written
        where = exc.filename or home.data_home()
        raise click.ClickException(
            f"Cannot use {where} ({exc.strerror or exc}). Set MATCOACH_HOME to a folder "
            "Mat Coach can write to.") from exc


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 for other devices on your network.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (one per core suits).")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker; downloads may use all but two of them.")
@click.option("--no-build", is_flag=True,
              help="Serve what is built; do not build in the background.")
@click.option("--dev", is_flag=True,
              help="Flask's development server, reloading on code changes (not for production).")
@click.option("--no-verify", is_flag=True,
              help="Accept unsigned requests (local development only).")
@click.option("--certfile", type=click.Path(path_type=Path),
              help="Serve https with this PEM certificate (chain); needs --keyfile.")
@click.option("--keyfile", type=click.Path(path_type=Path),
              help="The certificate's private key (PEM, unencrypted).")
@builder_cli.library_option
def serve_command(host: str, port: int, workers: int, threads: int, no_build: bool, dev: bool,
                  no_verify: bool, certfile: Path | None, keyfile: Path | None,
                  library_dir: Path | None) -> None:
    """Serve the skill endpoint, the audio and the web library, building in the background.

    With --certfile and --keyfile it serves https, which phones need to save routines for
    offline and keep the screen on when they reach it by this computer's address.
    """
    from .keeper import BuilderPaths
    from .serve import ServeError, ServeOptions, addresses, download_slots, local_url, serve
    if (certfile is None) != (keyfile is None):
        raise click.UsageError("--certfile and --keyfile go together: give both, or neither.")
    overrides = {"VERIFY_REQUESTS": False} if no_verify else {}
    if library_dir is not None:
        overrides["LIBRARY_DIR"] = str(library_dir)
    overrides["DOWNLOAD_SLOTS"] = download_slots(threads)
    if certfile is not None:
        overrides["SECURE_COOKIES"] = True   # served by https: cookies go only that way
    options = ServeOptions(host, port, workers, threads, build=not no_build, dev=dev,
                           certfile=certfile, keyfile=keyfile)
    paths = BuilderPaths(library_dir, home.tracks_dir(), home.cache_dir(), home.database_path())

    def made():
        app = make_app(**overrides)
        for address in addresses(host, port, options.scheme):
            click.echo(f"Mat Coach on {address}", err=True)
        click.echo(f"  the Alexa endpoint is /alexa; talk to it with: matcoach simulate "
                   f"--url {local_url(host, port, options.scheme)}", err=True)
        return app

    try:
        status = serve(made, options, paths)
    except ServeError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(status)


@main.command("models")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=lambda: (home.checkout() or home.data_home()) / "interaction_models",
              show_default="the checkout's interaction_models/, else HOME/interaction_models")
@builder_cli.library_option
def models_command(out: Path, library_dir: Path | None) -> None:
    """Generate the Alexa interaction models, one per English locale, and check them."""
    from skill.model_checks import check_model
    from skill.models import interaction_model, write_models
    library = builder_cli.open_library(library_dir)
    problems = check_model(interaction_model(library))
    if problems:
        raise builder_cli.ProblemsError(problems, "The interaction model breaks Alexa's rules.")
    for path in write_models(library, out):
        click.echo(f"wrote {path}")


@main.command("skill-package")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", envvar="MATCOACH_BASE_URL", default="https://example.com",
              show_default=True, help="Where the skill is served over https.")
@builder_cli.library_option
def skill_package_command(folder: Path, base_url: str, library_dir: Path | None) -> None:
    """Write an ASK CLI skill package (skill.json and the interaction models) into FOLDER."""
    from skill.model_checks import check_model
    from skill.models import interaction_model
    from skill.package import write_package
    library = builder_cli.open_library(library_dir)
    problems = check_model(interaction_model(library))
    if problems:
        raise builder_cli.ProblemsError(problems, "The interaction model breaks Alexa's rules.")
    for path in write_package(library, folder, base_url):
        click.echo(f"wrote {path}")


@main.command("simulate")
@click.option("--url", metavar="URL",
              help="Talk to the server at URL (e.g. http://127.0.0.1:5301, served with "
                   "--no-verify) instead of a skill of its own.")
@click.option("--user", help="Who is speaking (places are kept per user).")
@click.option("--no-audio-player", is_flag=True, help="Simulate a device that cannot stream.")
def simulate_command(url: str | None, user: str | None, no_audio_player: bool) -> None:
    """Talk to the skill at the terminal, as if to a speaker."""
    from skill.simulate import Simulator, SimulatorError, http_sender

    from .app import endpoint_sender, shelf_of
    from .config import from_environment
    from .plan_source import simulated_plans
    if url:   # the server's own skill answers; the library here is for the matcher
        shelf, send, skill_id = _local_shelf(), http_sender(url), None
    else:
        app = make_app(VERIFY_REQUESTS=False)
        shelf, send, skill_id = shelf_of(app), endpoint_sender(app), app.config["SKILL_ID"]
    interactive = sys.stdin.isatty()
    # Plans' tracks as the server of this data home sees them (names and lengths).
    plans = simulated_plans(from_environment(), lambda: shelf.library.context)
    simulator = Simulator(send, shelf, click.get_text_stream("stdout"), skill_id=skill_id,
                          audio_player=not no_audio_player, user_id=user, plan_track=plans)
    if interactive:
        click.echo("you> ", nl=False)
    try:
        simulator.run(sys.stdin, prompt=interactive)
    except SimulatorError as exc:
        raise click.ClickException(str(exc)) from exc


def _local_shelf():
    """The library and tracks of this data home, as the server on this machine sees them."""
    from audio.shelf import Shelf
    from builder.live import LiveLibrary

    from .config import from_environment
    config = from_environment()
    try:
        library = LiveLibrary(Path(config["LIBRARY_DIR"]) if config["LIBRARY_DIR"] else None)
    except RoutineError as exc:
        raise builder_cli.ProblemsError(exc.problems, "The library has problems.") from exc
    return Shelf(library, Path(config["AUDIO_DIR"]))


main.add_command(therapist_group)

for command in (builder_cli.list_command, builder_cli.show_command,
                builder_cli.moves_command, builder_cli.validate_command,
                tidying(audio_cli.build_command)):
    main.add_command(command)


if __name__ == "__main__":   # python -m matcoach.cli works as the matcoach command does
    main()
