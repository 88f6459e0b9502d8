"""Skill fixtures: a small library built into real tracks, a real app, a signed device."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from audio.maker import TrackMaker
from builder.library import load_library
from skill.app import create_app
from skill.device import Device

from .pki import CHAIN_URL, Authority

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
BASE_URL = "https://mat.example.com"

# Three short routines: sides and a rest, a spiky ball for shoulders, breathing with heat.
ROUTINES = {
    "calf-care": """
        title: Calf care
        aliases: [calf routine]
        summary: Loosen tight calves.
        equipment: [foam-roller, yoga-mat]
        goals: [leg-cramps]
        intro: Sit on your mat.
        steps:
          - title: Calf roll
            say: Roll your right calf.
            equipment: foam-roller
            body_area: calves
            work: 15s
            sides: both
            lead_in: 1s
            switch: 5s
          - rest: 3s
          - title: Calf press
            say: Press gently.
            body_area: calves
            work: 6s
            lead_in: 1s
        outro: Done.
        """,
    "shoulder-knot": """
        title: Shoulder knot
        summary: Ease a knot with the ball against a wall.
        equipment: [spiky-ball, wall]
        goals: [trigger-point]
        level: deep
        intro: Stand by a wall.
        steps:
          - title: Ball on the knot
            say: Lean into the ball.
            equipment: [spiky-ball, wall]
            body_area: shoulders
            work: 10s
            lead_in: 1s
        outro: Done.
        """,
    "warm-breath": """
        title: Warm breath
        summary: Warmth and slow breathing.
        equipment: [wheat-bag, yoga-mat]
        goals: [reduce-stress]
        intro: Lie down.
        steps:
          - title: Breathe with the warmth
            say: Rest on the bag.
            equipment: wheat-bag
            body_area: lower-back
            work: 12s
            lead_in: 1s
            cues:
              breathe: {in: 3s, out: 3s, spoken: 1}
        outro: Done.
        """,
}


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


@pytest.fixture(scope="session")
def authority() -> Authority:
    """Our stand-in for Amazon's certificate authority."""
    return Authority("Test Amazon")


@pytest.fixture(scope="session")
def signer(authority):
    return authority.signer()


class Fetcher:
    """Serves certificate chains by URL, counting downloads (the network is Amazon's S3)."""

    def __init__(self, chains: dict[str, bytes]) -> None:
        self.chains = chains
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        if url not in self.chains:
            raise OSError(f"404 for {url}")
        return self.chains[url]


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


@pytest.fixture
def device(app, post) -> Device:
    """A speaker whose every request is signed and must be answered 200."""
    shelf = app.extensions["matcoach"].shelf

    def send(envelope: dict) -> dict:
        reply = post(envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply.get_json()

    return Device(skill_id=SKILL_ID, send=send, length_of=shelf.length_of)


def speech(response: dict) -> str:
    """What Alexa says in a response envelope, without SSML tags."""
    ssml = (response["response"].get("outputSpeech") or {}).get("ssml", "")
    return ssml.replace("<speak>", "").replace("</speak>", "").strip()


def play(response: dict) -> dict | None:
    """The AudioPlayer.Play directive's stream, if any."""
    for directive in response["response"].get("directives", []):
        if directive["type"] == "AudioPlayer.Play":
            return directive["audioItem"]["stream"]
    return None
