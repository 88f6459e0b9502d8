"""Request verification, run for real against certificates made here. Every failure is a 400
and no handler runs."""

import datetime as dt
import json
import logging
import sqlite3

import pytest

from matcoach.app import create_app
from matcoach.config import ConfigError
from skill.verify import RequestRejected, check_chain_url

from ..pki import CHAIN_URL, NOW, Authority
from ..served import SKILL_ID, Fetcher, launch_envelope


def rejected(reply, reason: str) -> None:
    assert reply.status_code == 400, reply.get_data(as_text=True)
    assert reply.get_json() == {"error": f"Request rejected: {reason}."}


def users(app) -> int:
    with sqlite3.connect(app.config["DATABASE"]) as db:
        return db.execute("SELECT COUNT(*) FROM attributes").fetchone()[0]


def test_a_genuine_request_is_answered(post):
    reply = post(launch_envelope())
    assert reply.status_code == 200
    assert "Welcome to Mat Coach" in reply.get_json()["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize(("url", "valid"), [
    ("https://s3.amazonaws.com/echo.api/echo-api-cert.pem", True),
    ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", True),
    ("https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem", True),
    ("HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem", True),
    ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem", True),
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", False),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", False),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", False),
    ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", False),
    ("https://s3.amazonaws.com/echo.api/../cert.pem", False),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", False),
    ("https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem", False),
    ("https://[s3.amazonaws.com/echo.api/echo-api-cert.pem", False),    # once a 500
    ("https://s3.amazonaws.com/echo.api/echo\u2028api.pem", False),
    ("https://s3.amazonaws.com/echo.api/echo api.pem", False),
    ("https://s3.amazonaws.com/echo.api/\u00e9cho.pem", False),
])
def test_the_certificate_url_rules(url, valid):
    if valid:
        check_chain_url(url)
    else:
        with pytest.raises(RequestRejected):
            check_chain_url(url)


def test_unsigned_requests_are_refused(post, app):
    rejected(post(launch_envelope(), headers={}),
             "the request is not signed (SignatureCertChainUrl and Signature-256 are required)")
    assert users(app) == 0


def test_a_chain_url_off_amazon_is_refused_before_fetching(post, signer, fetcher):
    body = json.dumps(launch_envelope()).encode()
    headers = signer.headers(body, url="https://evil.example.com/echo.api/cert.pem")
    rejected(post(None, headers=headers, body=body),
             "the certificate URL is not on s3.amazonaws.com")
    assert fetcher.calls == []


def test_a_chain_that_cannot_be_fetched_is_refused(post, signer):
    body = json.dumps(launch_envelope()).encode()
    headers = signer.headers(body, url="https://s3.amazonaws.com/echo.api/missing.pem")
    rejected(post(None, headers=headers, body=body),
             "the certificate chain could not be fetched (404 for "
             "https://s3.amazonaws.com/echo.api/missing.pem)")


def test_the_chain_is_fetched_once_and_kept(post, fetcher):
    for _ in range(3):
        assert post(launch_envelope()).status_code == 200
    assert fetcher.calls == [CHAIN_URL]


@pytest.mark.parametrize(("make_signer", "reason"), [
    (lambda own: Authority("Someone Else").signer(), "the signing certificate is not trusted"),
    (lambda own: own.signer(days=(-30, -1)), "the signing certificate is not trusted"),
    (lambda own: own.signer(days=(1, 30)), "the signing certificate is not trusted"),
    (lambda own: own.signer(dns="echo-api.example.com"), "the signing certificate is not trusted"),
    (lambda own: own.signer(digital_signature=False), "the signing certificate may not sign"),
], ids=["untrusted root", "expired", "not yet valid", "wrong name", "no digital signature"])
def test_a_bad_signing_certificate_is_refused(tmp_path, library_dir, tracks_dir, authority,
                                              make_signer, reason):
    bad = make_signer(authority)
    app = create_app({"SKILL_ID": SKILL_ID, "AUDIO_DIR": str(tracks_dir),
                      "DATABASE": str(tmp_path / "db.sqlite"), "LIBRARY_DIR": str(library_dir),
                      "TRUST_ROOTS": [authority.root],
                      "CERT_FETCH": Fetcher({CHAIN_URL: bad.pem()})})
    body = json.dumps(launch_envelope()).encode()
    reply = app.test_client().post("/alexa", data=body, headers=bad.headers(body))
    assert reply.status_code == 400
    assert reply.get_json()["error"].startswith(f"Request rejected: {reason}")
    assert users(app) == 0


def test_a_signature_over_other_bytes_is_refused(post, signer):
    body = json.dumps(launch_envelope()).encode()
    tampered = body.replace(b"LaunchRequest", b"SessionEndedRequest")
    rejected(post(None, headers=signer.headers(body), body=tampered),
             "the signature does not match the request body")


def test_a_signature_by_another_key_is_refused(post, authority, signer):
    body = json.dumps(launch_envelope()).encode()
    forged = authority.signer().headers(body)   # a valid certificate, but not the one at the URL
    rejected(post(None, headers=forged, body=body), "the signature does not match the request body")


@pytest.mark.parametrize(("signature", "reason"), [
    ("not base64!", "the signature is not base64"),
    ("c2hvcnQ=", "the signature is not the length of an RSA signature"),
])
def test_a_garbled_signature_is_refused_before_any_fetch(post, signer, fetcher, signature,
                                                         reason):
    body = json.dumps(launch_envelope()).encode()
    headers = {**signer.headers(body), "Signature-256": signature}
    rejected(post(None, headers=headers, body=body), reason)
    assert fetcher.calls == []


def test_a_signature_of_the_right_length_that_does_not_match_is_refused(post, signer):
    body = json.dumps(launch_envelope()).encode()
    other = json.dumps(launch_envelope(when=NOW)).encode()
    headers = {**signer.headers(body), "Signature-256": signer.headers(other)["Signature-256"]}
    rejected(post(None, headers=headers, body=body),
             "the signature does not match the request body")


@pytest.mark.parametrize("seconds", [-151, 151, 3600])
def test_a_request_more_than_150_seconds_off_is_refused(post, seconds):
    reply = post(launch_envelope(when=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)))
    rejected(reply, "the request is more than 150 s old or early")


def test_a_request_within_150_seconds_is_accepted(post):
    assert post(launch_envelope(when=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=140))) \
        .status_code == 200


def test_a_request_for_another_skill_is_refused(post, app):
    rejected(post(launch_envelope(skill_id="amzn1.ask.skill.someone-else")),
             "the request is for another skill")
    assert users(app) == 0


def test_a_signed_body_that_is_not_json_is_refused(post, signer):
    body = b"hello"
    rejected(post(None, headers=signer.headers(body), body=body), "the body is not JSON")


def test_header_names_are_case_insensitive(post, signer):
    body = json.dumps(launch_envelope()).encode()
    headers = {k.lower(): v for k, v in signer.headers(body).items()}
    assert post(None, headers=headers, body=body).status_code == 200


def test_verification_off_is_explicit_and_logged(tmp_path, library_dir, tracks_dir, caplog):
    with caplog.at_level(logging.WARNING):
        app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(tracks_dir),
                          "DATABASE": str(tmp_path / "db.sqlite"),
                          "LIBRARY_DIR": str(library_dir)})
    assert "request verification is OFF" in caplog.text
    reply = app.test_client().post("/alexa", json=launch_envelope(skill_id="anything"))
    assert reply.status_code == 200


def test_verification_on_needs_a_skill_id(tmp_path, library_dir):
    with pytest.raises(ConfigError, match="Set MATCOACH_SKILL_ID"):
        create_app({"VERIFY_REQUESTS": True, "SKILL_ID": "", "LIBRARY_DIR": str(library_dir),
                    "DATABASE": str(tmp_path / "db.sqlite")})


def test_the_certificate_cache_expires_with_the_certificate(signer, authority):
    from skill.verify import RequestVerifier
    short = authority.signer(days=(-1, 1))
    fetcher = Fetcher({CHAIN_URL: short.pem()})
    times = iter([NOW, NOW + dt.timedelta(days=2)])
    verifier = RequestVerifier(SKILL_ID, roots=[authority.root], fetch=fetcher,
                               clock=lambda: next(times))
    body = json.dumps(launch_envelope(when=NOW)).encode()
    verifier.verify(short.headers(body), body)
    later = json.dumps(launch_envelope(when=NOW + dt.timedelta(days=2))).encode()
    with pytest.raises(RequestRejected, match="not trusted"):
        verifier.verify(short.headers(later), later)
    assert fetcher.calls == [CHAIN_URL, CHAIN_URL], "an expired chain is fetched again"


def test_a_chain_url_with_a_query_is_refused_before_fetching(post, signer, fetcher):
    body = json.dumps(launch_envelope()).encode()
    headers = signer.headers(body, url=CHAIN_URL + "?n=1")
    rejected(post(None, headers=headers, body=body),
             "the certificate URL has a query, fragment or user name")
    assert fetcher.calls == []


def test_an_untrusted_chain_is_never_kept_and_not_fetched_again_at_once(
        authority, signer):
    from skill.verify import FAILED_FETCH_S, RequestVerifier
    stranger = Authority("Stranger").signer()
    fetcher = Fetcher({CHAIN_URL: stranger.pem()})
    seconds = [1000.0]
    verifier = RequestVerifier(SKILL_ID, roots=[authority.root], fetch=fetcher,
                               monotonic=lambda: seconds[0])
    body = json.dumps(launch_envelope()).encode()
    for _ in range(3):
        with pytest.raises(RequestRejected, match="not trusted"):
            verifier.verify(stranger.headers(body), body)
    assert fetcher.calls == [CHAIN_URL], "a failure is remembered"
    assert verifier._chains == {}
    seconds[0] += FAILED_FETCH_S - 1
    with pytest.raises(RequestRejected, match="not trusted"):
        verifier.verify(stranger.headers(body), body)
    assert fetcher.calls == [CHAIN_URL]
    seconds[0] += 2
    with pytest.raises(RequestRejected, match="not trusted"):
        verifier.verify(stranger.headers(body), body)
    assert fetcher.calls == [CHAIN_URL, CHAIN_URL], "and asked for again once it is old"


def test_the_chain_cache_stays_small(authority, signer):
    from skill.verify import MAX_CACHED_CHAINS, RequestVerifier
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(20)]
    seconds = [0.0]
    verifier = RequestVerifier(SKILL_ID, roots=[authority.root],
                               fetch=Fetcher(dict.fromkeys(urls, signer.pem())),
                               monotonic=lambda: seconds[0])
    body = json.dumps(launch_envelope()).encode()
    for url in urls:
        seconds[0] += 7         # within the bound on new URLs a minute
        verifier.verify(signer.headers(body, url=url), body)
    assert len(verifier._chains) == MAX_CACHED_CHAINS


def test_a_huge_body_is_not_read(post, signer):
    body = json.dumps({**launch_envelope(), "padding": "x" * 200_000}).encode()
    assert post(None, headers=signer.headers(body), body=body).status_code == 413


def disabled_envelope(when: dt.datetime) -> dict:
    """AlexaSkillEvent.SkillDisabled as Alexa sends it: the account, no device or session."""
    envelope = launch_envelope(when=when)
    stamp = envelope["request"]["timestamp"]
    envelope["request"] = {"type": "AlexaSkillEvent.SkillDisabled",
                           "requestId": "amzn1.echo-api.request.disabled", "timestamp": stamp,
                           "eventCreationTime": stamp, "eventPublishingTime": stamp,
                           "body": {"userInformationPersistenceStatus": "PERSISTED"}}
    envelope.pop("session", None)
    return envelope


@pytest.mark.parametrize("minutes", [5, 59])
def test_a_skill_event_up_to_an_hour_late_is_accepted(post, minutes):
    """Skill events may come late: the ASK SDK allows them an hour (not 150 s)."""
    late = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes)
    assert post(disabled_envelope(late)).status_code == 200


def test_a_skill_event_more_than_an_hour_late_is_refused(post):
    late = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61)
    rejected(post(disabled_envelope(late)), "the request is more than 3600 s old or early")
