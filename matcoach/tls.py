"""Serving over TLS with a certificate of one's own (`matcoach serve --certfile --keyfile`).

A phone reaching the server by the computer's network address over plain http is not a
secure context: the browser gives it no service worker (no saving for offline) and no
wake lock (W3C Secure Contexts). With a certificate the phone trusts, it gets both.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import re
import ssl
import stat
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

# The label of each PEM block: CERTIFICATE, PRIVATE KEY, RSA PRIVATE KEY, CERTIFICATE REQUEST…
_BEGIN = re.compile(rb"^-----BEGIN ([A-Z0-9 ]+)-----", re.MULTILINE)
# What OpenSSL's reasons for refusing a pair that reads well mean (its security level).
_REFUSALS = {"EE_KEY_TOO_SMALL": "the key is too small (RSA needs 2048 bits or more; make a "
                                 "new key and have a certificate issued for it)"}


class CertificateError(ValueError):
    """The certificate and key cannot serve TLS; the message names the file and the fix."""


def check_pair(certfile: Path, keyfile: Path) -> None:
    """Check `certfile` (PEM: the server's certificate first, then any intermediates) and
    `keyfile` (PEM private key, unencrypted: a server starts unattended; one file holding
    both may be given as each), then load them as gunicorn will.

    Raises CertificateError, naming the file, when one is missing, unreadable, empty, not
    PEM, damaged or holds something else (a key, a certificate request, a certificate);
    when the key has a passphrase, or belongs to no certificate in the chain or not to the
    first; when the server's certificate has expired or is not valid yet; when OpenSSL
    refuses the pair (a key too small, say).
    """
    chain = _certificates(certfile)
    key = _private_key(keyfile)
    _check_order(chain, key, certfile, keyfile)
    _check_dates(chain[0], certfile)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        # An empty passphrase, so that no key can ever make OpenSSL prompt at a terminal.
        context.load_cert_chain(certfile, keyfile, password=b"")
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        raise CertificateError(f"OpenSSL refuses to serve TLS with {certfile} and {keyfile}: "
                               f"{_REFUSALS.get(reason, reason)}.") from exc


def _read(path: Path) -> bytes:
    """The bytes of `path`; CertificateError if it is not a file that can be read."""
    try:
        # stat() before open(): open() on a folder or a pipe would not say "not a file".
        if not stat.S_ISREG(path.stat().st_mode):
            raise FileNotFoundError
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise CertificateError(f"{path} is not a file; give the path of your PEM certificate "
                               "(--certfile) and its private key (--keyfile).") from exc
    except PermissionError as exc:
        # Often a folder the server's user cannot enter (/etc/letsencrypt/live is 0700).
        raise CertificateError(f"Cannot read {path}: permission denied (the server runs as "
                               f"{_user()}, who must be able to read the file and enter every "
                               "folder above it).") from exc
    except OSError as exc:
        raise CertificateError(f"Cannot read {path}: {exc.strerror}.") from exc


def _labels(path: Path, data: bytes, what: str, begin: str, convert: str) -> set[bytes]:
    """The labels of the PEM blocks in `data`; CertificateError if there are none."""
    if not data.strip():
        raise CertificateError(f"{path} is empty; it should hold the {what} in PEM "
                               f"(-----BEGIN {begin}-----).")
    labels = set(_BEGIN.findall(data))
    if not labels:
        hint = ""
        if data[:1] == b"\x30":   # an ASN.1 SEQUENCE: DER, most likely
            hint = f" (if it is DER: openssl {convert} -inform DER -in {path} -out NEW.pem)"
        raise CertificateError(f"{path} is not a PEM {what}: it should start with "
                               f"-----BEGIN {begin}-----{hint}.")
    return labels


def _certificates(certfile: Path) -> list[x509.Certificate]:
    data = _read(certfile)
    labels = _labels(certfile, data, "certificate", "CERTIFICATE", "x509")
    if not {b"CERTIFICATE", b"X509 CERTIFICATE"} & labels:
        held = ", ".join(sorted(label.decode() for label in labels))
        if "CERTIFICATE REQUEST" in held:
            held = "a certificate request, not a certificate: give the certificate issued for it"
        elif "PRIVATE KEY" in held:
            held = "a private key, not a certificate: give it as --keyfile"
        else:
            held = f"no certificate (-----BEGIN CERTIFICATE-----), only {held}"
        raise CertificateError(f"{certfile} holds {held}.")
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise CertificateError(f"{certfile} holds a certificate that cannot be read (damaged "
                               "or cut short?); copy it again from your authority.") from exc


def _private_key(keyfile: Path) -> PrivateKeyTypes:
    data = _read(keyfile)
    labels = _labels(keyfile, data, "private key", "PRIVATE KEY", "pkey")
    if not any(label.endswith(b"PRIVATE KEY") for label in labels):
        raise CertificateError(f"{keyfile} holds no private key (-----BEGIN PRIVATE KEY-----); "
                               "give the key the certificate was made for as --keyfile.")
    try:
        return serialization.load_pem_private_key(data, password=None)
    except TypeError as exc:   # cryptography's way of saying "encrypted"
        raise CertificateError(
            f"The key {keyfile} is protected by a passphrase; the server starts unattended, "
            "so give it the key unencrypted (openssl pkey -in KEY -out NEW).") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise CertificateError(f"{keyfile} holds a private key that cannot be read (damaged "
                               "or cut short?); copy it again from where it was made.") from exc


def _check_order(chain: list[x509.Certificate], key: PrivateKeyTypes, certfile: Path,
                 keyfile: Path) -> None:
    """The key must be the first certificate's: that is the one TLS presents as the
    server's, and OpenSSL only says "key values mismatch" when the chain is out of order."""
    mine = _public(key.public_key())
    theirs = [_public(certificate.public_key()) for certificate in chain]
    if theirs[0] == mine:
        return
    if mine in theirs:
        server = chain[theirs.index(mine)].subject.rfc4514_string()
        raise CertificateError(f"The key {keyfile} belongs to the certificate for {server}, "
                               f"which is not the first in {certfile}: put the server's "
                               "certificate first, then its intermediates.")
    raise CertificateError(f"The key {keyfile} does not belong to the certificate {certfile}.")


def _check_dates(server: x509.Certificate, certfile: Path) -> None:
    """Only the server's own certificate: phones refuse it outside its dates, whereas an
    expired intermediate can be there on purpose (Let's Encrypt's cross-signed chain)."""
    now = dt.datetime.now(dt.UTC)
    if server.not_valid_after_utc < now:
        raise CertificateError(f"The certificate in {certfile} expired on "
                               f"{server.not_valid_after_utc:%Y-%m-%d %H:%M} UTC; renew it.")
    if server.not_valid_before_utc > now:
        raise CertificateError(f"The certificate in {certfile} is not valid until "
                               f"{server.not_valid_before_utc:%Y-%m-%d %H:%M} UTC; check this "
                               "computer's clock, or wait until then.")


def _public(public_key: PublicKeyTypes) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)


def _user() -> str:
    """Who this process runs as, by name."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:   # a uid with no name (in a container, say)
        return f"user {os.geteuid()}"
