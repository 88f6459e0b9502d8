"""`matcoach therapist add|reset EMAIL`: therapists' accounts, made and mended at the
command line by whoever runs Mat Coach, who passes the printed link on."""

from __future__ import annotations

import os

import click

DEFAULT_BASE = "http://127.0.0.1:5000"   # where `make run` serves


@click.group("therapist")
def therapist_group() -> None:
    """Therapists' accounts: make one, or a link to set a new password."""


@therapist_group.command("add")
@click.argument("email")
def add_command(email: str) -> None:
    """Make an account for EMAIL and print a link that sets its password (one use, for
    7 days)."""
    from plans import InvalidInput, Taken
    _given(email)
    store, accounts = _accounts()
    try:
        store.add_therapist(email)
    except InvalidInput as exc:
        if "not an email address" in exc.reason:
            raise click.ClickException(f'"{email}" is not an email address.') from exc
        raise click.ClickException(f"That email address cannot be used: {exc.reason}.") from exc
    except Taken as exc:
        raise click.ClickException(
            f"{email} has an account already; matcoach therapist reset {email} prints a "
            "link to set a new password.") from exc
    _print_link(accounts.issue_link(email, "welcome"), email, "7 days")


@therapist_group.command("reset")
@click.argument("email")
def reset_command(email: str) -> None:
    """Print a link that sets a new password for EMAIL's account (one use, for an hour);
    any earlier link stops working."""
    from plans import NotFound
    _given(email)
    _, accounts = _accounts()
    try:
        token = accounts.issue_link(email, "reset")
    except NotFound as exc:
        raise click.ClickException(
            f"No therapist has the address {email}; matcoach therapist add {email} makes "
            "an account.") from exc
    _print_link(token, email, "an hour")


def _given(email: str) -> None:
    """An empty EMAIL (`add ""`) is said as such, before the store would call it "not an
    email address" or find no account for it."""
    if not email.strip():
        raise click.ClickException("Give an email address.")


def _accounts():
    from plans import Store, Unavailable
    from plans.accounts import Accounts

    from .config import from_environment
    try:
        store = Store(from_environment()["PLANS_URL"])
        store.upgrade()
    except Unavailable as exc:
        raise click.ClickException(f"{exc} (check MATCOACH_PLANS_URL).") from exc
    return store, Accounts(store)


def _print_link(token: str, email: str, lasts: str) -> None:
    base = os.environ.get("MATCOACH_BASE_URL", "").strip().rstrip("/") or DEFAULT_BASE
    click.echo(f"Send this link to {email.strip()}; it sets their password, works once "
               f"and lasts {lasts}:")
    click.echo(f"  {base}/therapist/set-password/{token}")
