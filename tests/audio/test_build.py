"""A real build with the real offline voice: decoded, measured, and read back."""

import json
import struct

import numpy as np
import pyloudnorm
from mutagen.id3 import ID3
from scipy.signal import resample_poly

from audio.encoder import FRAME_BYTES, RATE
from audio.tones import DESIGNS, render_tone
from builder.timeline import CUE_KINDS

MS = RATE // 1000


def sheet_of(built) -> dict:
    return json.loads(built.track.cue_sheet.read_text())


def test_the_three_outputs_are_published_and_nothing_else(built):
    folder = built.track.mp3.parent
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "builds", "test-routine.json", "test-routine.mp3", "test-routine.vtt"]
    # The build is kept under its id (what /audio/<build>/ serves), as links to the same
    # files: the current build takes no second copy.
    kept = folder / "builds" / built.maker.build_id(built.routine)
    for suffix in (".json", ".mp3", ".vtt"):
        assert (kept / f"test-routine{suffix}").samefile(folder / f"test-routine{suffix}")
    staging = [p for p in (folder / ".partial").iterdir() if p.is_dir()]
    assert staging == [], "no staging left behind"


def test_every_tone_is_heard_within_1_ms_of_its_cue(built):
    tones = [c for c in sheet_of(built)["cues"] if c["text"] is None]
    assert len(tones) >= 15
    errors = []
    for cue in tones:
        at = cue["at_ms"] * MS
        window = np.abs(built.samples[at - 20 * MS:at + 20 * MS])
        name = "breathe-in" if cue["kind"] == "breathe" else cue["kind"]
        loud = 0.1 * np.abs(render_tone(name if name in DESIGNS else "breathe-out")).max()
        onset = int(np.argmax(window > loud)) - 20 * MS
        errors.append(abs(onset) / MS)
    assert max(errors) <= 1.0, errors


def test_speech_starts_at_its_cue(built):
    for cue in sheet_of(built)["cues"]:
        if cue["text"]:
            at = cue["at_ms"] * MS
            before = np.abs(built.samples[at - 100 * MS:at - 2 * MS]).max()
            after = np.abs(built.samples[at:at + 150 * MS]).max()
            assert before < 0.01 and after > 0.05, cue


def test_quiet_time_is_digital_silence(built):
    sheet = sheet_of(built)
    starts = [c["at_ms"] for c in sheet["cues"] if c["kind"] == "start"]
    lead_in_end = starts[0]
    # The lead-in is 2 s of nothing between "Right side first." and the start tone.
    quiet = built.samples[(lead_in_end - 1500) * MS:(lead_in_end - 100) * MS]
    assert np.abs(quiet).max() == 0.0


def test_loudness_is_minus_16_lufs_and_peaks_stay_under_minus_1_dbtp(built):
    loudness = pyloudnorm.Meter(RATE).integrated_loudness(built.samples.astype(np.float64))
    assert -17.0 <= loudness <= -15.0
    true_peak = 20 * np.log10(np.abs(resample_poly(built.samples, 4, 1)).max())
    assert true_peak <= -1.0


def test_the_mp3_is_cbr_mono_48k_at_64_kbps(built):
    data = built.track.mp3.read_bytes()
    tag_size = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    frames = data[tag_size:]
    assert len(frames) % FRAME_BYTES == 0
    (header,) = struct.unpack(">I", frames[:4])
    assert header >> 21 == 0x7FF, "frame sync"
    assert (header >> 19) & 3 == 3 and (header >> 17) & 3 == 1, "MPEG-1 Layer III"
    assert (header >> 12) & 0xF == 5, "64 kbps"
    assert (header >> 10) & 3 == 1, "48 kHz"
    assert (header >> 6) & 3 == 3, "mono"
    every_frame = {frames[i:i + 2] for i in range(0, len(frames), FRAME_BYTES)}
    assert every_frame == {frames[:2]}, "every frame is a frame, and all the same kind"


def test_decoded_length_is_the_cue_sheet_duration(built):
    assert len(built.samples) == sheet_of(built)["duration_ms"] * MS


def test_tags_and_chapters_read_back_with_mutagen(built):
    tag = ID3(built.track.mp3)
    assert tag["TIT2"].text == ["Test routine"]
    assert tag["TPE1"].text == ["Mat Coach"]
    assert tag["TALB"].text == ["Mat Coach routines"]
    assert not tag.getall("APIC")
    chapters = [(c.start_time, c.end_time, c.sub_frames["TIT2"].text[0])
                for c in tag.getall("CHAP")]
    expected = [(c["start_ms"], c["end_ms"], c["title"]) for c in sheet_of(built)["chapters"]]
    assert sorted(chapters) == expected
    assert [title for _, _, title in expected] == [
        "Introduction", "Calf roll, right side", "Calf roll, left side", "Rest", "Breathe",
        "Finish"]
    (toc,) = tag.getall("CTOC")
    assert toc.child_element_ids == [f"chp{i}" for i in range(len(expected))]


def test_chapters_read_back_with_ffmpeg_in_order(built, encoder):
    text = encoder.metadata(built.track.mp3)
    starts = [int(line.split("=")[1]) for line in text.splitlines() if line.startswith("START=")]
    titles = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("title=")]
    assert starts == [c["start_ms"] for c in sheet_of(built)["chapters"]]
    assert titles[0] == "Test routine" and titles[1:3] == ["Introduction", "Calf roll, right side"]


def test_the_cue_sheet_follows_contract_2(built):
    sheet = sheet_of(built)
    assert sheet["routine"] == "test-routine" and sheet["audio"] == "test-routine.mp3"
    assert sheet["build"] == built.maker.build_id(built.routine)
    assert set(sheet) >= {"routine", "title", "duration_ms", "audio", "build", "chapters",
                          "cues"}
    assert {c["kind"] for c in sheet["cues"]} == set(CUE_KINDS), "it uses every kind of cue"
    for chapter, following in zip(sheet["chapters"], sheet["chapters"][1:], strict=False):
        assert chapter["end_ms"] == following["start_ms"]
    assert sheet["chapters"][-1]["end_ms"] == sheet["duration_ms"]
    at = [c["at_ms"] for c in sheet["cues"]]
    assert at == sorted(at)


def test_the_transcript_is_webvtt_of_every_spoken_cue(built):
    text = built.track.transcript.read_text()
    assert text.startswith("WEBVTT\n\n")
    blocks = [b.splitlines() for b in text.strip().split("\n\n")[1:]]
    spoken = [c for c in sheet_of(built)["cues"] if c["text"]]
    assert [b[2] for b in blocks] == [c["text"] for c in spoken]
    first = blocks[0][1]
    assert first.startswith("00:00:01.000 --> 00:00:")


def test_the_estimate_before_a_build_is_close_to_the_real_length(built):
    from builder.estimate import estimate
    guessed = estimate(built.routine).duration_ms
    assert abs(guessed - built.track.duration_ms) / built.track.duration_ms < 0.05


def test_every_tone_is_heard_within_8_lu_of_the_voice_and_under_it(built):
    """Measured in the decoded track, as a listener hears it (K-weighted, BS.1770)."""
    from audio import pcm
    sheet = sheet_of(built)

    def heard(at_ms: int, length: int) -> float:
        return pcm.loudness(built.samples[at_ms * MS:at_ms * MS + length].astype(np.float64))
    # The first 800 ms of each phrase long enough to be all speech.
    speech = [heard(c["at_ms"], 800 * MS) for c in sheet["cues"]
              if c["text"] and len(c["text"]) > 20]
    voice = float(np.median(speech))
    kinds = {}
    for cue in sheet["cues"]:
        if cue["text"] is None:
            name = "breathe-in" if cue["kind"] == "breathe" else cue["kind"]
            kinds.setdefault(cue["kind"], []).append(
                heard(cue["at_ms"], len(render_tone(name))) - voice)
    assert {"start", "end", "switch"} <= set(kinds)
    for kind, levels in kinds.items():
        assert all(-8.5 <= level <= 0 for level in levels), (kind, levels)
