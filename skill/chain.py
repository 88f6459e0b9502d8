"""Where Alexa's signing certificate comes from: the chain URL's rules, its download, and
the trust roots it must lead to (developer.amazon.com, "Host a Custom Skill as a Web
Service": verifying the signature certificate URL)."""

from __future__ import annotations

import logging
import posixpath
import re
import urllib.request
import warnings
from urllib.parse import urlsplit

from cryptography import x509

from .errors import RequestRejected

log = logging.getLogger(__name__)

CERT_HOST = "s3.amazonaws.com"
CERT_PATH = "/echo.api/"
FETCH_TIMEOUT_S = 5
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def fetch_url(url: str) -> bytes:
    """Download a certificate chain (the only network call the skill makes)."""
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_S) as response:
        return response.read()


def default_roots() -> list[x509.Certificate]:
    """The trust roots certifi ships (see load_roots)."""
    import certifi
    with open(certifi.where(), "rb") as handle:
        return load_roots(handle.read())


def load_roots(bundle: bytes) -> list[x509.Certificate]:
    """Each certificate of a PEM bundle that `cryptography` can read, read one at a time.

    Read all at once, one root the library cannot parse would stop every request from
    verifying. Six roots in certifi's bundle (Starfield's and Go Daddy's G2 among them,
    which Amazon's chains have led to) have a serial number of 0, which cryptography
    still reads with a CryptographyDeprecationWarning and says a future release will
    refuse: they are kept while they can be read, without the warning on every start;
    a root that cannot be read is skipped, with a warning naming it by position.
    """
    roots = []
    blocks = _PEM_BLOCK.findall(bundle)
    for number, block in enumerate(blocks, 1):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*serial number.*")
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError as exc:
                log.warning("skipped trust root %d of %d, which cannot be read: %s",
                            number, len(blocks), exc)
    return roots


def check_chain_url(url: str) -> str:
    """Amazon's rules for SignatureCertChainUrl: https, s3.amazonaws.com:443, /echo.api/.
    Returns the URL in its one normal form (lower-case scheme and host, no port, the path
    normalized), under which its chain is fetched and kept, so spellings of one URL
    (/echo.api/../echo.api/./x) cost one fetch. Raises RequestRejected."""
    if not url.isascii() or not url.isprintable() or " " in url:
        # Amazon's URLs are plain ASCII; anything else is no S3 key of theirs.
        raise RequestRejected("the certificate URL is not plain ASCII")
    try:
        parts = urlsplit(url)
    except ValueError as exc:     # e.g. "https://[s3.amazonaws.com/...": a broken IPv6 host
        raise RequestRejected("the certificate URL cannot be read") from exc
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
    return f"https://{CERT_HOST}{path}"
