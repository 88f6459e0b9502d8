"""The one exception hierarchy of plans/: the web app turns these into 4xx pages, the
command line into one sentence."""

from __future__ import annotations


class PlansError(Exception):
    """Something asked of the plans store that it cannot do; the message says what."""


class NotFound(PlansError):
    """No such client or plan for this therapist (another therapist's is not found either:
    telling them apart would tell a therapist which ids exist)."""


class InvalidInput(PlansError):
    """A value refused, with the field it was for: `field` and the message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class Taken(PlansError):
    """A value that must be unique (a therapist's email) is in use already."""
