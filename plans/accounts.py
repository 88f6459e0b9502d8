"""Therapists' accounts: passwords, one-time links that set them, sign-in with limits on
failures, and sessions that end when the password changes.

    accounts = Accounts(store)
    token = accounts.issue_link("ann@example.com", "welcome")   # printed as a link
    therapist_id = accounts.set_password(token, "a long passphrase of hers")
    signed = accounts.sign_in("ann@example.com", "a long passphrase of hers", "203.0.113.9")
    accounts.signed_in(signed.session_id)     # -> the Account, until the password changes

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended
option). The rules on choosing one are NIST SP 800-63B Rev. 4, 3.1.1.2: at least 15
characters for a password that is the only factor, up to 256 here, any characters (NFKC
normalised), no composition rules, and not the account's own address.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import audit
from .errors import (
    InvalidInput,
    LinkUnusable,
    NotFound,
    TooManyAttempts,
    WrongPassword,
)
from .limits import Limit
from .models import Attempt, OneTimeLink, Therapist, aware, digest
from .store import Store, normal_email

PASSWORD_MIN = 15     # NIST SP 800-63B Rev. 4, 3.1.1.2 (single-factor)
PASSWORD_MAX = 256
# How long a link stays usable: a new account's for a week (it may wait in an inbox), a
# reset's for an hour (OWASP Forgot Password Cheat Sheet: short-lived, single use).
LINK_LIFETIMES = {"welcome": dt.timedelta(days=7), "reset": dt.timedelta(hours=1)}
# Failed sign-ins allowed per email and per address (OWASP Authentication Cheat Sheet:
# lock out per account, throttle per source; here for 15 minutes, not forever, so a
# stranger cannot lock a therapist out for good).
PER_EMAIL = Limit("sign_in_email", 5, dt.timedelta(minutes=15))
PER_ADDRESS = Limit("sign_in_address", 20, dt.timedelta(minutes=15))
SIGN_UPS = Limit("sign_up_address", 5, dt.timedelta(hours=24))   # accounts one address makes
UNUSABLE = ("This link has expired or has been used. Ask whoever runs Mat Coach for a new "
            "one.")
_HASHER = PasswordHasher()
# Verified against when the email has no account, so that both answers take as long.
_NOBODY = _HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    session_id: str
    """What a signed-in session keeps: "<id>:<session version>"; it stops opening the
    account when the password changes."""


class Accounts:
    """The accounts kept in `store`; `clock` gives the time (an aware datetime, UTC)."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def issue_link(self, email: str, purpose: str) -> str:
        """A one-time token that sets the password of the account of `email` (purpose
        "welcome" or "reset"; see LINK_LIFETIMES); earlier links of the account stop
        working. NotFound when no account has that email."""
        if purpose not in LINK_LIFETIMES:
            raise ValueError(f"a link is for one of {sorted(LINK_LIFETIMES)}, not {purpose!r}")
        now = self.clock()
        token = secrets.token_urlsafe(32)
        with self.store.transaction() as session:
            therapist = _by_email(session, email)
            if therapist is None:
                raise NotFound(f"no therapist has the address {normal_email(email)}")
            session.execute(delete(OneTimeLink).where(OneTimeLink.therapist_id == therapist.id))
            session.add(OneTimeLink(therapist_id=therapist.id, digest=digest(token),
                                    purpose=purpose, expires_at=now + LINK_LIFETIMES[purpose]))
            audit.record(session, therapist.id, "link_issued", purpose, now)
        return token

    def link_email(self, token: str) -> str:
        """The email whose password the link sets; LinkUnusable if it cannot be used."""
        with self.store.transaction() as session:
            return self._usable_link(session, token)[1].email

    def set_password(self, token: str, password: str) -> int:
        """Set the password of the link's account, end the link and every session signed in
        before, lift a lock-out of its email, and return the therapist's id. LinkUnusable
        (also for the second of two uses at once), or InvalidInput("password") for a
        password the rules refuse (the link then still works)."""
        hashed = _HASHER.hash(check_password(password, self.link_email(token)))
        now = self.clock()
        with self.store.transaction() as session:
            link, therapist = self._usable_link(session, token)
            # Taken by deleting it: of two uses at once, only one deletes a row.
            if session.execute(delete(OneTimeLink).where(OneTimeLink.id == link.id)
                               ).rowcount != 1:
                raise LinkUnusable(UNUSABLE)
            _set(session, therapist, hashed, now)
            PER_EMAIL.clear(session, therapist.email)
            return therapist.id

    def change_password(self, therapist_id: int, current: str, new: str) -> Account:
        """Change a signed-in therapist's password, ending their other sessions; the
        Account returned is the new session. WrongPassword if `current` is not theirs."""
        now = self.clock()
        with self.store.transaction() as session:
            therapist = session.get(Therapist, therapist_id)
            if therapist is None:
                raise NotFound("no such therapist")
            # The same limit as signing in: a session left open must not become a way
            # to guess the password. Counted first, taken back when it is right.
            wait = PER_EMAIL.retry_after(session, therapist.email, now)
            if wait:
                raise TooManyAttempts("Too many wrong passwords. Try again in "
                                      f"{_minutes(wait)}.", wait)
            email, password_hash = therapist.email, therapist.password_hash
            counted = PER_EMAIL.count(session, email, now).id
        if not _verified(password_hash, current):
            raise WrongPassword("That is not your current password.")
        with self.store.transaction() as session:   # the current password was right
            session.execute(delete(Attempt).where(Attempt.id == counted))
        hashed = _HASHER.hash(check_password(new, email))
        with self.store.transaction() as session:
            therapist = session.get(Therapist, therapist_id)
            _set(session, therapist, hashed, now)
            session.flush()
            return _account(therapist)

    def sign_in(self, email: str, password: str, address: str) -> Account:
        """The account `email` and `password` open. TooManyAttempts while the email or the
        address (the client's IP) has failed too often (PER_EMAIL, PER_ADDRESS); else
        WrongPassword, which counts against both."""
        now = self.clock()
        key = normal_email(email) if isinstance(email, str) else ""
        with self.store.transaction() as session:
            wait = max(PER_EMAIL.retry_after(session, key, now),
                       PER_ADDRESS.retry_after(session, address, now))
            if wait:
                raise TooManyAttempts("Too many failed sign-ins. Try again in "
                                      f"{_minutes(wait)}.", wait)
            therapist = _by_email(session, key)
            password_hash = therapist.password_hash if therapist else None
            # Counted before the (slow) check and taken back if it succeeds, so that
            # guesses sent all at once count as they come, not after they are checked.
            counted = [PER_EMAIL.count(session, key, now).id,
                       PER_ADDRESS.count(session, address, now).id]
        # Verified even when there is no account, so both answers take as long; and
        # outside any transaction, so others are not kept waiting while it hashes.
        if _verified(password_hash, password):
            with self.store.transaction() as session:
                session.execute(delete(Attempt).where(Attempt.id.in_(counted)))
                therapist = session.get(Therapist, therapist.id)
                if _HASHER.check_needs_rehash(therapist.password_hash):
                    therapist.password_hash = _HASHER.hash(_normal(password))
                audit.record(session, therapist.id, "signed_in", address, now)
                return _account(therapist)
        with self.store.transaction() as session:
            audit.record(session, therapist.id if therapist else None, "sign_in_failed",
                         address, now)
        raise WrongPassword("That email and password do not match an account.")

    def sign_up(self, email: str, password: str, address: str) -> Account:
        """A new account of its own (when the app allows sign-up), signed in. InvalidInput
        naming "email" or "password", Taken for an email in use, TooManyAttempts after
        SIGN_UPS accounts from one address in a day."""
        now = self.clock()
        with self.store.transaction() as session:
            wait = SIGN_UPS.retry_after(session, address, now)
            if wait:
                raise TooManyAttempts("Too many accounts have been made from here today. Try "
                                      f"again in {_minutes(wait)}.", wait)
        hashed = _HASHER.hash(check_password(password, normal_email(email)))
        therapist_id = self.store.add_therapist(email)
        with self.store.transaction() as session:
            SIGN_UPS.count(session, address, now)
            therapist = session.get(Therapist, therapist_id)
            _set(session, therapist, hashed, now)
            session.flush()
            audit.record(session, therapist.id, "signed_in", address, now)
            return _account(therapist)

    def signed_in(self, session_id: str) -> Account | None:
        """The account a session's id opens, or None (ended by a password change, or the
        account is gone)."""
        therapist_id, _, version = str(session_id).partition(":")
        # ASCII digits only ("²".isdigit() is true, int("²") fails), and few enough to fit
        # a 64-bit integer (SQLite raises on larger ones).
        if not all(part.isascii() and part.isdigit() and len(part) <= 18
                   for part in (therapist_id, version)):
            return None
        with self.store.transaction() as session:
            therapist = session.get(Therapist, int(therapist_id))
            if therapist is None or therapist.session_version != int(version):
                return None
            return _account(therapist)

    def signed_out(self, therapist_id: int) -> None:
        """End every session of the account (a copy of the cookie opens nothing after
        signing out), and record it in the audit log."""
        with self.store.transaction() as session:
            therapist = session.get(Therapist, therapist_id)
            if therapist is not None:
                therapist.session_version = Therapist.session_version + 1
            audit.record(session, therapist_id, "signed_out", at=self.clock())

    def events(self, therapist_id: int) -> list[audit.Event]:
        """The therapist's audit log, newest first (the last 100 events)."""
        with self.store.transaction() as session:
            return audit.events(session, therapist_id)

    def _usable_link(self, session: Session, token: str) -> tuple[OneTimeLink, Therapist]:
        link = None
        if isinstance(token, str) and 0 < len(token) <= 64:
            link = session.scalar(select(OneTimeLink)
                                  .where(OneTimeLink.digest == digest(token)))
        if link is None or aware(link.expires_at) <= self.clock():
            raise LinkUnusable(UNUSABLE)
        return link, session.get(Therapist, link.therapist_id)


def check_password(password: str, email: str) -> str:
    """The password as it will be hashed (NFKC), or InvalidInput("password") saying which
    rule it breaks."""
    if not isinstance(password, str):
        raise InvalidInput("password", "give a password")
    password = _normal(password)
    if len(password) < PASSWORD_MIN:
        raise InvalidInput("password", f"use at least {PASSWORD_MIN} characters; a few words "
                                       "make a password that long and easy to remember")
    if len(password) > PASSWORD_MAX:
        raise InvalidInput("password", f"use at most {PASSWORD_MAX} characters")
    local = email.split("@")[0]
    if len(set(password)) < 4:
        raise InvalidInput("password", "that is a few characters over and over, easy to "
                                       "guess; choose another")
    if len(local) >= 3 and local in password.lower():
        raise InvalidInput("password", f'it holds "{local}", the start of your email '
                                       "address, which a guesser tries first; choose another")
    return password


def _set(session: Session, therapist: Therapist, hashed: str, now: dt.datetime) -> None:
    """Store a new password hash, ending every session and link of the account. The
    version is raised in SQL, so two changes at once both count."""
    therapist.password_hash = hashed
    therapist.session_version = Therapist.session_version + 1
    session.execute(delete(OneTimeLink).where(OneTimeLink.therapist_id == therapist.id))
    audit.record(session, therapist.id, "password_set", at=now)


def _verified(password_hash: str | None, password: str) -> bool:
    if not isinstance(password, str) or len(password) > 4 * PASSWORD_MAX:
        return False
    try:
        return _HASHER.verify(password_hash or _NOBODY, _normal(password)) and bool(
            password_hash)
    except (VerificationError, InvalidHashError):
        return False


def _account(therapist: Therapist) -> Account:
    return Account(therapist.id, therapist.email,
                   f"{therapist.id}:{therapist.session_version}")


def _by_email(session: Session, email: str) -> Therapist | None:
    return session.scalar(select(Therapist).where(Therapist.email == normal_email(email)))


def _normal(password: str) -> str:
    return unicodedata.normalize("NFKC", password)




def _minutes(seconds: int) -> str:
    """A wait as a person says it: "a minute", "15 minutes", "24 hours"."""
    minutes = max(1, round(seconds / 60))
    if minutes >= 120:
        return f"{round(minutes / 60)} hours"
    return "a minute" if minutes == 1 else f"{minutes} minutes"
