"""The Flask app factory: wires the library, the skill and the routes together."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from flask import Flask

from builder.library import load_library

from . import config as settings
from .files import FileSafety
from .handlers import Deps, build_skill
from .shelf import Shelf
from .store import SqliteAdapter
from .verify import RequestVerifier

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = 128 * 1024   # Alexa's requests are a few KB; nothing larger is read


@dataclass(frozen=True)
class Services:
    """What the routes share, made once per app."""

    shelf: Shelf
    skill: CustomSkill
    serializer: DefaultSerializer
    verifier: RequestVerifier | None


def create_app(config: Mapping | None = None) -> Flask:
    """A Mat Coach app; `config` overrides the environment (tests pass a mapping)."""
    app = Flask(__name__, instance_relative_config=False)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config.from_mapping(settings.from_environment())
    app.config.update(config or {})
    library = load_library(Path(app.config["LIBRARY_DIR"]) if app.config["LIBRARY_DIR"]
                           else None)
    shelf = Shelf(library, Path(app.config["AUDIO_DIR"]))
    deps = Deps(shelf=shelf, base_url=app.config["BASE_URL"])
    skill = build_skill(deps, SqliteAdapter(Path(app.config["DATABASE"])),
                        app.config["SKILL_ID"])
    app.extensions["matcoach"] = Services(shelf, skill, DefaultSerializer(), _verifier(app))
    from . import alexa, audio, web
    app.register_blueprint(alexa.bp)
    app.register_blueprint(audio.bp)
    app.register_blueprint(web.bp)
    app.wsgi_app = FileSafety(app.wsgi_app)
    if not app.config["BASE_URL"].startswith("https://"):
        log.warning("MATCOACH_BASE_URL is %s; Alexa plays audio only from https addresses",
                    app.config["BASE_URL"])
    return app


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
