"""gunicorn's access log without the secrets some addresses carry: a one-time link's
token (it sets a therapist's password) and a plan's private token (it opens the plan) are
written as "[private]", so a log kept, shipped or shared gives neither away."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

# The path segment after these prefixes is a secret (web/therapist/accounts.py, web/private.py).
# A path's start only (the line's, after a space or quote, or a referrer's host), so that
# /p/[private]/progress/delete keeps its last parts and /audio/p/x.mp3 is no secret.
_SECRET = re.compile(
    r"((?:^|[\s\"]|//[^/\s\"]*)(?:/therapist/set-password/|/p/|/progress/))[^/?#\s\"]+")


def masked(text: str) -> str:
    """`text` (a request line or path) with every secret path segment as "[private]"."""
    return _SECRET.sub(r"\1[private]", text)


class PrivateAccessLog(Logger):
    """gunicorn's Logger, its request line (%(r)s), path (%(U)s) and referrer (%(f)s, and
    the header itself) masked: a page's styles and scripts are asked for with the page's
    own address as the referrer."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f", "{referer}i"):
            if isinstance(atoms.get(key), str):
                atoms[key] = masked(atoms[key])
        return atoms
