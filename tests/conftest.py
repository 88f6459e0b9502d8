"""Fixtures shared by every test package: the real voice and encoder, and a small library
built into real tracks served by a real app."""

from __future__ import annotations

import json
import shutil
import textwrap
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from audio.encoder import Encoder, default_ffmpeg
from audio.maker import TrackMaker
from audio.piper_engine import PiperEngine
from builder.library import load_library
from matcoach.app import create_app
from plans import accounts

from .pki import CHAIN_URL, Authority
from .served import BASE_URL, ROUTINES, SKILL_ID, Fetcher


@pytest.fixture(scope="session", autouse=True)
def data_home(tmp_path_factory) -> Path:
    """A data home of the suite's own: nothing a test does (a plans database, the secret
    key) lands in the checkout's instance/ or the user's data folder."""
    folder = tmp_path_factory.mktemp("data-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MATCOACH_HOME", str(folder))
        yield folder


PRODUCTION_HASHER = accounts._HASHER   # as the app makes it, before quick_hashes


@pytest.fixture(scope="session", autouse=True)
def quick_hashes():
    """Passwords hashed at Argon2's lowest cost. Its cost is the point in production
    (RFC 9106's parameters: about 0.1 s a hash on this machine) and only slows the suite,
    where hundreds of accounts are made and signed in to; the same library, the same
    hashes otherwise. tests/plans/test_accounts.py checks the production parameters."""
    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_HASHER", quick)
        patch.setattr(accounts, "_NOBODY", quick.hash("nobody's password"))
        yield


@pytest.fixture
def write(tmp_path: Path):
    """Write dedented text to a file under tmp_path and return its path."""
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real encoder (the ffmpeg inside the imageio-ffmpeg wheel)."""
    return Encoder(default_ffmpeg())


@pytest.fixture(scope="session")
def piper() -> PiperEngine:
    """The real offline voice."""
    return PiperEngine.from_path(None)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """One phrase cache for the session, so each phrase is spoken once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def library_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    for routine_id, text in ROUTINES.items():
        (folder / f"{routine_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tracks_dir(tmp_path_factory, library_dir, piper, encoder, cache_dir) -> Path:
    """The three routines built with the real voice and encoder."""
    out = tmp_path_factory.mktemp("tracks")
    maker = TrackMaker(piper, encoder, cache_dir, out)
    for routine in load_library(library_dir).routines.values():
        maker.make(routine)
    return out


@pytest.fixture
def own_tracks(tmp_path, tracks_dir) -> Path:
    """A copy of the built tracks that a test may change (the session's stay as they are)."""
    return Path(shutil.copytree(tracks_dir, tmp_path / "own-tracks"))


@pytest.fixture
def rebuild(tmp_path, piper, encoder, cache_dir):
    """Build a routine of the served library again, with a different outro, into a tracks
    folder, as the builder does when its file changes; returns the new build's id."""
    def rebuild(tracks: Path, routine_id: str = "calf-care", outro: str = "All done.") -> str:
        folder = tmp_path / f"changed-{uuid.uuid4().hex[:8]}"
        folder.mkdir()
        text = textwrap.dedent(ROUTINES[routine_id]).replace("outro: Done.", f"outro: {outro}")
        (folder / f"{routine_id}.yaml").write_text(text, encoding="utf-8")
        routine = load_library(folder).routines[routine_id]
        maker = TrackMaker(piper, encoder, cache_dir, tracks)
        maker.make(routine)
        return maker.build_id(routine)
    return rebuild


@pytest.fixture(scope="session")
def authority() -> Authority:
    """Our stand-in for Amazon's certificate authority."""
    return Authority("Test Amazon")


@pytest.fixture(scope="session")
def signer(authority):
    return authority.signer()


@pytest.fixture
def fetcher(signer) -> Fetcher:
    return Fetcher({CHAIN_URL: signer.pem()})


@pytest.fixture
def app(tmp_path, library_dir, tracks_dir, authority, fetcher):
    return create_app({
        "SKILL_ID": SKILL_ID, "BASE_URL": BASE_URL, "AUDIO_DIR": str(tracks_dir),
        "DATABASE": str(tmp_path / "matcoach.sqlite"), "LIBRARY_DIR": str(library_dir),
        "VERIFY_REQUESTS": True, "TRUST_ROOTS": [authority.root], "CERT_FETCH": fetcher,
    })


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def post(client, signer):
    """POST a signed envelope to /alexa; returns the Flask response."""
    def post(envelope: dict, headers: dict | None = None, body: bytes | None = None):
        body = body if body is not None else json.dumps(envelope).encode("utf-8")
        return client.post("/alexa", data=body, content_type="application/json",
                           headers=headers if headers is not None else signer.headers(body))
    return post
