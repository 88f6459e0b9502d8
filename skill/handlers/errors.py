"""The one place an unexpected error becomes a response."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type
from ask_sdk_model import Response

from ..envelope import SILENT_REQUESTS
from ..speech import say

log = logging.getLogger(__name__)


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Log the error; apologise, unless the request allows no speech."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request_type = get_request_type(handler_input)
        log.exception("error handling %s", request_type, exc_info=exception)
        if request_type.startswith(SILENT_REQUESTS):
            return handler_input.response_builder.response
        return handler_input.response_builder.speak(say("error")) \
            .set_should_end_session(True).response
