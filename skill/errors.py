"""The skill package's exception for requests, raised by verification and the envelope
check and translated at the edges (400 on the web endpoint, an empty reply on Lambda)."""

from __future__ import annotations


class RequestRejected(Exception):
    """A request that did not come from Alexa for this skill, or is not a well-formed
    Alexa request; answered with 400 and this message."""
