"""POST /alexa as a plain WSGI endpoint: the methods, sizes and addresses it answers."""

from __future__ import annotations

import io
import json

from skill.alexa import MAX_REQUEST_BYTES

from ..served import launch_envelope


def call(app, method: str = "POST", body: bytes = b"", length: bool = True,
         host: str = "mat.local:5301") -> tuple[str, dict, dict]:
    """Call the app as a WSGI server would: (status, headers, JSON body)."""
    environ = {"REQUEST_METHOD": method, "PATH_INFO": "/alexa", "SERVER_NAME": "mat.local",
               "SERVER_PORT": "5301", "HTTP_HOST": host, "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(),
               "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "", "CONTENT_TYPE":
               "application/json", "wsgi.input_terminated": True}
    if length:
        environ["CONTENT_LENGTH"] = str(len(body))
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    payload = b"".join(app.wsgi_app(environ, start_response))
    assert int(answer["headers"]["Content-Length"]) == len(payload)
    return answer["status"], answer["headers"], json.loads(payload)


def test_only_post_is_answered(app):
    status, headers, body = call(app, "GET")
    assert status == "405 Method Not Allowed" and headers["Allow"] == "POST"
    assert body == {"error": "Alexa sends POST requests here."}


def test_a_body_too_large_is_refused_unread_with_or_without_a_length(app):
    big = b"x" * (MAX_REQUEST_BYTES + 1)
    for with_length in (True, False):
        status, _, body = call(app, body=big, length=with_length)
        assert status == "413 Request Entity Too Large"
        assert body == {"error": "Request rejected: the body is too large."}


def test_a_body_of_any_other_kind_is_a_400_that_says_why(tmp_path, library_dir, tracks_dir):
    from matcoach.app import create_app
    local = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                        "LIBRARY_DIR": str(library_dir), "DATABASE": str(tmp_path / "db")})
    for junk, reason in ((b"{not json", "the body is not JSON"),
                         (b"\xff\xfe", "the body is not JSON"),
                         (b"[]", "the body is not an object"),
                         (json.dumps({"version": "1.0"}).encode(), "context is missing")):
        status, _, body = call(local, body=junk, length=False)
        assert status == "400 Bad Request"
        assert body == {"error": f"Request rejected: {reason}."}
    status, _, body = call(local, body=json.dumps(launch_envelope()).encode(), length=False)
    assert status == "200 OK" and "Welcome" in body["response"]["outputSpeech"]["ssml"]
