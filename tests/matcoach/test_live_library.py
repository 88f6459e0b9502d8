"""A running server follows its library folder (issue 8): a routine file dropped in is
validated, built in the background and served, pages and skill alike; a bad file is
reported with its file and line and ignored; a removed one is no longer offered."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
import urllib.request

import pytest

from .running import COMMAND, Server, environment, get, wait_for

FOOT_ROLL = """
    title: Foot roll
    summary: Roll the soles of your feet.
    equipment: [spiky-ball]
    intro: Sit on a chair with the ball by your feet.
    steps:
      - title: Roll the sole
        say: Roll the ball slowly under your right foot.
        body_area: feet
        work: 10s
        lead_in: 1s
    outro: Done.
    """


@pytest.fixture
def live(tmp_path, library_dir, tracks_dir, cache_dir):
    """`matcoach serve` with its background builder, on a library folder of its own."""
    library = tmp_path / "library"
    shutil.copytree(library_dir, library)
    home = tmp_path / "home"
    shutil.copytree(tracks_dir, home / "tracks")
    env = environment(home, MATCOACH_ROUTINES=str(library), MATCOACH_CACHE=str(cache_dir))
    server = Server(tmp_path, env, "--no-verify")
    try:
        yield server.started(), library, env
    finally:
        server.kill()


def start_routine(url: str, words: str) -> dict:
    application, user = {"applicationId": "amzn1.ask.skill.local"}, {"userId": "u-live"}
    envelope = {"version": "1.0",
                "session": {"new": True, "sessionId": "s", "application": application,
                            "user": user, "attributes": {}},
                "context": {"System": {"application": application, "user": user, "device": {
                    "deviceId": "d", "supportedInterfaces": {"AudioPlayer": {}}}}},
                "request": {"type": "IntentRequest", "requestId": "r", "locale": "en-US",
                            "timestamp": "2026-11-29T12:00:00Z", "intent": {
                                "name": "StartRoutineIntent",
                                "slots": {"routine": {"name": "routine", "value": words}}}}}
    request = urllib.request.Request(f"{url}/alexa", data=json.dumps(envelope).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.load(reply)


def page(url: str) -> str:
    answer = get(url)
    assert answer is not None and answer[0] == 200, answer
    return answer[2].decode()


def test_a_routine_dropped_in_becomes_listed_playable_and_speakable(live):
    server, library, env = live
    (library / "foot-roll.yaml").write_text(textwrap.dedent(FOOT_ROLL), encoding="utf-8")
    wait_for(lambda: 'data-id="foot-roll"' in page(server.url + "/"), 10, "it to be listed")
    wait_for(lambda: (get(f"{server.url}/audio/foot-roll.mp3") or [0])[0] == 200, 90,
             "it to be built and playable")
    assert "built foot-roll" in server.errors()
    directive = start_routine(server.url, "foot roll")["response"]["directives"][0]
    assert re.fullmatch(rf"{server.url}/audio/[0-9a-f]{{16}}/foot-roll\.mp3",
                        directive["audioItem"]["stream"]["url"])
    # Speakable as a person says it: the simulator's matcher follows the library too.
    said = subprocess.run([str(COMMAND), "simulate", "--url", server.url], env=env,
                          input="start the foot roll\n", capture_output=True, text=True,
                          timeout=60)
    assert "[StartRoutineIntent {'routine': ('foot roll', 'foot-roll')}]" in said.stdout
    assert re.search(rf"> plays {server.url}/audio/[0-9a-f]{{16}}/foot-roll\.mp3 ", said.stdout)
    assert "verification" not in said.stderr, "the server's settings are not the simulator's"


def test_a_bad_file_is_reported_and_ignored(live):
    server, library, _ = live
    (library / "broken.yaml").write_text("title: Broken\nsteps:\n  - move: no-such-move\n",
                                         encoding="utf-8")
    wait_for(lambda: "broken.yaml:3" in server.errors(), 20, "the problem to be reported")
    assert "Traceback" not in server.errors()
    listed = page(server.url + "/")
    assert 'data-id="calf-care"' in listed and "broken" not in listed
    assert server.process.poll() is None


def test_a_removed_routine_is_no_longer_offered(live):
    server, library, _ = live
    assert 'data-id="warm-breath"' in page(server.url + "/")
    (library / "warm-breath.yaml").unlink()
    # Each worker looks at the folder once a second: every one of them within a few.
    wait_for(lambda: 'data-id="warm-breath"' not in page(server.url + "/"), 10,
             "it to leave the library page")
    wait_for(lambda: get(f"{server.url}/routines/warm-breath")[0] == 404, 10,
             "its page to be gone")
    wait_for(lambda: "I don't know a routine called warm breath" in start_routine(
        server.url, "warm breath")["response"]["outputSpeech"]["ssml"], 10,
        "the skill to forget it")


def test_from_the_first_answer_routines_not_built_are_on_their_way(tmp_path, library_dir,
                                                                  cache_dir):
    """Regression: the builder takes seconds to start, and pages opened before it wrote its
    status said "Not built yet" and stopped asking."""
    env = environment(tmp_path / "home", MATCOACH_ROUTINES=str(library_dir),
                      MATCOACH_CACHE=str(cache_dir))
    server = Server(tmp_path, env, "--no-verify")
    try:
        server.started()
        first = json.loads(get(server.url + "/build-status.json")[2])
        assert {r["state"] for r in first["routines"].values()} <= {"waiting", "ready"}
        assert first["preparing"] is True
        wait_for(lambda: all(r["state"] == "ready" for r in json.loads(
            get(server.url + "/build-status.json")[2])["routines"].values()), 90,
            "every routine to be built")
    finally:
        server.kill()
