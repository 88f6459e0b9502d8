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
        self.reason = message


class Taken(PlansError):
    """A value that must be unique (a therapist's email) is in use already."""


class LinkUnusable(PlansError):
    """A one-time link that has expired, has been used, or never was one."""


class WrongPassword(PlansError):
    """An email and password that do not open an account (which of the two is wrong is
    not said: that would tell a stranger which addresses have accounts)."""


class TooManyAttempts(PlansError):
    """Too many failed attempts for now; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(PlansError):
    """The database cannot be opened or migrated: a bad URL, a server that does not
    answer, a driver not installed; the message names the URL (without its password)."""
