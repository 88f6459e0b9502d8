"""Alexa request verification for a skill hosted as a web service.

Written with `cryptography` and certifi's roots instead of flask-ask-sdk or
ask-sdk-webservice-support: both import oscrypto, whose libcrypto version check fails on
OpenSSL 3.0.10 and later ("Error detecting the version of libcrypto"), so they cannot
even be imported on current systems.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

from .chain import check_chain_url, default_roots, fetch_url, load_roots
from .errors import RequestRejected

log = logging.getLogger(__name__)

SIGNER = "echo-api.amazon.com"
MAX_SKEW_S = 150
EVENT_SKEW_S = 3600
"""Skill events (AlexaSkillEvent.*, e.g. SkillDisabled) may arrive up to an hour after
they happen: the ASK SDK's TimestampVerifier allows them 3600 s (research/alexa-platform.md)."""
MAX_CACHED_CHAINS = 8   # Amazon signs with one chain at a time; a few cover a rotation
FAILED_FETCH_S = 60     # a URL whose chain could not be had is not asked for again so soon
MAX_FAILED_URLS = 64
NEW_FETCHES_PER_MINUTE = 10
"""How many chains not yet kept may be fetched a minute. Amazon signs with one chain at a
time, at one URL; anyone who knows the (public) skill id can name a fresh URL in every
request, and each would cost a download without this bound."""
SIGNATURE_BYTES = (256, 512)   # RSA-2048 to RSA-4096: Amazon signs with a 2048-bit key

Fetch = Callable[[str], bytes]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class _Chain:
    leaf: x509.Certificate
    intermediates: list[x509.Certificate]


class RequestVerifier:
    """Checks signature, certificate chain, timestamp and application id of each request."""

    def __init__(self, skill_id: str, roots: list[x509.Certificate] | None = None,
                 fetch: Fetch = fetch_url, clock: Clock | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.skill_id = skill_id
        self.store = Store(roots if roots is not None else default_roots())
        self.fetch = fetch
        self.clock = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic      # seconds, for how long a failed fetch is remembered
        self._chains: dict[str, _Chain] = {}
        self._failed: dict[str, tuple[float, str]] = {}   # url -> (when, why), oldest first
        self._fetching: dict[str, threading.Lock] = {}
        self._fetched_at: list[float] = []      # when the last new chains were fetched (s)
        self._lock = threading.Lock()

    @staticmethod
    def check_headers(headers: Mapping[str, str]) -> tuple[str, bytes]:
        """Refuse an unsigned request before its body is even read: both headers present,
        the URL by Amazon's rules, the signature base64 of an RSA signature's length.
        Returns the chain URL in its normal form and the signature's bytes."""
        if not headers.get("SignatureCertChainUrl") or not headers.get("Signature-256"):
            raise RequestRejected("the request is not signed (SignatureCertChainUrl and "
                                  "Signature-256 are required)")
        url = check_chain_url(headers["SignatureCertChainUrl"])
        try:
            signature = base64.b64decode(headers["Signature-256"], validate=True)
        except ValueError as exc:
            raise RequestRejected("the signature is not base64") from exc
        if not SIGNATURE_BYTES[0] <= len(signature) <= SIGNATURE_BYTES[1]:
            raise RequestRejected("the signature is not the length of an RSA signature")
        return url, signature

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict:
        """The request's JSON envelope (read once, for the endpoint to use too) when the
        request is genuine; RequestRejected otherwise.

        The cheap checks come first (headers, JSON, timestamp, application id), so that a
        request failing them costs no certificate download: 50 unsigned requests naming
        50 URLs once caused 50 fetches. Then the chain and the signature.
        """
        url, signature = self.check_headers(headers)
        envelope = _parse(body)
        now = self.clock()
        self._check_timestamp(envelope, now)
        self._check_application(envelope)
        chain = self._chain(url, now)
        self._check_signature(chain.leaf, signature, body)
        return envelope

    def _chain(self, url: str, now: datetime) -> _Chain:
        """The trusted chain at `url`: fetched once, kept (if it verified) until it expires.

        One fetch per URL at a time (others asking for it wait, then find it cached), and
        a URL that could not be fetched or did not verify is refused for FAILED_FETCH_S
        without asking again.
        """
        cached = self._cached(url, now)
        if cached is not None:
            self._check_chain(cached, now)
            self._keep(url, cached)
            return cached
        with self._lock:
            fetching = self._fetching.setdefault(url, threading.Lock())
        try:
            with fetching:
                return self._cached(url, now) or self._fetch_and_check(url, now)
        finally:
            with self._lock:
                self._fetching.pop(url, None)

    def _keep(self, url: str, chain: _Chain) -> None:
        """Cache `chain` as the most recently used, dropping the least recently used past
        MAX_CACHED_CHAINS."""
        with self._lock:
            self._chains.pop(url, None)
            self._chains[url] = chain
            while len(self._chains) > MAX_CACHED_CHAINS:
                self._chains.pop(next(iter(self._chains)))

    def _cached(self, url: str, now: datetime) -> _Chain | None:
        """The chain kept for `url` while its leaf is valid; RequestRejected while a
        recent failure for `url` is remembered."""
        with self._lock:
            failed = self._failed.get(url)
            if failed and self.monotonic() - failed[0] < FAILED_FETCH_S:
                raise RequestRejected(failed[1])
            cached = self._chains.get(url)
        return cached if cached and cached.leaf.not_valid_after_utc > now else None

    def _fetch_and_check(self, url: str, now: datetime) -> _Chain:
        self._count_fetch()
        try:
            chain = self._fetch(url)
            self._check_chain(chain, now)
        except RequestRejected as exc:
            with self._lock:
                self._failed.pop(url, None)
                self._failed[url] = (self.monotonic(), str(exc))
                while len(self._failed) > MAX_FAILED_URLS:
                    self._failed.pop(next(iter(self._failed)))
            raise
        self._keep(url, chain)
        return chain

    def _count_fetch(self) -> None:
        """RequestRejected when NEW_FETCHES_PER_MINUTE chains were fetched in the last
        minute (nothing is fetched, and nothing is remembered against the URL)."""
        with self._lock:
            now = self.monotonic()
            self._fetched_at = [t for t in self._fetched_at if now - t < 60]
            if len(self._fetched_at) >= NEW_FETCHES_PER_MINUTE:
                raise RequestRejected("too many new certificate URLs; try again in a minute")
            self._fetched_at.append(now)

    def _fetch(self, url: str) -> _Chain:
        try:
            certificates = x509.load_pem_x509_certificates(self.fetch(url))
        except ValueError as exc:
            raise RequestRejected("the certificate chain is not PEM") from exc
        except OSError as exc:
            raise RequestRejected(f"the certificate chain could not be fetched ({exc})") from exc
        return _Chain(certificates[0], certificates[1:])

    def _check_chain(self, chain: _Chain, now: datetime) -> None:
        verifier = PolicyBuilder().store(self.store).time(now).build_server_verifier(
            DNSName(SIGNER))
        try:
            verifier.verify(chain.leaf, chain.intermediates)
        except VerificationError as exc:
            raise RequestRejected(f"the signing certificate is not trusted ({exc})") from exc
        try:
            usage = chain.leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound as exc:
            raise RequestRejected("the signing certificate has no key usage") from exc
        if not usage.digital_signature:
            raise RequestRejected("the signing certificate may not sign")

    @staticmethod
    def _check_signature(leaf: x509.Certificate, signature: bytes, body: bytes) -> None:
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise RequestRejected("the signing certificate's key is not RSA")
        try:
            key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError) as exc:
            raise RequestRejected("the signature does not match the request body") from exc

    @staticmethod
    def _check_timestamp(envelope: dict, now: datetime) -> None:
        stamp = _field(envelope, "request", "timestamp")
        try:
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError as exc:
            raise RequestRejected("the request has no valid timestamp") from exc
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        kind = _field(envelope, "request", "type")
        skew = EVENT_SKEW_S if str(kind).startswith("AlexaSkillEvent.") else MAX_SKEW_S
        if abs((now - when).total_seconds()) > skew:
            raise RequestRejected(f"the request is more than {skew} s old or early")

    def _check_application(self, envelope: dict) -> None:
        """The skill id in context.System (always there) and in the session (when there is
        one) must both be ours: a body right in one place and wrong in the other was
        accepted once."""
        named = [_field(envelope, "context", "System", "application", "applicationId")]
        if envelope.get("session") is not None:
            named.append(_field(envelope, "session", "application", "applicationId"))
        if None in named:
            raise RequestRejected("the request does not name its skill "
                                  "(context.System.application.applicationId)")
        if any(skill_id != self.skill_id for skill_id in named):
            raise RequestRejected("the request is for another skill")


def _field(document: object, *keys: str) -> object:
    """document[k1][k2]..., or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def parse_json(body: bytes) -> object:
    """The JSON document in `body`; RequestRejected for bytes that are not UTF-8 JSON
    (RFC 8259: NaN and Infinity are not JSON, nor is a number too large for a float, such
    as 1e400: Python reads them, and the reply that echoed them was not JSON), or that
    nest so deeply that the parser runs out of stack (RecursionError, once a 500)."""
    try:
        return json.loads(body, parse_constant=_not_json, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        raise RequestRejected("the body is not JSON") from exc


def _not_json(constant: str) -> float:
    raise ValueError(f"{constant} is not JSON")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large for a number")
    return number


def _parse(body: bytes) -> dict:
    envelope = parse_json(body)
    if not isinstance(envelope, dict):
        raise RequestRejected("the request body is not an Alexa request envelope")
    return envelope


__all__ = ["RequestRejected", "RequestVerifier", "check_chain_url", "default_roots",
           "fetch_url", "load_roots", "parse_json"]
