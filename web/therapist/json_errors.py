"""Errors as JSON for the editor's endpoints: its script reads {"error": sentence} and
shows the sentence, where an HTML error page would reach it as "the server did not answer
as expected". A request that sent JSON, or asks for a `.json` address, gets JSON with
the same status; the page routes keep the app's HTML pages.

Only errors raised inside a blueprint's routes reach its handlers. Routing answers 405
before any blueprint is known, so that one is handled for the whole app, for the paths
under the blueprint's prefix only. 400 is left to the routes (`refuse`): a blueprint's
400 handler would also catch the CSRF check's error, which the app answers itself.
"""

from __future__ import annotations

from typing import NoReturn

from flask import Blueprint, Response, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

NOT_FOUND = "There is no such plan or client."
NOT_ALLOWED = "This address does not take that method."


def json_errors(bp: Blueprint) -> Blueprint:
    """`bp`'s 404 and 413 as JSON for JSON requests, and 405 under its URL prefix."""
    bp.register_error_handler(404, _as_json)
    bp.register_error_handler(413, _as_json)
    prefix = f"{bp.url_prefix or ''}/"

    @bp.app_errorhandler(405)
    def not_allowed(error: MethodNotAllowed):
        if not (request.path.startswith(prefix) and wants_json()):
            return error
        answer = _answer(405, NOT_ALLOWED)
        answer.headers["Allow"] = ", ".join(error.valid_methods or ())
        return answer

    return bp


def wants_json() -> bool:
    """Whether this request's errors are answered as JSON."""
    return request.is_json or request.path.endswith(".json")


def refuse(code: int, message: str) -> NoReturn:
    """Stop the request with `code`: {"error": message} for a JSON request, else the
    app's page for the code."""
    if wants_json():
        abort(_answer(code, message))
    abort(code)


def _as_json(error: HTTPException):
    if not wants_json():
        return error   # the page the app answers with, as before
    return _answer(error.code, _said(error.code))


def _said(code: int) -> str:
    if code == 413:
        most = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        return f"That is too large to send: at most {most // 1024} KB."
    return NOT_FOUND


def _answer(code: int, message: str) -> Response:
    answer = jsonify(error=message)
    answer.status_code = code
    return answer
