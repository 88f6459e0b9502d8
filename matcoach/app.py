"""The app factory: the library, the skill and the web side, composed into one Flask app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import web
import web.therapist
from audio.shelf import Shelf
from builder import home
from builder.live import LiveLibrary
from builder.parse import Context
from plans import Store, Unavailable
from skill import alexa
from skill.handlers import Deps, build_skill
from skill.simulate import SimulatorError
from skill.store import SqliteAdapter
from skill.verify import RequestVerifier

from . import config as settings
from .files import FileSafety
from .gate import DownloadGate
from .listening import StoreListening
from .plan_source import StorePlans
from .secret import secret_key

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 128 * 1024   # the pages take no uploads; nothing larger is read


def create_app(config: Mapping | None = None) -> Flask:
    """A Mat Coach app; `config` overrides the environment (tests pass a mapping).

    The library is followed live: routine files added, changed or removed are served
    without a restart, and a file with problems is left out. Raises ConfigError for settings
    it cannot start with, RoutineError when the catalog or vocabularies are broken.
    """
    app = Flask(__name__, static_folder=None, template_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config.from_mapping(settings.from_environment())
    app.config.update(config or {})
    library = LiveLibrary(Path(app.config["LIBRARY_DIR"]) if app.config["LIBRARY_DIR"] else None)
    if library.problems:
        log.warning("%d problem(s) in the library's files; those routines are left out until "
                    "fixed (matcoach validate shows them)", len(library.problems))
    shelf = Shelf(library, Path(app.config["AUDIO_DIR"]))
    # The places first: a data home that cannot be used is said as such (matcoach/cli.py),
    # not as a plans database that cannot be opened.
    places = SqliteAdapter(Path(app.config["DATABASE"]))
    store = _plans_store(app)

    def context() -> Context:   # the catalog and vocabularies, as the library is now
        return library.current().context

    plans = StorePlans(store, Path(app.config["PLAN_AUDIO_DIR"]), context,
                       app.config.get("CLOCK"))
    deps = Deps(shelf=shelf, base_url=app.config["BASE_URL"], plans=plans,
                listening=StoreListening(store, app.config.get("CLOCK"),
                                         lambda: app.config.get("SECRET_KEY")))
    skill = build_skill(deps, places, app.config["SKILL_ID"])
    web.init_app(app, shelf)
    _therapists(app, store, context)
    endpoint = alexa.AlexaEndpoint(skill, _verifier(app), app.config["BASE_URL"])
    pages = app.wsgi_app
    if app.config.get("DOWNLOAD_SLOTS"):
        pages = DownloadGate(pages, app.config["DOWNLOAD_SLOTS"])
    app.wsgi_app = FileSafety(alexa.mount(pages, endpoint))
    if app.config["PROXIES"]:
        # Trust exactly that many X-Forwarded-* hops: more would let a client choose the
        # address its failed sign-ins are counted against.
        hops = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if not app.config["BASE_URL"]:
        log.info("MATCOACH_BASE_URL is not set: links follow the address each request came "
                 "to (local use; Alexa plays audio only from a public https address)")
    elif not _https(app.config["BASE_URL"]):
        log.warning("MATCOACH_BASE_URL is %s; Alexa plays audio only from https addresses",
                    app.config["BASE_URL"])
    return app


def _plans_store(app: Flask) -> Store:
    """The plans store, migrated to the newest schema here, once, before a server forks
    its workers (ConfigError when it cannot be used)."""
    try:
        store = Store(app.config["PLANS_URL"])
        store.upgrade()
    except Unavailable as exc:
        raise settings.ConfigError(f"{exc} (set MATCOACH_PLANS_URL to a SQLAlchemy URL, "
                                   "sqlite:///PATH or postgresql+psycopg://..., or unset "
                                   "it for the data home's file).") from exc
    return store


def _therapists(app: Flask, store: Store, context: Callable[[], Context]) -> None:
    """The therapists' pages on the plans store, plans checked against `context()`."""
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or secret_key(home.data_home())
    # Cookies only over https when links are https (a phone on the local network reaches
    # `make run` by plain http, where a Secure cookie would never come back).
    app.config.setdefault("SECURE_COOKIES", _https(app.config["BASE_URL"]))
    web.therapist.init_app(app, store, context)


def _https(url: str) -> bool:
    """Whether `url` is https, in whatever case it is written (schemes are
    case-insensitive: HTTPS://coach.example.org is https too)."""
    return url.lower().startswith("https://")


def shelf_of(app: Flask) -> Shelf:
    """The tracks an app serves."""
    return app.extensions[web.EXTENSION]


def endpoint_sender(app: Flask) -> Callable[[dict], dict]:
    """A function that posts an envelope to the app's /alexa and returns the response envelope
    (SimulatorError if the endpoint does not answer 200), for the simulator."""
    client = app.test_client()

    def send(envelope: dict) -> dict:
        reply = client.post("/alexa", json=envelope)
        if reply.status_code != 200:
            raise SimulatorError(f"the skill answered {reply.status_code}: "
                                 f"{reply.get_data(as_text=True)}")
        return reply.get_json()

    return send


def _verifier(app: Flask) -> RequestVerifier | None:
    if not app.config["VERIFY_REQUESTS"]:
        log.warning("request verification is OFF: anyone can call /alexa. "
                    "Use this only for local development.")
        return None
    if not app.config["SKILL_ID"]:
        raise settings.ConfigError(
            "Set MATCOACH_SKILL_ID to your skill's id (amzn1.ask.skill...), or set "
            "MATCOACH_VERIFY=off for local development.")
    extra = {key: app.config[name] for key, name in
             (("roots", "TRUST_ROOTS"), ("fetch", "CERT_FETCH"), ("clock", "CLOCK"))
             if app.config[name] is not None}
    return RequestVerifier(app.config["SKILL_ID"], **extra)
