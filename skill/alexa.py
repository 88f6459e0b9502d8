"""POST /alexa: verify, dispatch to the skill, answer with its response envelope."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Flask, Response, current_app, request

from .handlers.base import Served
from .verify import RequestRejected, RequestVerifier

log = logging.getLogger(__name__)
bp = Blueprint("alexa", __name__)
EXTENSION = "matcoach.alexa"


@dataclass(frozen=True)
class Endpoint:
    """What POST /alexa needs: the skill, its serializer and the verifier (None: off)."""

    skill: CustomSkill
    serializer: DefaultSerializer
    verifier: RequestVerifier | None


def init_app(app: Flask, skill: CustomSkill, verifier: RequestVerifier | None) -> None:
    """Serve `skill` at POST /alexa, verifying requests with `verifier` unless it is None."""
    app.extensions[EXTENSION] = Endpoint(skill, DefaultSerializer(), verifier)
    app.register_blueprint(bp)


def link_base() -> str:
    """Where the skill's audio links point: MATCOACH_BASE_URL when it is set, else the
    address this request came to (local use: the host and port the device talked to)."""
    return current_app.config["BASE_URL"] or request.host_url.rstrip("/")


def _bad_request(reason: str) -> tuple[dict, int]:
    return {"error": f"Request rejected: {reason}."}, 400


@bp.post("/alexa")
def endpoint():
    """One Alexa request in, one response envelope out; 400 before any handler if not genuine."""
    services = current_app.extensions[EXTENSION]
    if services.verifier is not None:
        try:
            services.verifier.check_headers(request.headers)
            services.verifier.verify(request.headers, request.get_data(cache=True))
        except RequestRejected as exc:
            log.warning("rejected a request: %s", exc)
            return _bad_request(str(exc))
    body = request.get_data(cache=True)
    try:
        envelope = services.serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
    except (AskSdkException, UnicodeDecodeError, ValueError):
        return _bad_request("the body is not an Alexa request envelope")
    if envelope is None or envelope.request is None or envelope.context is None:
        return _bad_request("the body is not an Alexa request envelope")
    try:
        response = services.skill.invoke(request_envelope=envelope, context=Served(link_base()))
    except AskSdkException as exc:   # e.g. a request for another skill id
        return _bad_request(str(exc))
    return Response(json.dumps(services.serializer.serialize(response)),
                    mimetype="application/json")
