"""What the serving tests share: a small library, its ids and addresses, envelopes and
helpers to read responses."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import xml.etree.ElementTree as ET

from werkzeug.serving import make_server

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
        cautions: [clot-signs]
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
            cautions: [heat, heat-time]
            work: 12s
            lead_in: 1s
            cues:
              breathe: {in: 3s, out: 3s, spoken: 1}
        outro: Done.
        """,
}


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


def launch_envelope(skill_id: str = SKILL_ID, when: dt.datetime | None = None) -> dict:
    """A LaunchRequest envelope as Alexa sends it."""
    stamp = (when or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    application = {"applicationId": skill_id}
    user = {"userId": "amzn1.ask.account.VERIFY"}
    return {"version": "1.0",
            "session": {"new": True, "sessionId": "s1", "application": application,
                        "user": user, "attributes": {}},
            "context": {"System": {"application": application, "user": user,
                                   "device": {"deviceId": "d1", "supportedInterfaces": {}}}},
            "request": {"type": "LaunchRequest", "requestId": "r1", "timestamp": stamp,
                        "locale": "en-US"}}


def speech(response: dict) -> str:
    """What Alexa says in a response envelope: the words of its SSML, which must be
    well-formed (Alexa refuses the reply otherwise) and hold no markup of ours."""
    ssml = (response["response"].get("outputSpeech") or {}).get("ssml", "")
    if not ssml:
        return ""
    root = ET.fromstring(ssml)
    assert root.tag == "speak" and list(root) == [], ssml
    return (root.text or "").strip()


def play(response: dict) -> dict | None:
    """The AudioPlayer.Play directive's stream, if any."""
    for directive in response["response"].get("directives", []):
        if directive["type"] == "AudioPlayer.Play":
            return directive["audioItem"]["stream"]
    return None


@contextlib.contextmanager
def serving(app):
    """`app` on a real port of 127.0.0.1 (its address), stopped cleanly on leaving."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        http.server_close()
        thread.join()
