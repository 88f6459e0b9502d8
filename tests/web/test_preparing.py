"""Routines in the library that are not built yet: their cards, the progress line, the
build status for the pages' scripts, and the page shown instead of a player."""

from __future__ import annotations

import json
import re
import time

import pytest

from audio.status import BuildStatus, write_status
from builder.lengths import routine_length
from matcoach.app import create_app, shelf_of

from .building import NEW_ID, building, publish, report
from .test_pages import cards_shown, text


def card_of(html: str, routine_id: str) -> str:
    """The markup of one card (its opening tag and content)."""
    return html.split(f'data-id="{routine_id}"')[1].split("</li>")[0]


def progress_line(html: str) -> str:
    return re.search(r'<p id="progress"[^>]*>([^<]*)</p>', html).group(1)


def test_a_routine_being_prepared_has_its_card_in_library_order(growing_client,
                                                                 served_tracks):
    building(served_tracks, ready_in_s=70)
    html = text(growing_client.get("/"))
    assert re.findall(r'data-id="([a-z-]+)"', html) == ["calf-care", NEW_ID, "shoulder-knot",
                                                        "warm-breath"]
    card = card_of(html, NEW_ID)
    assert 'data-state="waiting"' in card
    assert "<strong>Being prepared</strong> — <span class=\"wait\">ready in about a minute" \
        in card
    assert f'href="/routines/{NEW_ID}"' in card, "its page says more"
    for fact in ("Neck ease", "about 1 min", 'alt="For neck, with warm wheat bag"'):
        assert fact in card
    assert "?play=1" not in card, "nothing to play yet"
    assert 'data-state="ready"' in card_of(html, "calf-care")
    assert "readiness" not in card_of(html, "calf-care"), "a ready card is as it was"
    assert "4 of 4 routines, 1 being prepared" in html


def test_the_progress_line_says_how_far_the_build_is(growing_client, served_tracks):
    report(served_tracks, done=2, total=14, building=(NEW_ID,), queued=("a", "b"),
           left_s=130, ready_in_s={NEW_ID: 20, "a": 70, "b": 130})
    html = text(growing_client.get("/"))
    assert progress_line(html) == "Building 3 of 14 — all ready in about 2 minutes"
    assert 'role="status"' in html.split('id="progress"')[1].split(">")[0]
    assert "ready in less than a minute" in card_of(html, NEW_ID)
    assert "<noscript>" in html, "without a script, a way to see what is ready"


@pytest.mark.parametrize("status", [
    None,
    {"done": 3, "total": 3, "updated_at": time.time() - 60},   # stale: the builder was killed
    {"stopped": True, "updated_at": time.time()},
])
def test_with_no_builder_running_it_says_how_to_build_it(growing_client, served_tracks,
                                                         status):
    if status is not None:
        write_status(served_tracks, BuildStatus(**status))
    html = text(growing_client.get("/"))
    card = card_of(html, NEW_ID)
    assert 'data-state="unbuilt"' in card and "Not built yet." in card
    assert f"<code>matcoach build {NEW_ID}</code>" in card and "matcoach serve" in card
    assert progress_line(html) == "", "no progress when nothing is being built"
    assert "4 of 4 routines, 1 not built" in html
    assert "<noscript>" not in html and "poll" not in card


def test_a_routine_that_failed_says_why_briefly(growing_client, served_tracks):
    stderr = "\n".join(f"ffmpeg: line {n} of a long error" for n in range(50))
    report(served_tracks, done=1, total=1, failed={NEW_ID: f"the encoder failed.\n{stderr}"})
    html = text(growing_client.get("/"))
    card = card_of(html, NEW_ID)
    assert 'data-state="failed"' in card
    assert "<strong>Could not be built:</strong> the encoder failed." in card
    assert "ffmpeg: line" not in card, "the details are for the log"
    assert "4 of 4 routines, 1 not built" in html
    long = "x" * 500
    report(served_tracks, failed={NEW_ID: long})
    assert "x" * 159 + "…" in text(growing_client.get("/"))


def test_a_reason_is_escaped(growing_client, served_tracks):
    report(served_tracks, failed={NEW_ID: "<script>alert(1)</script>"})
    card = card_of(text(growing_client.get("/")), NEW_ID)
    assert "<script>" not in card and "&lt;script&gt;" in card


@pytest.mark.parametrize(("query", "shown", "count"), [
    ("equipment=wheat-bag", [NEW_ID, "warm-breath"], "2 of 4 routines, 1 being prepared"),
    ("area=neck", [NEW_ID], "1 of 4 routines, 1 being prepared"),
    ("area=calves", ["calf-care"], "1 of 4 routines"),
    ("goal=reduce-stress&minutes=1", [NEW_ID, "warm-breath"],
     "2 of 4 routines, 1 being prepared"),
])
def test_the_filters_apply_to_routines_being_prepared(growing_client, served_tracks, query,
                                                      shown, count):
    building(served_tracks)
    html = text(growing_client.get(f"/?{query}"))
    assert cards_shown(html) == shown
    assert f">{count}</p>" in html


def test_a_card_being_prepared_carries_its_estimated_length(growing_app, growing_client,
                                                            served_tracks):
    building(served_tracks)
    routine = shelf_of(growing_app).library.routines[NEW_ID]
    estimate = routine_length(routine, served_tracks)
    assert not estimate.exact
    card = card_of(text(growing_client.get("/")), NEW_ID)
    assert f'data-ms="{estimate.total_ms}"' in card
    assert 'data-equipment="wheat-bag"' in card and 'data-goals="reduce-stress"' in card


def test_the_build_status_route(growing_client, served_tracks):
    building(served_tracks, ready_in_s=200)
    reply = growing_client.get("/build-status.json")
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    assert reply.headers["Cache-Control"] == "no-store"
    body = reply.get_json()
    assert body["progress"] == "Building 1 of 1 — all ready in about 3 minutes"
    assert body["preparing"] is True
    assert body["routines"][NEW_ID] == {
        "state": "waiting", "text": "Being prepared — ready in about 3 minutes",
        "wait": "ready in about 3 minutes", "ready_in_s": 200}
    assert body["routines"]["calf-care"] == {"state": "ready", "text": "Ready to play",
                                             "wait": None, "ready_in_s": None}
    assert list(body["routines"]) == sorted(["calf-care", NEW_ID, "shoulder-knot",
                                             "warm-breath"])


def test_the_build_status_when_nothing_is_being_built(growing_client, served_tracks):
    body = growing_client.get("/build-status.json").get_json()
    assert body["progress"] is None and body["preparing"] is False
    assert body["routines"][NEW_ID]["state"] == "unbuilt"
    assert body["routines"][NEW_ID]["text"] == "Not built yet"


def test_the_page_of_a_routine_being_prepared_has_no_player(growing_client, growing_app,
                                                            served_tracks):
    building(served_tracks, ready_in_s=30)
    reply = growing_client.get(f"/routines/{NEW_ID}")
    html = text(reply)
    assert reply.headers["Cache-Control"] == "no-store"
    assert "<h1>Neck ease</h1>" in html and "Warmth for a stiff neck." in html
    assert "gentle · for stress relief" in html and "Body areas: neck" in html
    assert "<li>warm wheat bag</li><li>thin towel</li>" in html
    routine = shelf_of(growing_app).library.routines[NEW_ID]
    assert routine.safety in html
    assert "Being prepared</strong> — <span class=\"wait\">ready in less than a minute" in html
    assert 'role="status"' in html.split('id="readiness"')[1].split(">")[0]
    for broken in ("<audio", "/audio/", "download", "Transcript", 'class="step"'):
        assert broken not in html, broken
    assert "preparing.js" in html, "it turns into the player by itself"
    assert f'<a href="/routines/{NEW_ID}">Reload</a>' in html, "and without a script"


@pytest.mark.parametrize(("status", "says"), [
    (None, f"<code>matcoach build {NEW_ID}</code>"),
    ({"failed": {NEW_ID: "the voice failed"}}, "Could not be built:</strong> the voice failed."),
])
def test_a_routine_not_being_prepared_says_so_and_does_not_wait(growing_client,
                                                                served_tracks, status, says):
    if status is not None:
        report(served_tracks, **status)
    html = text(growing_client.get(f"/routines/{NEW_ID}"))
    assert says in html
    assert "<audio" not in html and "preparing.js" not in html and "poll.js" not in html
    assert f'<a href="/routines/{NEW_ID}">Reload</a>' in html


@pytest.mark.parametrize("path", [
    f"/routines/{NEW_ID}/transcript.vtt", f"/routines/{NEW_ID}/chapters.json",
    f"/audio/{NEW_ID}.mp3", "/routines/banana", "/routines/banana/transcript.vtt",
])
def test_nothing_of_an_unbuilt_or_unknown_routine_is_served(growing_client, served_tracks,
                                                            path):
    building(served_tracks)
    reply = growing_client.get(path)
    assert reply.status_code == 404
    reply.close()


def test_once_published_it_is_a_ready_card_and_its_page_plays(growing_client, served_tracks,
                                                              new_built):
    building(served_tracks)
    assert 'data-state="waiting"' in card_of(text(growing_client.get("/")), NEW_ID)
    publish(new_built, served_tracks)
    html = text(growing_client.get("/"))
    assert 'data-state="waiting"' not in html and "readiness" not in card_of(html, NEW_ID)
    assert "4 of 4 routines<" in html and progress_line(html) == ""
    page = text(growing_client.get(f"/routines/{NEW_ID}"))
    build = json.loads((served_tracks / f"{NEW_ID}.json").read_text())["build"]
    assert f'src="/audio/{build}/{NEW_ID}.mp3"' in page and "preparing.js" not in page
    assert growing_client.get(f"/audio/{build}/{NEW_ID}.mp3").status_code == 200
    body = growing_client.get("/build-status.json").get_json()
    assert body["routines"][NEW_ID]["state"] == "ready" and body["preparing"] is False


def test_an_empty_library_says_how_to_fill_it(tmp_path, served_tracks):
    (tmp_path / "empty").mkdir()
    app = create_app({"VERIFY_REQUESTS": False, "AUDIO_DIR": str(served_tracks),
                      "LIBRARY_DIR": str(tmp_path / "empty"),
                      "DATABASE": str(tmp_path / "db.sqlite")})
    html = text(app.test_client().get("/"))
    assert "There are no routines in the library yet." in html
    assert "0 of 0 routines" in html
