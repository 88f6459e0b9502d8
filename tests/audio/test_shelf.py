"""The shelf of published tracks follows the folder: what is published, removed or
replaced is seen at once, and a builder of another library is not taken for its own."""

from __future__ import annotations

import shutil
import time

import pytest

from audio.shelf import Shelf
from audio.status import BuildStatus, write_status
from builder.live import LiveLibrary


@pytest.fixture
def shelf(tmp_path, library_dir, tracks_dir) -> Shelf:
    shutil.copytree(tracks_dir, tmp_path / "tracks")
    return Shelf(LiveLibrary(library_dir), tmp_path / "tracks")


def kept_mp3(shelf, routine_id):
    return shelf.audio_dir / "builds" / shelf.get(routine_id).build / f"{routine_id}.mp3"


def test_a_removed_mp3_is_no_longer_on_offer(shelf):
    assert "calf-care" in shelf.tracks()
    kept_mp3(shelf, "calf-care").unlink()
    (shelf.audio_dir / "calf-care.mp3").unlink()
    assert "calf-care" not in shelf.tracks()


def test_a_kept_build_is_on_offer_without_its_published_mp3(shelf):
    assert "calf-care" in shelf.tracks()
    (shelf.audio_dir / "calf-care.mp3").unlink()
    assert "calf-care" in shelf.tracks(), "served from builds/, where it is kept"


def test_an_mp3_replaced_by_another_build_is_no_longer_on_offer(shelf):
    assert "calf-care" in shelf.tracks()
    kept = kept_mp3(shelf, "calf-care")
    for mp3 in (shelf.audio_dir / "calf-care.mp3", kept):
        other = shelf.audio_dir / "other.mp3"
        shutil.copy(shelf.audio_dir / "warm-breath.mp3", other)
        other.replace(mp3)   # its ID3 names another build
    assert "calf-care" not in shelf.tracks()


def test_a_publish_cut_short_offers_the_build_its_cue_sheet_names(shelf):
    """Killed between renaming the new MP3 and the new cue sheet into place: the build the
    cue sheet names is still kept whole, and stays on offer."""
    before = shelf.get("calf-care")
    other = shelf.audio_dir / "other.mp3"
    shutil.copy(shelf.audio_dir / "warm-breath.mp3", other)
    other.replace(shelf.audio_dir / "calf-care.mp3")
    assert shelf.get("calf-care") == before


def test_a_track_published_is_seen_at_once(shelf, tmp_path):
    aside = tmp_path / "aside"
    aside.mkdir()
    for suffix in (".mp3", ".json", ".vtt"):
        (shelf.audio_dir / f"calf-care{suffix}").rename(aside / f"calf-care{suffix}")
    assert "calf-care" not in shelf.tracks()
    for suffix in (".mp3", ".vtt", ".json"):   # the order a build publishes in
        (aside / f"calf-care{suffix}").rename(shelf.audio_dir / f"calf-care{suffix}")
    assert "calf-care" in shelf.tracks()


def test_a_builder_of_another_library_is_not_this_ones(shelf, tmp_path, library_dir):
    write_status(shelf.audio_dir, BuildStatus(queued=("x",), updated_at=time.time(),
                                              library=str(tmp_path / "elsewhere")))
    assert shelf.build_status() is None
    write_status(shelf.audio_dir, BuildStatus(queued=("x",), updated_at=time.time(),
                                              library=str(library_dir.resolve())))
    assert shelf.build_status().queued == ("x",)


def test_each_chapter_knows_when_its_work_runs(shelf):
    import json
    track = shelf.get("calf-care")
    sheet = json.loads((shelf.audio_dir / "calf-care.json").read_text())
    tones = {(c["kind"], c["step"], c["side"]): c["at_ms"] for c in sheet["cues"]}
    work = dict(zip((c.title for c in track.chapters), track.work, strict=True))
    assert work["Calf roll, left side"] == (tones["start", 0, "left"], tones["end", 0, "left"])
    rest = next(c for c in track.chapters if c.title == "Rest")
    assert work["Rest"] == (rest.start_ms, rest.end_ms)
    intro = track.chapters[0]
    assert work["Introduction"] == (intro.start_ms, intro.start_ms)


def test_a_cue_sheet_with_broken_cues_still_plays_without_a_countdown(shelf):
    import json
    path = shelf.audio_dir / "calf-care.json"
    sheet = json.loads(path.read_text())
    sheet["cues"] = [{"kind": "start"}, 5]
    written = path.with_name(".calf-care.json.new")
    written.write_text(json.dumps(sheet))
    written.replace(path)   # as a build publishes: the folder changes, the shelf looks again
    track = shelf.get("calf-care")
    assert track is not None and track.work == ()
