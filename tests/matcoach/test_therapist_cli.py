"""`matcoach therapist add|reset EMAIL`, run as the command runs: the link it prints sets
the account's password in the app, and each mistake is one sentence, exit status 1."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from matcoach.app import create_app
from matcoach.cli import main, make_app

BASE = "https://coach.example.org"
EMAIL = "ana@example.com"
PASSWORD = "plum tea on a quiet mat"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCOACH_HOME", str(tmp_path))
    monkeypatch.setenv("MATCOACH_BASE_URL", BASE + "/")
    for name in ("MATCOACH_PLANS_URL", "MATCOACH_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def therapist(*args: str):
    return CliRunner().invoke(main, ["therapist", *args])


def link_of(result) -> str:
    assert result.exit_code == 0, result.output
    return re.search(rf"{re.escape(BASE)}/therapist/set-password/\S+", result.output)[0]


def refused(result) -> str:
    """The command's one-sentence error (exit status 1, no traceback)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ")
    message = result.output.removeprefix("Error: ").strip()
    assert "\n" not in message
    return message


@pytest.fixture
def client(home):
    return create_app({"VERIFY_REQUESTS": False, "DATABASE": str(home / "m.sqlite"),
                       "AUDIO_DIR": str(home / "tracks")}).test_client()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def path_of(link: str) -> str:
    return link.removeprefix(BASE)


def test_add_prints_a_link_under_the_base_url():
    result = therapist("add", EMAIL)
    assert f"Send this link to {EMAIL}" in result.output
    assert link_of(result).startswith(f"{BASE}/therapist/set-password/")


def test_the_printed_link_sets_a_password_that_signs_in(client):
    page = client.get(path_of(link_of(therapist("add", EMAIL))))
    assert page.status_code == 200
    assert EMAIL in page.get_data(as_text=True)
    set_it = client.post(page.request.path, data={
        "password": PASSWORD, "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert set_it.status_code == 302
    assert set_it.headers["Location"] == "/therapist/sign-in"

    sign_in = client.get("/therapist/sign-in").get_data(as_text=True)
    signed = client.post("/therapist/sign-in", data={
        "email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token(sign_in)})
    assert signed.status_code == 302
    assert signed.headers["Location"] == "/therapist/"
    assert client.get("/therapist/").status_code == 200
    # The link worked once.
    assert client.get(page.request.path).status_code == 404


def test_adding_an_address_twice_points_to_reset():
    therapist("add", EMAIL)
    message = refused(therapist("add", EMAIL))
    assert message == (f"{EMAIL} has an account already; matcoach therapist reset {EMAIL} "
                       "prints a link to set a new password.")


def test_add_refuses_what_is_not_an_email_address():
    assert refused(therapist("add", "not an email")) == '"not an email" is not an email address.'


@pytest.mark.parametrize("command", ["add", "reset"])
@pytest.mark.parametrize("email", ["", "   "])
def test_an_empty_address_is_asked_for(command, email):
    """Regression: `add ""` said '"" is not an email address.' and `reset ""` that no
    therapist has the address (an empty one)."""
    assert refused(therapist(command, email)) == "Give an email address."


def test_add_refuses_a_doubled_at():
    assert refused(therapist("add", "a@@b")) == '"a@@b" is not an email address.'


def test_add_says_why_an_address_cannot_be_used():
    message = refused(therapist("add", "İ" * 200 + "@example.com"))
    assert message == "That email address cannot be used: it is longer than 254 characters."


def test_reset_of_an_unknown_address_points_to_add():
    message = refused(therapist("reset", EMAIL))
    assert f"matcoach therapist add {EMAIL}" in message
    assert message.count(". ") == 0   # one sentence


def test_reset_prints_a_new_link_and_the_earlier_one_stops_working(client):
    first = link_of(therapist("add", EMAIL))
    result = therapist("reset", EMAIL)
    second = link_of(result)
    assert "lasts an hour" in result.output
    assert second != first
    assert client.get(path_of(first)).status_code == 404
    page = client.get(path_of(second))
    assert page.status_code == 200
    assert EMAIL in page.get_data(as_text=True)


def test_a_plans_database_that_cannot_be_reached_is_one_sentence_without_its_password(
        monkeypatch):
    monkeypatch.setenv("MATCOACH_PLANS_URL", "postgresql+psycopg://u:hunter2secret@127.0.0.1:1/x")
    message = refused(therapist("add", EMAIL))
    assert "hunter2secret" not in message
    assert "MATCOACH_PLANS_URL" in message


def test_the_first_command_of_a_new_data_home_makes_its_folder(tmp_path, monkeypatch):
    """Regression: `matcoach therapist add` on a data home not made yet ended in
    FileNotFoundError (plans.sqlite.migrating)."""
    monkeypatch.setenv("MATCOACH_HOME", str(tmp_path / "new-home"))
    assert link_of(therapist("add", EMAIL))
    assert (tmp_path / "new-home" / "plans.sqlite").is_file()


@pytest.mark.parametrize(("url", "says"), [
    ("sqlite:///{file}/plans.sqlite", "Cannot make the folder {file} for the plans database"),
    ("sqlite://", "Cannot keep plans in an in-memory database"),
])
def test_a_plans_url_that_cannot_keep_plans_names_that_setting(home, monkeypatch, url, says):
    """The command and the app both say which setting to change (the app said "Set
    MATCOACH_HOME", the wrong one, for a folder MATCOACH_PLANS_URL names)."""
    (home / "a-file").write_text("not a folder")
    url, says = (text.format(file=home / "a-file") for text in (url, says))
    monkeypatch.setenv("MATCOACH_PLANS_URL", url)
    message = refused(therapist("add", EMAIL))
    assert message.startswith(says) and message.endswith("(check MATCOACH_PLANS_URL).")
    with pytest.raises(click.ClickException) as failed:
        make_app(VERIFY_REQUESTS=False, DATABASE=str(home / "m.sqlite"),
                 AUDIO_DIR=str(home / "tracks"), PLANS_URL=url)
    message = failed.value.message
    assert message.startswith(says) and "MATCOACH_PLANS_URL" in message
    assert "MATCOACH_HOME" not in message and "\n" not in message
