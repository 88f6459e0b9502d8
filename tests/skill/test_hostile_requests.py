"""Requests that are signed but malformed, odd or unknown (issue 10): each is a 400 with one
logged line before any handler runs, or a proper answer; never a traceback or a 500."""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import sqlite3
import threading

import pytest

from ..pki import CHAIN_URL, Authority
from ..served import SKILL_ID, Fetcher, launch_envelope, speech

FALLBACK = "Sorry, I didn't get that."


def rows(app) -> int:
    with sqlite3.connect(app.config["DATABASE"]) as db:
        return db.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]


def intent(name: str, slots: dict | None = None, session: bool = True) -> dict:
    envelope = launch_envelope()
    envelope["request"] = {**envelope["request"], "type": "IntentRequest", "intent": {
        "name": name, "confirmationStatus": "NONE", "slots": slots or {}}}
    if not session:
        del envelope["session"]
    return envelope


def event(kind: str) -> dict:
    """A request the device makes on its own: no session."""
    envelope = launch_envelope()
    del envelope["session"]
    envelope["request"] = {**envelope["request"], "type": kind}
    return envelope


def changed(envelope: dict, change) -> dict:
    envelope = copy.deepcopy(envelope)
    change(envelope)
    return envelope


def sent_now(envelope: dict) -> dict:
    """`envelope` stamped with the time it is sent: the parametrized cases are made when the
    tests are collected, minutes before a long run reaches them, and the 150 s rule on
    timestamps would refuse them for their age instead of for what each case tests."""
    envelope = copy.deepcopy(envelope)
    request = envelope.get("request")
    if isinstance(request, dict) and isinstance(request.get("timestamp"), str):
        request["timestamp"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return envelope


def refused(reply, reason: str) -> None:
    assert reply.status_code == 400, reply.get_data(as_text=True)
    assert reply.get_json() == {"error": f"Request rejected: {reason}."}


@pytest.mark.parametrize(("envelope", "reason"), [
    (changed(launch_envelope(), lambda e: e.update(request=[])),
     "the request has no valid timestamp"),
    (changed(launch_envelope(), lambda e: e.update(context=None)),
     "the request does not name its skill (context.System.application.applicationId)"),
    (changed(launch_envelope(), lambda e: e["context"]["System"].update(user=None)),
     "context.System.user is missing"),
    (changed(launch_envelope(), lambda e: e["context"]["System"]["user"].pop("userId")),
     "context.System.user.userId is missing"),
    (changed(launch_envelope(), lambda e: e["context"]["System"]["user"].update(userId=" ")),
     "context.System.user.userId is empty"),
    (changed(launch_envelope(), lambda e: e["session"].update(user={"userId": 7})),
     "session.user.userId is not text"),
    (changed(launch_envelope(), lambda e: e["session"].update(attributes=[])),
     "session.attributes is not an object"),
    (changed(intent("StartRoutineIntent"), lambda e: e["request"].update(intent=None)),
     "request.intent is missing"),
    (changed(intent("StartRoutineIntent"), lambda e: e["request"]["intent"].update(slots=[])),
     "request.intent.slots is not an object"),
    (intent("StartRoutineIntent", {"routine": {"name": "routine", "value": 5}}),
     "request.intent.slots.routine.value is not text"),
    (intent("StartRoutineIntent", {"routine": {"name": "routine", "value": "calf",
                                               "resolutions": {"resolutionsPerAuthority": [
                                                   {"status": {}}]}}}),
     "request.intent.slots.routine.resolutions.resolutionsPerAuthority[0].status.code is "
     "missing"),
    (changed(event("AudioPlayer.PlaybackStopped"),
             lambda e: e["request"].update(token="calf-care", offsetInMilliseconds="10")),
     "request.offsetInMilliseconds is not a whole number of milliseconds from 0"),
    (changed(launch_envelope(), lambda e: e["context"].update(
        AudioPlayer={"offsetInMilliseconds": -1})),
     "context.AudioPlayer.offsetInMilliseconds is not a whole number of milliseconds from 0"),
    # Found by a hostile trial: each was a traceback, or a 400 that named no field.
    (changed(launch_envelope(), lambda e: e["context"]["System"]["user"].update(
        userId="\ud800")), "the body holds text that is not Unicode (a lone surrogate)"),
    (intent("StartRoutineIntent", {"routine": {"name": "routine", "value": "zq " * 200}}),
     "request.intent.slots.routine.value is longer than 500 characters"),
    (changed(launch_envelope(), lambda e: e["context"].update(
        AudioPlayer={"playerActivity": "X"})),
     "context.AudioPlayer.playerActivity is not one of BUFFER_UNDERRUN, FINISHED, IDLE, "
     "PAUSED, PLAYING, STOPPED"),
    (changed(intent("AMAZON.HelpIntent"),
             lambda e: e["request"]["intent"].update(confirmationStatus=[])),
     "request.intent.confirmationStatus is not text"),
    (changed(launch_envelope(), lambda e: e["context"]["System"]["device"].update(
        supportedInterfaces={"AudioPlayer": []})),
     "context.System.device.supportedInterfaces.AudioPlayer is not an object"),
    # Whom a therapist's plan is for (issue 13): a voice profile's id is text.
    (changed(launch_envelope(), lambda e: e["context"]["System"].update(
        person={"personId": 7})), "context.System.person.personId is not text"),
    (changed(launch_envelope(), lambda e: e["context"]["System"].update(person="jo")),
     "context.System.person is not an object"),
    (intent("StartRoutineIntent", {"x" * 500: {"name": "x", "value": 5}}),
     "request.intent.slots." + "x" * 40 + "....value is not text"),
    (changed(launch_envelope(), lambda e: e["request"].update(
        type="SessionEndedRequest", reason="FOO")),
     "request.reason is not one of ERROR, EXCEEDED_MAX_REPROMPTS, USER_INITIATED"),
    (changed(event("AudioPlayer.PlaybackFailed"), lambda e: e["request"].update(
        error={"type": "X", "message": "m"})),
     "request.error.type is not one of MEDIA_ERROR_INTERNAL_DEVICE_ERROR, "
     "MEDIA_ERROR_INTERNAL_SERVER_ERROR, MEDIA_ERROR_INVALID_REQUEST, "
     "MEDIA_ERROR_SERVICE_UNAVAILABLE, MEDIA_ERROR_UNKNOWN"),
    (changed(event("AudioPlayer.PlaybackFailed"), lambda e: e["request"].update(
        currentPlaybackState={"offsetInMilliseconds": "x"})),
     "request.currentPlaybackState.offsetInMilliseconds is not a whole number of "
     "milliseconds from 0"),
    (changed(event("System.ExceptionEncountered"), lambda e: e["request"].update(
        error={"type": "INVALID_RESPONSE", "message": "m"}, cause=5)),
     "request.cause is not an object"),
])
def test_a_signed_envelope_of_the_wrong_shape_is_a_400_naming_the_field(
        post, app, caplog, envelope, reason):
    caplog.set_level(logging.WARNING)
    refused(post(sent_now(envelope)), reason)
    assert rows(app) == 0, "nothing was stored"
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.getMessage() == f"refused a request: {reason}" and line.exc_info is None


def test_an_application_id_wrong_in_the_session_is_refused_though_right_in_context(post):
    envelope = changed(launch_envelope(), lambda e: e["session"].update(
        application={"applicationId": "amzn1.ask.skill.someone-else"}))
    refused(post(envelope), "the request is for another skill")


@pytest.mark.parametrize("name", ["NoSuchIntent", "AMAZON.SearchAction<object@WeatherForecast>"])
def test_an_unknown_intent_gets_the_fallback_answer(post, name):
    reply = post(intent(name))
    assert reply.status_code == 200
    assert speech(reply.get_json()).startswith(FALLBACK)


@pytest.mark.parametrize("kind", ["AudioPlayer.PlaybackSomethingNew",
                                  "PlaybackController.ShuffleCommandIssued",
                                  "System.SomethingNew"])
def test_an_unknown_or_unhandled_device_request_gets_an_empty_response(post, caplog, kind):
    caplog.set_level(logging.WARNING)
    reply = post(event(kind))
    assert reply.status_code == 200
    assert reply.get_json()["response"] == {}
    assert not [r for r in caplog.records if r.exc_info]


def test_an_unknown_request_in_a_conversation_gets_the_fallback_question(post):
    envelope = changed(launch_envelope(), lambda e: e["request"].update(type="Foo.Bar"))
    reply = post(envelope)
    assert reply.status_code == 200
    assert speech(reply.get_json()).startswith(FALLBACK)
    assert speech(reply.get_json()).endswith("What would you like to do?")
    assert reply.get_json()["response"]["shouldEndSession"] is False


def test_a_known_request_the_skill_does_not_handle_is_politely_ended(post):
    envelope = changed(launch_envelope(),
                       lambda e: e["request"].update(type="Alexa.Presentation.APL.UserEvent"))
    reply = post(envelope)
    assert reply.status_code == 200
    # Not "what would you like to do?" with the microphone's state left undefined.
    assert speech(reply.get_json()) == "Sorry, Mat Coach can't help with that."
    assert reply.get_json()["response"]["shouldEndSession"] is True


@pytest.mark.parametrize(("envelope", "says"), [
    (changed(launch_envelope(), lambda e: e["context"]["System"].update(device=None)),
     "Welcome to Mat Coach"),
    (intent("StartRoutineIntent", {"routine": {
        "name": "routine", "value": "calf care", "resolutions": {"resolutionsPerAuthority": [
            {"authority": "a", "status": {"code": "ER_SUCCESS_MATCH"}}]}}}), "Calf care"),
    (intent("StartRoutineIntent", {"routine": {
        "name": "routine", "value": "calf care", "resolutions": {"resolutionsPerAuthority": [
            {"authority": "a", "status": {"code": "ER_SUCCESS_MATCH"}, "values": []}]}}}),
     "Calf care"),
    (intent("AMAZON.YesIntent", session=False), "You could also try"),
    (intent("AMAZON.NoIntent", session=False), "You could also try"),
    (changed(intent("AMAZON.YesIntent"), lambda e: e["session"].update(
        attributes={"offered": [1, None, {"a": 1}, "calf-care"]})), "Calf care"),
    (intent("ListRoutinesIntent", {"minutes": {"name": "minutes", "value": "²"}}),
     "I have 3 routines"),
    (intent("RecommendIntent", {"minutes": {"name": "minutes", "value": "²"}}),
     "The quickest are"),
])
def test_odd_but_well_formed_requests_get_a_proper_answer(post, caplog, envelope, says):
    """Each of these ended in "Sorry, something went wrong" and a logged traceback."""
    caplog.set_level(logging.WARNING)
    reply = post(sent_now(envelope))
    assert reply.status_code == 200
    assert says in speech(reply.get_json())
    assert not [r for r in caplog.records if r.exc_info]


def test_cheap_checks_come_before_any_certificate_fetch(post, signer, fetcher):
    """50 requests naming 50 chain URLs once caused 50 downloads."""
    stale = changed(launch_envelope(), lambda e: e["request"].update(
        timestamp="2020-01-01T00:00:00Z"))
    other = launch_envelope(skill_id="amzn1.ask.skill.someone-else")
    for n in range(50):
        url = f"https://s3.amazonaws.com/echo.api/{n}-random.pem"
        for envelope in (stale, other):
            body = json.dumps(envelope).encode()
            assert post(None, headers=signer.headers(body, url=url), body=body) \
                .status_code == 400
    assert fetcher.calls == []


def test_one_fetch_per_url_however_many_requests_wait_for_it(authority, signer):
    from skill.verify import RequestVerifier
    release = threading.Event()
    fetcher = Fetcher({CHAIN_URL: signer.pem()})

    def slow_fetch(url: str) -> bytes:
        release.wait(10)
        return fetcher(url)

    verifier = RequestVerifier(SKILL_ID, roots=[authority.root], fetch=slow_fetch)
    body = json.dumps(launch_envelope()).encode()
    errors: list[Exception] = []

    def verify() -> None:
        try:
            verifier.verify(signer.headers(body), body)
        except Exception as exc:   # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=verify) for _ in range(6)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join()
    assert errors == [] and fetcher.calls == [CHAIN_URL]


def test_trust_roots_are_read_one_by_one_and_an_unreadable_one_is_skipped(caplog):
    from cryptography.hazmat.primitives import serialization

    from skill.verify import load_roots
    good = Authority("Good").root.public_bytes(serialization.Encoding.PEM)
    broken = b"-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
    caplog.set_level(logging.WARNING)
    roots = load_roots(broken + good)
    assert [r.subject.rfc4514_string() for r in roots] == ["CN=Good Root"]
    [line] = caplog.records
    assert line.getMessage().startswith("skipped trust root 1 of 2, which cannot be read")


def test_certifis_roots_load_without_a_warning(recwarn):
    """Six of certifi's roots have a serial number of 0: cryptography reads them with a
    CryptographyDeprecationWarning, which the server printed at every start."""
    from skill.verify import default_roots
    assert len(default_roots()) > 100
    assert [str(w.message) for w in recwarn] == []


@pytest.mark.parametrize("where", ["body", "attributes", "extra field", "slot"])
def test_deeply_nested_json_is_a_400_never_a_500(post, caplog, where):
    """120 KB of '[' made json.loads raise RecursionError, which nothing caught; 500 nested
    lists in the session attributes did the same in the ASK SDK's serializer."""
    deep = json.loads("[" * 500 + "]" * 500)
    body = None
    envelope = launch_envelope()
    if where == "body":
        body = b"[" * 60_000 + b"]" * 60_000
    elif where == "attributes":
        envelope["session"]["attributes"] = {"offered": deep}
    elif where == "extra field":
        envelope["padding"] = deep
    else:
        envelope = intent("StartRoutineIntent", {"routine": {"name": "routine",
                                                              "value": "calf", "extra": deep}})
    caplog.set_level(logging.WARNING)
    reply = post(envelope) if body is None else post(None, body=body)
    refused(reply, "the body is not JSON" if where == "body" else
            "the body nests deeper than 32 levels")
    assert not [r for r in caplog.records if r.exc_info]


def test_new_certificate_urls_are_fetched_at_most_ten_a_minute(authority, signer):
    """Anyone who knows the (public) skill id can name a fresh chain URL in each request;
    spellings of one URL count as one."""
    from skill.verify import NEW_FETCHES_PER_MINUTE, RequestRejected, RequestVerifier
    base = "https://s3.amazonaws.com/echo.api/"
    urls = [f"{base}{n}.pem" for n in range(30)]
    fetcher = Fetcher(dict.fromkeys(urls + [f"{base}spelled.pem"], signer.pem()))
    seconds = [0.0]
    verifier = RequestVerifier(SKILL_ID, roots=[authority.root], fetch=fetcher,
                               monotonic=lambda: seconds[0])
    body = json.dumps(launch_envelope()).encode()
    for spelling in (f"{base}spelled.pem", f"{base}../echo.api/./spelled.pem",
                     "HTTPS://S3.AMAZONAWS.COM:443/echo.api/spelled.pem"):
        verifier.verify(signer.headers(body, url=spelling), body)
    assert fetcher.calls == [f"{base}spelled.pem"]
    refusals = 0
    for url in urls:
        try:
            verifier.verify(signer.headers(body, url=url), body)
        except RequestRejected as exc:
            assert str(exc) == "too many new certificate URLs; try again in a minute"
            refusals += 1
    assert len(fetcher.calls) == NEW_FETCHES_PER_MINUTE and refusals == 30 - 9
    seconds[0] += 61
    verifier.verify(signer.headers(body, url=urls[-1]), body)
    assert fetcher.calls[-1] == urls[-1], "a minute later, new URLs are fetched again"


@pytest.mark.parametrize("body", [b'{"version": NaN}', b'{"version": Infinity}',
                                  b'{"version": "1.0", "x": 1e400}'])
def test_numbers_json_does_not_have_are_refused(post, body):
    """Python's JSON reader takes NaN, Infinity and 1e400 (as inf); echoed back in the
    session attributes, they made a reply that was not JSON."""
    refused(post(None, body=body), "the body is not JSON")


def test_text_from_a_request_cannot_forge_a_log_line(post, caplog):
    forged = "x\n[2026-11-30 05:00:00 +0000] [1] [CRITICAL] FORGED"
    failed = event("AudioPlayer.PlaybackFailed")
    failed["request"].update(token="calf-care:x", error={"type": "MEDIA_ERROR_UNKNOWN",
                                                         "message": forged})
    refusal = intent("StartRoutineIntent", {forged: {"name": "x", "value": 5}})
    caplog.set_level(logging.WARNING)
    assert post(failed).status_code == 200 and post(refusal).status_code == 400
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2 and not any("\n" in m for m in messages)
    assert all("x\\n[2026" in m for m in messages), messages
