"""Serving over TLS with a certificate of one's own (`matcoach serve --certfile --keyfile`).

A phone reaching the server by the computer's network address over plain http is not a
secure context: the browser gives it no service worker (no saving for offline) and no
wake lock (W3C Secure Contexts). With a certificate the phone trusts, it gets both.
"""

from __future__ import annotations

import ssl
from pathlib import Path


class CertificateError(ValueError):
    """The certificate and key cannot serve TLS; the message names the file and the fix."""


def check_pair(certfile: Path, keyfile: Path) -> None:
    """Load `certfile` (PEM, the server's certificate first, then any intermediates) with
    `keyfile` (PEM private key, unencrypted: a server starts unattended), as gunicorn will.

    Raises CertificateError when a file is missing or unreadable, is not PEM, is protected
    by a passphrase, or the key does not belong to the certificate.
    """
    for path in (certfile, keyfile):
        if not path.is_file():
            raise CertificateError(f"{path} is not a file; give the path of your PEM "
                                   "certificate (--certfile) and its private key (--keyfile).")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        # A password callback that refuses: an encrypted key fails here, not at a prompt.
        context.load_cert_chain(certfile, keyfile, password=_no_passphrase)
    except (ssl.SSLError, OSError, _Encrypted) as exc:
        raise CertificateError(_why(certfile, keyfile, exc)) from exc


class _Encrypted(Exception):
    pass


def _no_passphrase() -> str:
    raise _Encrypted


def _why(certfile: Path, keyfile: Path, exc: Exception) -> str:
    if isinstance(exc, _Encrypted):
        return (f"The key {keyfile} is protected by a passphrase; the server starts "
                "unattended, so give it the key unencrypted (openssl pkey -in KEY -out NEW).")
    reason = getattr(exc, "reason", None) or ""
    if reason == "KEY_VALUES_MISMATCH":
        return f"The key {keyfile} does not belong to the certificate {certfile}."
    if isinstance(exc, PermissionError):
        return f"Cannot read {exc.filename or certfile}: permission denied."
    return (f"Cannot use {certfile} with {keyfile} for TLS ({reason or exc}): both must be "
            "PEM files, the certificate and its private key.")
