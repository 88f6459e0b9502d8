"""AWS Lambda entry point: the same skill, keeping places in DynamoDB.

Deploy with `matcoach.lambda_function.lambda_handler` as the handler. Set MATCOACH_SKILL_ID,
MATCOACH_BASE_URL (where the tracks are served over https, e.g. S3 behind CloudFront),
MATCOACH_AUDIO_DIR (the cue sheets packaged with the function) and MATCOACH_DYNAMODB_TABLE
(partition key "id").
Lambda needs no request verification: the trigger accepts only the configured skill id.
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from audio.shelf import Shelf
from builder.live import LiveLibrary
from skill.envelope import EMPTY_RESPONSE, check_envelope, known_request, loggable
from skill.errors import RequestRejected
from skill.handlers import Deps, skill_builder

from . import config as settings

log = logging.getLogger(__name__)
_handler = None   # made on the first call and kept while the Lambda container is warm


def lambda_handler(event: dict, context: object) -> dict:
    """What Lambda calls for every Alexa request."""
    global _handler
    if _handler is None:
        _handler = make_handler()
    return _handler(event, context)


def make_handler(adapter: AbstractPersistenceAdapter | None = None):
    """A Lambda handler function for the library and tracks the environment names."""
    config = settings.from_environment()
    if not config["SKILL_ID"]:
        # Lambda has no request verification of ours: the skill id is what keeps others out.
        raise settings.ConfigError("Set MATCOACH_SKILL_ID to your skill's id (amzn1.ask.skill...).")
    if not config["BASE_URL"].startswith("https://"):
        raise settings.ConfigError("Set MATCOACH_BASE_URL to the https address the tracks are "
                                   "served from (S3 behind CloudFront, say).")
    # Packaged with the function, the library never changes while it runs.
    library = LiveLibrary(Path(config["LIBRARY_DIR"]) if config["LIBRARY_DIR"] else None,
                          interval_s=math.inf)
    for problem in library.problems:
        log.warning("left out of the library: %s", problem)
    shelf = Shelf(library, Path(config["AUDIO_DIR"]), local_audio=False)
    deps = Deps(shelf, config["BASE_URL"])
    builder = skill_builder(deps, adapter or dynamodb_adapter(), config["SKILL_ID"])
    return checked(builder.lambda_handler())


def checked(handler: Callable[[dict, object], dict]) -> Callable[[dict, object], dict]:
    """`handler`, given only well-formed envelopes (skill/envelope.py), as on the web
    endpoint: a malformed one is logged in one line and answered with an empty response
    (Lambda has no status code to give), an unknown request type as known_request says."""
    def handle(event: dict, context: object) -> dict:
        try:
            check_envelope(event)
        except RequestRejected as exc:
            log.warning("refused a request: %s", loggable(exc))
            return EMPTY_RESPONSE
        known = known_request(event)
        return EMPTY_RESPONSE if known is None else handler(known, context)
    return handle


def dynamodb_adapter() -> AbstractPersistenceAdapter:
    """The official DynamoDB adapter (pip install 'matcoach[lambda]')."""
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter
    table = os.environ.get("MATCOACH_DYNAMODB_TABLE", "matcoach-places")
    # Creating the table at cold start costs every first request; let deployment make it,
    # unless MATCOACH_DYNAMODB_CREATE=on.
    create = os.environ.get("MATCOACH_DYNAMODB_CREATE", "off").lower() not in settings.OFF
    return DynamoDbAdapter(table_name=table, create_table=create)
