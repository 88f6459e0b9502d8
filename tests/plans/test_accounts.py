"""Therapists' accounts, on SQLite and PostgreSQL alike: one-time links that set a password
once and expire, the password rules, sign-in with limits on failures that every worker
counts alike, sessions that end when the password changes, and the audit log. Time comes
from a clock the tests move, so no test sleeps."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import create_engine, text

from plans import InvalidInput, NotFound, Store
from plans import accounts as accounts_module
from plans.accounts import Accounts
from plans.errors import LinkUnusable, TooManyAttempts, WrongPassword

from ..conftest import PRODUCTION_HASHER

EMAIL = "ann@example.com"
PASSWORD = "a long passphrase of hers"
ADDRESS = "203.0.113.9"


class Clock:
    """An aware UTC time that only moves when a test moves it."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(store, clock) -> Accounts:
    return Accounts(store, clock=clock)


@pytest.fixture
def ann(store, accounts) -> int:
    """Ann's id; she has set PASSWORD through her welcome link."""
    store.add_therapist(EMAIL)
    return accounts.set_password(accounts.issue_link(EMAIL, "welcome"), PASSWORD)


def fail(accounts: Accounts, times: int, email: str = EMAIL, address: str = ADDRESS) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassword):
            accounts.sign_in(email, "not her passphrase at all", address)


def rows(database: str, query: str) -> list[tuple]:
    engine = create_engine(database)
    with engine.connect() as connection:
        result = connection.execute(text(query)).all()
    engine.dispose()
    return [tuple(row) for row in result]


# One-time links

def test_a_link_for_an_address_without_an_account_is_not_made(accounts):
    with pytest.raises(NotFound):
        accounts.issue_link("nobody@example.com", "welcome")


def test_a_welcome_link_sets_the_password_once(store, accounts):
    ann = store.add_therapist(EMAIL)
    token = accounts.issue_link("  Ann@Example.com ", "welcome")
    assert accounts.link_email(token) == EMAIL
    assert accounts.set_password(token, PASSWORD) == ann
    assert accounts.sign_in(EMAIL, PASSWORD, ADDRESS).id == ann
    with pytest.raises(LinkUnusable, match="Ask whoever runs Mat Coach for a new one"):
        accounts.set_password(token, "someone else's passphrase")
    assert accounts.sign_in(EMAIL, PASSWORD, ADDRESS).id == ann


@pytest.mark.parametrize("purpose, lifetime", [("welcome", dt.timedelta(days=7)),
                                               ("reset", dt.timedelta(hours=1))])
def test_a_link_expires(store, accounts, clock, purpose, lifetime):
    store.add_therapist(EMAIL)
    token = accounts.issue_link(EMAIL, purpose)
    clock.advance(seconds=lifetime.total_seconds() - 1)
    assert accounts.link_email(token) == EMAIL
    clock.advance(seconds=1)
    with pytest.raises(LinkUnusable):
        accounts.link_email(token)
    with pytest.raises(LinkUnusable):
        accounts.set_password(token, PASSWORD)


def test_a_new_link_ends_the_earlier_one(store, accounts):
    store.add_therapist(EMAIL)
    first = accounts.issue_link(EMAIL, "welcome")
    second = accounts.issue_link(EMAIL, "reset")
    with pytest.raises(LinkUnusable):
        accounts.set_password(first, PASSWORD)
    accounts.set_password(second, PASSWORD)


def test_a_refused_password_leaves_the_link_usable(store, accounts):
    store.add_therapist(EMAIL)
    token = accounts.issue_link(EMAIL, "welcome")
    with pytest.raises(InvalidInput) as refused:
        accounts.set_password(token, "short")
    assert refused.value.field == "password"
    accounts.set_password(token, PASSWORD)


@pytest.mark.parametrize("token", ["", "x" * 10_000, None, 42, b"bytes"])
def test_garbage_is_not_a_link(ann, accounts, token):
    with pytest.raises(LinkUnusable):
        accounts.link_email(token)
    with pytest.raises(LinkUnusable):
        accounts.set_password(token, PASSWORD)


# Password rules (NIST SP 800-63B Rev. 4, 3.1.1.2)

@pytest.mark.parametrize("password", [
    "fourteen chars",              # one short of 15
    "z" * 40,                      # one character over and over
    "my name is ann and I stretch",   # the email's own local part
    "Long Enough But ANN Is In It",   # ...in any case
    "w" + "ord " * 64,             # 257 characters
])
def test_passwords_the_rules_refuse(store, accounts, password):
    store.add_therapist(EMAIL)
    with pytest.raises(InvalidInput) as refused:
        accounts.set_password(accounts.issue_link(EMAIL, "welcome"), password)
    assert refused.value.field == "password"


def test_the_longest_password_allowed_is_256_characters(store, accounts):
    store.add_therapist(EMAIL)
    password = "word " * 51 + "x"
    assert len(password) == 256
    accounts.set_password(accounts.issue_link(EMAIL, "welcome"), password)
    assert accounts.sign_in(EMAIL, password, ADDRESS)


@pytest.mark.parametrize("typed, normalised", [
    ("ｆｕｌｌｗｉｄｔｈ ｐａｓｓｐｈｒａｓｅ", "fullwidth passphrase"),
    ("cafe\u0301 au lait on the mat", "caf\u00e9 au lait on the mat"),   # e + acute, é
])
def test_passwords_are_compared_as_nfkc(store, accounts, typed, normalised):
    store.add_therapist(EMAIL)
    accounts.set_password(accounts.issue_link(EMAIL, "welcome"), typed)
    assert accounts.sign_in(EMAIL, normalised, ADDRESS)
    assert accounts.sign_in(EMAIL, typed, ADDRESS)


def test_the_stored_hash_is_argon2id_and_not_the_password(ann, database):
    [(password_hash,)] = rows(database, "SELECT password_hash FROM therapists")
    assert password_hash.startswith("$argon2id$")
    assert PASSWORD not in password_hash


# Signing in

def test_the_right_password_signs_in_whatever_the_case_of_the_email(ann, accounts):
    signed = accounts.sign_in("  ANN@example.COM ", PASSWORD, ADDRESS)
    assert (signed.id, signed.email) == (ann, EMAIL)
    assert accounts.signed_in(signed.session_id) == signed


@pytest.mark.parametrize("email, password", [(EMAIL, PASSWORD + "!"),
                                             ("bob@example.com", PASSWORD),
                                             ("nobody@example.com", PASSWORD),
                                             (EMAIL, None)])
def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(ann, store, accounts,
                                                                   email, password):
    store.add_therapist("bob@example.com")   # an account whose password was never set
    with pytest.raises(WrongPassword) as refused:
        accounts.sign_in(email, password, ADDRESS)
    assert str(refused.value) == "That email and password do not match an account."


def test_five_failures_lock_the_email_for_15_minutes(ann, accounts, clock):
    for email in (EMAIL, "Ann@Example.com", " ANN@EXAMPLE.COM"):   # case does not evade it
        fail(accounts, 1, email, address="198.51.100.1")
    fail(accounts, 2, address="198.51.100.2")
    with pytest.raises(TooManyAttempts, match="Try again in 15 minutes") as refused:
        accounts.sign_in(EMAIL, PASSWORD, "192.0.2.77")   # even right, from elsewhere
    assert refused.value.retry_after == 15 * 60
    clock.advance(minutes=15)
    assert accounts.sign_in(EMAIL, PASSWORD, ADDRESS).id == ann


def test_twenty_failures_block_the_address_but_not_others(ann, accounts):
    for n in range(20):
        fail(accounts, 1, f"guess{n}@example.com")
    with pytest.raises(TooManyAttempts) as refused:
        accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    assert refused.value.retry_after > 0
    assert accounts.sign_in(EMAIL, PASSWORD, "198.51.100.7").id == ann


def test_every_worker_counts_the_same_failures(ann, accounts, clock, database):
    fail(accounts, 4)
    other_worker = Store(database)
    try:
        fail(Accounts(other_worker, clock=clock), 1)
        with pytest.raises(TooManyAttempts):
            Accounts(other_worker, clock=clock).sign_in(EMAIL, PASSWORD, ADDRESS)
    finally:
        other_worker.close()
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(EMAIL, PASSWORD, ADDRESS)


def test_attempts_are_kept_without_the_email_or_address(ann, accounts, database):
    fail(accounts, 3)
    kept = rows(database, "SELECT * FROM attempts")
    assert len(kept) == 6   # three per email, three per address
    assert not [row for row in kept if any(v in str(row) for v in (EMAIL, "ann", ADDRESS))]


# Sessions

@pytest.mark.parametrize("session_id", ["", "x:y", "1", "1:2:3", None, "1:", ":1", "-1:1",
                                        "\u00b2:1", "1:" + "9" * 5000, "9" * 30 + ":1"])
def test_a_malformed_session_id_opens_nothing(ann, accounts, session_id):
    assert accounts.signed_in(session_id) is None


def test_a_reset_ends_every_earlier_session(ann, accounts):
    old = accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    accounts.set_password(accounts.issue_link(EMAIL, "reset"), "her brand new passphrase")
    assert accounts.signed_in(old.session_id) is None
    new = accounts.sign_in(EMAIL, "her brand new passphrase", ADDRESS)
    assert accounts.signed_in(new.session_id) == new
    with pytest.raises(WrongPassword):
        accounts.sign_in(EMAIL, PASSWORD, ADDRESS)


def test_changing_the_password_ends_the_other_sessions(ann, accounts):
    old = accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    new = accounts.change_password(ann, PASSWORD, "her brand new passphrase")
    assert accounts.signed_in(old.session_id) is None
    assert accounts.signed_in(new.session_id) == new
    assert accounts.sign_in(EMAIL, "her brand new passphrase", ADDRESS).id == ann


def test_changing_the_password_needs_the_current_one(ann, accounts):
    signed = accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    with pytest.raises(WrongPassword):
        accounts.change_password(ann, "not her passphrase at all", "her brand new passphrase")
    assert accounts.signed_in(signed.session_id) == signed
    assert accounts.sign_in(EMAIL, PASSWORD, ADDRESS).id == ann


# The audit log

def test_the_audit_log_lists_a_therapists_own_events_newest_first(ann, store, accounts,
                                                                  clock):
    bob = store.add_therapist("bob@example.com")
    accounts.set_password(accounts.issue_link("bob@example.com", "welcome"),
                          "his own long passphrase")
    clock.advance(minutes=1)
    accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    clock.advance(minutes=1)
    fail(accounts, 1)
    clock.advance(minutes=1)
    accounts.signed_out(ann)
    # The store (account_added too) records the real time, later than the clock's 2025.
    client = store.add_client(ann, "J. S.")
    store.add_plan(ann, client, "Right shoulder", "title: Right shoulder\nsteps: []\n")
    events = accounts.events(ann)
    assert [e.action for e in events] == [
        "plan_added", "client_added", "account_added", "signed_out", "sign_in_failed",
        "signed_in", "password_set", "link_issued"]
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    assert events[4].detail == ADDRESS and events[-1].detail == "welcome"
    assert [e.action for e in accounts.events(bob)] == [
        "account_added", "password_set", "link_issued"]


def test_a_password_set_is_logged_at_the_clocks_time(ann, accounts, clock):
    """Regression: password_set was stamped with the real time, not the clock's."""
    clock.advance(days=2)
    accounts.change_password(ann, PASSWORD, "her brand new passphrase")
    [newest] = [e for e in accounts.events(ann) if e.action == "password_set"][:1]
    assert newest.at == clock.now


def test_guessing_the_current_password_is_limited_too(ann, accounts, clock):
    for _ in range(5):
        with pytest.raises(WrongPassword):
            accounts.change_password(ann, "not her passphrase at all", "a new long passphrase")
    with pytest.raises(TooManyAttempts):
        accounts.change_password(ann, PASSWORD, "a new long passphrase")
    clock.advance(minutes=15, seconds=1)
    accounts.change_password(ann, PASSWORD, "a new long passphrase")


def test_a_short_local_part_does_not_forbid_its_letters(store, accounts):
    store.add_therapist("al@example.com")
    token = accounts.issue_link("al@example.com", "welcome")
    accounts.set_password(token, "all along the watchtower")


def _at_once(count: int, call) -> list:
    """`call()` from `count` threads released together; what each returned or raised."""
    start = threading.Barrier(count)

    def run(_):
        start.wait()
        try:
            return call()
        except Exception as exc:   # the test looks at which ones failed, and how
            return exc

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_a_link_used_twice_at_once_sets_one_password(store, accounts):
    store.add_therapist(EMAIL)
    token = accounts.issue_link(EMAIL, "welcome")
    results = _at_once(6, lambda: accounts.set_password(token, PASSWORD))
    assert sum(isinstance(r, int) for r in results) == 1
    assert all(isinstance(r, LinkUnusable) for r in results if not isinstance(r, int))


def test_guesses_sent_at_once_still_stop_at_five(ann, accounts):
    results = _at_once(12, lambda: accounts.sign_in(EMAIL, "not her passphrase at all",
                                                    ADDRESS))
    assert sum(isinstance(r, WrongPassword) for r in results) == 5
    assert sum(isinstance(r, TooManyAttempts) for r in results) == 7


def test_a_reset_lifts_a_lock_out(ann, accounts):
    fail(accounts, 5)
    with pytest.raises(TooManyAttempts):
        accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    accounts.set_password(accounts.issue_link(EMAIL, "reset"), "a brand new passphrase")
    accounts.sign_in(EMAIL, "a brand new passphrase", ADDRESS)


def test_signing_out_ends_every_session(ann, accounts):
    here = accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    elsewhere = accounts.sign_in(EMAIL, PASSWORD, "198.51.100.4")
    accounts.signed_out(ann)
    assert accounts.signed_in(here.session_id) is None
    assert accounts.signed_in(elsewhere.session_id) is None


def test_production_hashes_cost_what_rfc_9106_recommends():
    """The suite hashes cheaply (tests/conftest.py); the app with RFC 9106's second
    recommended option, argon2-cffi's default (Argon2id, 3 passes over 64 MiB)."""
    assert PRODUCTION_HASHER.time_cost == RFC_9106_LOW_MEMORY.time_cost
    assert PRODUCTION_HASHER.memory_cost == RFC_9106_LOW_MEMORY.memory_cost
    assert PRODUCTION_HASHER.type == RFC_9106_LOW_MEMORY.type


def test_a_hash_made_at_an_older_cost_is_remade_at_sign_in(ann, accounts, database,
                                                          monkeypatch):
    monkeypatch.setattr(accounts_module, "_HASHER", PasswordHasher(time_cost=2, memory_cost=2048,
                                                          parallelism=1))
    accounts.sign_in(EMAIL, PASSWORD, ADDRESS)
    (password_hash,) = rows(database, "SELECT password_hash FROM therapists")[0]
    assert "t=2" in password_hash and "m=2048" in password_hash
