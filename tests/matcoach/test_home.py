"""One data home: tracks, database and cache in one folder that does not depend on the
current directory, so every command finds the same ones from anywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from builder import home

COMMAND = Path(sys.executable).parent / "matcoach"


@pytest.fixture
def clean_environment(monkeypatch):
    for name in ("MATCOACH_HOME", "MATCOACH_AUDIO_DIR", "MATCOACH_DATABASE", "MATCOACH_CACHE"):
        monkeypatch.delenv(name, raising=False)


def test_from_a_checkout_the_home_is_its_instance_folder(clean_environment):
    root = Path(__file__).parents[2]
    assert home.checkout() == root
    assert home.data_home() == root / "instance"
    assert home.tracks_dir() == root / "instance" / "tracks"
    assert home.database_path() == root / "instance" / "matcoach.sqlite"
    assert home.cache_dir() == root / "instance" / "cache"


def test_installed_the_home_is_the_users_data_directory(clean_environment, monkeypatch,
                                                        tmp_path):
    monkeypatch.setattr(home, "_SOURCE_ROOT", tmp_path / "site-packages")
    assert home.checkout() is None
    assert home.data_home() == platformdirs.user_data_path("matcoach")


def test_matcoach_home_moves_everything_and_each_part_can_move_alone(clean_environment,
                                                                    monkeypatch, tmp_path):
    monkeypatch.setenv("MATCOACH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MATCOACH_DATABASE", "relative/places.sqlite")
    monkeypatch.chdir(tmp_path)
    assert home.tracks_dir() == tmp_path / "home" / "tracks"
    assert home.cache_dir() == tmp_path / "home" / "cache"
    assert home.database_path() == tmp_path / "relative" / "places.sqlite"   # made absolute


def run(args: list[str], cwd: Path, env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    result = subprocess.run([str(COMMAND), *args], cwd=cwd, env=env, input=stdin,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_commands_from_another_folder_use_the_same_tracks_and_database(tmp_path, library_dir,
                                                                       tracks_dir):
    data = tmp_path / "home"
    shutil.copytree(tracks_dir, data / "tracks")
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("MATCOACH_AUDIO_DIR", "MATCOACH_DATABASE", "MATCOACH_CACHE")}
    env.update(MATCOACH_HOME=str(data), MATCOACH_ROUTINES=str(library_dir))
    listed = json.loads(run(["list", "--json"], elsewhere, env).stdout)
    assert [r["duration_exact"] for r in listed] == [True, True, True], "lengths from HOME"
    run(["simulate"], elsewhere, env, stdin="open mat coach\n")
    assert (data / "matcoach.sqlite").is_file()
    assert list(elsewhere.iterdir()) == [], "nothing is made in the current folder"


def test_a_home_that_cannot_be_used_is_one_sentence(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    env = {key: value for key, value in os.environ.items() if not key.startswith("MATCOACH_")}
    env["MATCOACH_HOME"] = str(not_a_folder)
    result = subprocess.run([str(COMMAND), "simulate"], env=env, input="", cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "Set MATCOACH_HOME to a folder Mat Coach can write to.")
    assert f"Error: Cannot use {not_a_folder}" in result.stderr
    assert "Traceback" not in result.stderr
