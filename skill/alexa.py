"""POST /alexa: verify, dispatch to the skill, answer with its response envelope.

A plain WSGI application, not a Flask view: every AudioPlayer event and every phrase a
person says is one of these requests, and Flask's request context, routing and response
object cost about as much as the skill's own handling (bench/serve_bench.py measured the
endpoint at 0.56x the rate of a bare ask-sdk-core skill under the same gunicorn before).
`mount()` puts it in front of the rest of the app.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from werkzeug.datastructures import EnvironHeaders
from werkzeug.sansio.utils import get_host

from .envelope import EMPTY_RESPONSE, check_envelope, known_request, loggable
from .handlers.base import Served
from .serializer import EnvelopeSerializer
from .verify import RequestRejected, RequestVerifier, parse_json

log = logging.getLogger(__name__)
PATH = "/alexa"
MAX_REQUEST_BYTES = 128 * 1024   # Alexa's requests are a few KB; nothing larger is read
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class AlexaEndpoint:
    """The skill at POST /alexa: 400 before any handler runs for a request that is not
    genuine (`verifier`; None only for local development) or not an envelope, 405 for
    other methods, 413 for bodies over MAX_REQUEST_BYTES.

    `base_url` is the configured public address for audio links; empty, the handlers get
    the address each request came to (scheme and Host header).
    """

    def __init__(self, skill: CustomSkill, verifier: RequestVerifier | None,
                 base_url: str = "") -> None:
        self.skill = skill
        self.verifier = verifier
        self.base_url = base_url.rstrip("/")
        self.serializer = EnvelopeSerializer()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] != "POST":
            return _answer(start_response, "405 Method Not Allowed",
                           {"error": "Alexa sends POST requests here."}, [("Allow", "POST")])
        body = _body(environ)
        if body is None:
            return _answer(start_response, "413 Request Entity Too Large",
                           {"error": "Request rejected: the body is too large."})
        try:
            document = self.respond(EnvironHeaders(environ), body, self.link_base(environ))
        except RequestRejected as exc:
            log.warning("refused a request: %s", loggable(exc))    # one line, no traceback
            return _answer(start_response, "400 Bad Request",
                           {"error": f"Request rejected: {exc}."})
        return _answer(start_response, "200 OK", document)

    def respond(self, headers, body: bytes, base_url: str) -> dict:
        """The response envelope for a request's headers and raw body (RequestRejected)."""
        # The verifier reads the JSON to check it; without one (local use) it is read here.
        document = parse_json(body) if self.verifier is None else \
            self.verifier.verify(headers, body)
        envelope = self._envelope(document)
        if envelope is None:
            return EMPTY_RESPONSE
        try:
            response = self.skill.invoke(request_envelope=envelope, context=Served(base_url))
        except AskSdkException as exc:   # e.g. a request for another skill id
            raise RequestRejected(str(exc)) from exc
        return self.serializer.serialize(response)

    def link_base(self, environ: dict) -> str:
        """Where audio links point: the configured address, else the one the request came
        to (local use: the host and port the device talked to)."""
        if self.base_url:
            return self.base_url
        scheme = environ.get("wsgi.url_scheme", "http")
        port = environ.get("SERVER_PORT")
        server = (environ.get("SERVER_NAME", "localhost"), int(port) if port else None)
        # werkzeug's check of the Host header (no paths, spaces or quotes, a valid port);
        # one that fails it is ignored for the address the server listens at.
        host = get_host(scheme, environ.get("HTTP_HOST"), server) or \
            get_host(scheme, None, server)
        return f"{scheme}://{host}"

    def _envelope(self, document: object) -> RequestEnvelope | None:
        """The envelope to dispatch, once the body's JSON `document` has its shape checked
        (skill/envelope.py): the handlers are never given a list where an object belongs,
        or no user. None: a request type to answer with an empty response
        (envelope.known_request)."""
        check_envelope(document)
        document = known_request(document)
        if document is None:
            return None
        try:
            return self.serializer.from_dict(document, RequestEnvelope)
        except (AskSdkException, ValueError, TypeError) as exc:
            raise RequestRejected("the body is not an Alexa request envelope") from exc


def mount(app: WSGIApp, endpoint: AlexaEndpoint) -> WSGIApp:
    """A WSGI app that answers PATH with `endpoint` and everything else with `app`."""
    def dispatch(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == PATH:
            return endpoint(environ, start_response)
        return app(environ, start_response)
    return dispatch


def _body(environ: dict) -> bytes | None:
    """The request body, or None when it is larger than MAX_REQUEST_BYTES (not read)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        return None
    stream = environ["wsgi.input"]
    if length:
        return stream.read(length)
    # No length given (chunked): read one byte past the limit to know it was passed.
    body = stream.read(MAX_REQUEST_BYTES + 1) if environ.get("wsgi.input_terminated") else b""
    return None if len(body) > MAX_REQUEST_BYTES else body


def _answer(start_response: Callable, status: str, document: dict,
            headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    payload = json.dumps(document).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload))), *(headers or [])])
    return [payload]
