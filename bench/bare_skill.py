"""A bare ask-sdk-core skill: the floor for what the Alexa SDK itself costs per request.

A plain WSGI app (no Flask, no persistence, no shelf): the body is deserialized with
ask-sdk-core's DefaultSerializer, a CustomSkill with two handlers answers, and the response
is serialized back. LaunchRequest speaks a welcome and a reprompt; StartRoutineIntent speaks
and plays a fixed https URL (an AudioPlayer.Play directive), as Mat Coach's answers do.
bench/serve_bench.py runs it under the same gunicorn as `matcoach serve` (the settings come
from matcoach.serve.gunicorn_settings: gthread workers, preload, access log, keepalive):

    .venv/bin/python bench/bare_skill.py --port 5302 [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.interfaces.audioplayer import (
    AudioItem,
    AudioItemMetadata,
    PlayBehavior,
    PlayDirective,
    Stream,
)

AUDIO_URL = "https://mat.example.com/audio/five-minute-reset.mp3?build=0123456789ab"
MAX_REQUEST_BYTES = 128 * 1024   # as Mat Coach: nothing larger is read


class LaunchRequestHandler(AbstractRequestHandler):
    """"Alexa, open Mat Coach": a welcome and a reprompt."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        text = ("Welcome to Mat Coach. Get comfortable on your mat. You could try Five minute "
                "reset, or Lower back release. Which would you like?")
        return handler_input.response_builder.speak(text) \
            .ask("Which routine would you like? You can say, start Five minute reset.").response


class StartRoutineIntentHandler(AbstractRequestHandler):
    """"Start the five minute reset": speak, then play a fixed track from the start."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartRoutineIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        stream = Stream(token="five-minute-reset:0123456789ab:00000000", url=AUDIO_URL,
                        offset_in_milliseconds=0)
        metadata = AudioItemMetadata(title="Five minute reset", subtitle="Settle in")
        builder = handler_input.response_builder
        builder.add_directive(PlayDirective(play_behavior=PlayBehavior.REPLACE_ALL,
                                            audio_item=AudioItem(stream=stream,
                                                                 metadata=metadata)))
        return builder.speak("Starting Five minute reset, about 5 minutes.") \
            .set_should_end_session(True).response


def make_skill() -> CustomSkill:
    """The two-handler skill (no persistence adapter, no skill id check)."""
    builder = CustomSkillBuilder()
    builder.add_request_handler(LaunchRequestHandler())
    builder.add_request_handler(StartRoutineIntentHandler())
    return builder.create()


def make_app() -> Callable[[dict, Callable], Iterable[bytes]]:
    """The WSGI app: POST an envelope to any path, get the response envelope (400 if the body
    is not one, or asks for something neither handler takes)."""
    skill, serializer = make_skill(), DefaultSerializer()

    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_REQUEST_BYTES)
        body = environ["wsgi.input"].read(length)
        try:
            envelope = serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
        except (AskSdkException, UnicodeDecodeError, ValueError):
            envelope = None
        if envelope is None or envelope.request is None or envelope.context is None:
            return _answer(start_response, "400 Bad Request", {"error": "not an envelope"})
        try:
            response = skill.invoke(request_envelope=envelope, context=None)
        except AskSdkException as exc:   # a request neither handler takes
            return _answer(start_response, "400 Bad Request", {"error": str(exc)})
        return _answer(start_response, "200 OK", serializer.serialize(response))

    return app


def _answer(start_response: Callable, status: str, document: object) -> list[bytes]:
    payload = json.dumps(document).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(payload)))])
    return [payload]


app = make_app()


def main() -> None:
    from matcoach.serve import ServeOptions, gunicorn_settings
    from matcoach.workers import serve_forever

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5302)
    parser.add_argument("--workers", type=int, default=ServeOptions.workers)
    parser.add_argument("--threads", type=int, default=ServeOptions.threads)
    options = parser.parse_args()
    settings = gunicorn_settings(ServeOptions(options.host, options.port, options.workers,
                                              options.threads, build=False))
    settings["proc_name"] = "bare-skill"
    serve_forever(app, settings)   # any WSGI callable will do, not only a Flask app


if __name__ == "__main__":
    main()
