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
import posixpath
import threading
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import DNSName, PolicyBuilder, Store, VerificationError

log = logging.getLogger(__name__)

CERT_HOST = "s3.amazonaws.com"
CERT_PATH = "/echo.api/"
SIGNER = "echo-api.amazon.com"
MAX_SKEW_S = 150
FETCH_TIMEOUT_S = 5
MAX_CACHED_CHAINS = 8   # Amazon signs with one chain at a time; a few cover a rotation

Fetch = Callable[[str], bytes]
Clock = Callable[[], datetime]


class RequestRejected(Exception):
    """A request that did not come from Alexa for this skill; answered with 400."""


def fetch_url(url: str) -> bytes:
    """Download a certificate chain (the only network call the skill makes)."""
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as response:
        return response.read()


def default_roots() -> list[x509.Certificate]:
    """The trust roots certifi ships."""
    import certifi
    with open(certifi.where(), "rb") as handle:
        return x509.load_pem_x509_certificates(handle.read())


def check_chain_url(url: str) -> None:
    """Amazon's rules for SignatureCertChainUrl: https, s3.amazonaws.com:443, /echo.api/."""
    parts = urlsplit(url)
    path = posixpath.normpath(parts.path) if parts.path else ""
    try:
        port = parts.port
    except ValueError as exc:
        raise RequestRejected("the certificate URL has an invalid port") from exc
    if parts.scheme.lower() != "https":
        raise RequestRejected("the certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_HOST:
        raise RequestRejected(f"the certificate URL is not on {CERT_HOST}")
    if port not in (None, 443):
        raise RequestRejected("the certificate URL uses a port other than 443")
    if not path.startswith(CERT_PATH):
        raise RequestRejected(f"the certificate URL path is not under {CERT_PATH}")
    if parts.query or parts.fragment or parts.username or parts.password:
        # Amazon's URLs have none; refusing them keeps the chain cache keyed on real files.
        raise RequestRejected("the certificate URL has a query, fragment or user name")


@dataclass(frozen=True)
class _Chain:
    leaf: x509.Certificate
    intermediates: list[x509.Certificate]


class RequestVerifier:
    """Checks signature, certificate chain, timestamp and application id of each request."""

    def __init__(self, skill_id: str, roots: list[x509.Certificate] | None = None,
                 fetch: Fetch = fetch_url, clock: Clock | None = None) -> None:
        self.skill_id = skill_id
        self.store = Store(roots if roots is not None else default_roots())
        self.fetch = fetch
        self.clock = clock or (lambda: datetime.now(UTC))
        self._chains: dict[str, _Chain] = {}
        self._lock = threading.Lock()

    @staticmethod
    def check_headers(headers: Mapping[str, str]) -> None:
        """Refuse an unsigned request before its body is even read."""
        if not headers.get("SignatureCertChainUrl") or not headers.get("Signature-256"):
            raise RequestRejected("the request is not signed (SignatureCertChainUrl and "
                                  "Signature-256 are required)")
        check_chain_url(headers["SignatureCertChainUrl"])

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Return quietly for a genuine request; raise RequestRejected otherwise."""
        self.check_headers(headers)
        url = headers["SignatureCertChainUrl"]
        now = self.clock()
        chain = self._chain(url, now)
        self._check_signature(chain.leaf, headers["Signature-256"], body)
        envelope = _parse(body)
        self._check_timestamp(envelope, now)
        self._check_application(envelope)

    def _chain(self, url: str, now: datetime) -> _Chain:
        """The trusted chain at `url`: fetched once, kept (if it verified) until it expires."""
        with self._lock:
            cached = self._chains.get(url)
        if cached is None or cached.leaf.not_valid_after_utc <= now:
            cached = self._fetch(url)
        self._check_chain(cached, now)
        with self._lock:
            self._chains.pop(url, None)
            self._chains[url] = cached          # most recently used last
            while len(self._chains) > MAX_CACHED_CHAINS:
                self._chains.pop(next(iter(self._chains)))
        return cached

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
    def _check_signature(leaf: x509.Certificate, signature: str, body: bytes) -> None:
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise RequestRejected("the signing certificate's key is not RSA")
        try:
            key.verify(base64.b64decode(signature, validate=True), body,
                       padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError) as exc:
            raise RequestRejected("the signature does not match the request body") from exc

    @staticmethod
    def _check_timestamp(envelope: dict, now: datetime) -> None:
        stamp = envelope.get("request", {}).get("timestamp")
        try:
            when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError as exc:
            raise RequestRejected("the request has no valid timestamp") from exc
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        if abs((now - when).total_seconds()) > MAX_SKEW_S:
            raise RequestRejected(f"the request is more than {MAX_SKEW_S} s old or early")

    def _check_application(self, envelope: dict) -> None:
        application = (envelope.get("context", {}).get("System", {}).get("application")
                       or (envelope.get("session") or {}).get("application") or {})
        if application.get("applicationId") != self.skill_id:
            raise RequestRejected("the request is for another skill")


def _parse(body: bytes) -> dict:
    try:
        envelope = json.loads(body)
    except ValueError as exc:
        raise RequestRejected("the request body is not JSON") from exc
    if not isinstance(envelope, dict):
        raise RequestRejected("the request body is not an Alexa request envelope")
    return envelope
