"""The key that signs sessions and form tokens: from MATCOACH_SECRET_KEY, or made once in the
data home, owner-only, and the same for every process and every app that shares the home."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from matcoach import secret
from matcoach.app import create_app
from matcoach.config import ConfigError
from matcoach.secret import secret_key

# Each process says it is ready, then waits for "go": all look for the key at one moment.
RACER = """
import sys, time
from pathlib import Path
from matcoach.secret import secret_key
home, ready = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
while not (ready.parent / "go").exists():
    time.sleep(0.0005)
print(secret_key(home))
"""


@pytest.fixture(autouse=True)
def no_configured_key(monkeypatch):
    monkeypatch.delenv("MATCOACH_SECRET_KEY", raising=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_key_is_made_once_owner_only_and_kept(tmp_path):
    home = tmp_path / "home"   # not there yet: made with the key
    key = secret_key(home)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert mode(home / "secret-key") == 0o600
    assert secret_key(home) == key
    assert os.listdir(home) == ["secret-key"]   # no draft left behind


def test_processes_starting_together_on_an_empty_home_agree_on_one_key(tmp_path):
    home = tmp_path / "home"
    gate = tmp_path / "gate"
    gate.mkdir()
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(home), str(gate / str(n))],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for n in range(6)]
    deadline = time.monotonic() + 60
    while len(os.listdir(gate)) < len(racers) and time.monotonic() < deadline:
        time.sleep(0.01)
    (gate / "go").touch()
    results = [racer.communicate(timeout=60) for racer in racers]
    assert [racer.returncode for racer in racers] == [0] * len(racers), results
    keys = {out.strip() for out, _ in results}
    assert len(keys) == 1
    assert keys == {(home / "secret-key").read_text().strip()}
    assert mode(home / "secret-key") == 0o600
    assert os.listdir(home) == ["secret-key"]


def test_when_another_process_makes_the_key_first_theirs_is_used(tmp_path, monkeypatch):
    theirs = "f" * 64
    link = os.link

    def beaten_to_it(source, target):
        Path(target).write_text(theirs + "\n")
        os.chmod(target, 0o600)
        link(source, target)   # the name is taken now: FileExistsError

    monkeypatch.setattr(secret.os, "link", beaten_to_it)
    assert secret_key(tmp_path) == theirs
    assert os.listdir(tmp_path) == ["secret-key"]


def test_the_environments_key_is_used_and_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCOACH_SECRET_KEY", "k" * 32)
    assert secret_key(tmp_path) == "k" * 32
    assert not (tmp_path / "secret-key").exists()


def test_a_short_environment_key_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCOACH_SECRET_KEY", "guessable")
    with pytest.raises(ConfigError, match="MATCOACH_SECRET_KEY is 9 characters"):
        secret_key(tmp_path)


def test_a_kept_key_others_can_read_is_refused_naming_the_fix(tmp_path):
    secret_key(tmp_path)
    path = tmp_path / "secret-key"
    path.chmod(0o644)
    with pytest.raises(ConfigError) as refused:
        secret_key(tmp_path)
    assert str(path) in str(refused.value)
    assert f"chmod 600 {path}" in str(refused.value)


def test_an_empty_kept_file_is_refused(tmp_path):
    path = tmp_path / "secret-key"
    path.touch(mode=0o600)
    with pytest.raises(ConfigError, match="does not hold a key"):
        secret_key(tmp_path)


def make_app(tmp_path: Path):
    return create_app({"VERIFY_REQUESTS": False, "DATABASE": str(tmp_path / "m.sqlite"),
                       "AUDIO_DIR": str(tmp_path / "tracks")})


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def sign_in_elsewhere(first, second) -> int:
    """Open the sign-in page on `first`, send its form (cookie and token) to `second`."""
    one, two = first.test_client(), second.test_client()
    token = csrf_token(one.get("/therapist/sign-in").get_data(as_text=True))
    two.set_cookie("session", one.get_cookie("session").value)
    return two.post("/therapist/sign-in", data={
        "email": "nobody@example.com", "password": "not the password at all",
        "csrf_token": token}).status_code


def test_apps_on_one_home_share_the_key_so_a_session_moves_between_them(tmp_path,
                                                                      monkeypatch):
    monkeypatch.setenv("MATCOACH_HOME", str(tmp_path))
    first, second = make_app(tmp_path), make_app(tmp_path)
    assert first.secret_key == second.secret_key == secret_key(tmp_path)
    # The form's token is accepted: the password is what is refused (422).
    assert sign_in_elsewhere(first, second) == 422
    monkeypatch.setenv("MATCOACH_SECRET_KEY", "x" * 40)
    assert sign_in_elsewhere(first, make_app(tmp_path)) == 400   # another key: expired form
