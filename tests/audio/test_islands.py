"""Island planning: sounds whose frames touch are encoded together, between quiet frames."""

import numpy as np
import pytest

from audio.encoder import CODEC_DELAY_SAMPLES, FRAME_SAMPLES, RATE
from audio.islands import plan_islands, source_sample
from audio.sounds import SoundBank
from builder.timeline import Event, Tone


def event(at_ms, name="pace"):
    return Event(at_ms, Tone(name), 50, "pace")


@pytest.fixture
def bank(piper, cache_dir):
    return SoundBank(piper, cache_dir)


def test_sounds_heard_at_p_are_placed_at_p_minus_the_codec_delay():
    assert source_sample(1000) == 48_000 - CODEC_DELAY_SAMPLES


def test_close_sounds_share_an_island_and_distant_ones_do_not(bank):
    islands = plan_islands([event(2000), event(2100), event(9000)], bank)
    assert [len(i.parts) for i in islands] == [2, 1]
    first, second = islands
    assert first.first_frame == source_sample(2000) // FRAME_SAMPLES - 1
    assert first.first_frame + first.frames < second.first_frame
    assert len(first.pcm(bank)) == first.frames * FRAME_SAMPLES


def test_an_island_is_its_sound_between_quiet_frames(bank):
    (island,) = plan_islands([event(5000, "end")], bank)
    samples = island.pcm(bank)
    offset, part = island.parts[0]
    clip = bank.pcm(part.sound)
    assert offset == source_sample(5000) % FRAME_SAMPLES + FRAME_SAMPLES
    assert not samples[:FRAME_SAMPLES].any(), "a whole quiet frame before"
    assert (samples[offset:offset + len(clip)] == clip).all()
    assert not samples[offset + len(clip):].any()
    assert len(samples) - (offset + len(clip)) >= FRAME_SAMPLES, "a whole quiet frame after"


def test_the_key_follows_the_sound_and_its_place_in_the_frame(bank):
    def key(*events):
        (island,) = plan_islands(events, bank)
        return island.key(bank)
    assert key(event(5000)) == key(event(5000 + 24)), "a whole frame later sounds the same"
    assert key(event(5000)) != key(event(5001)), "a millisecond later is another island"
    assert key(event(5000)) != key(event(5000, "end"))
    assert key(event(5000), event(5100)) != key(event(5000))


def test_spliced_islands_decode_like_one_continuous_encoding(bank, encoder, tmp_path):
    """The whole trick: islands in silent frames sound like encoding the track in one go."""
    from audio.cache import DiskCache
    from audio.islands import write_frames
    events = [event(1000, "start"), event(1700, "pace"), event(4321, "halfway"),
              event(9000, "end")]
    islands = plan_islands(events, bank)
    total = 500
    with open(tmp_path / "spliced.mp3", "wb") as out:
        write_frames(islands, total, bank, encoder, DiskCache(tmp_path / "c", ".mp3"), out)
    spliced = encoder.decode(tmp_path / "spliced.mp3")
    pcm = np.zeros(total * FRAME_SAMPLES, np.int16)
    for e in events:
        clip = bank.pcm(e.sound)
        pcm[source_sample(e.at_ms):source_sample(e.at_ms) + len(clip)] += clip
    continuous = encoder.decode(encoder.encode(pcm))[:len(spliced)]
    assert len(spliced) == total * FRAME_SAMPLES
    assert np.abs(spliced - continuous).max() < 0.01
    heard = np.flatnonzero(np.abs(spliced) > 0.01)[0]
    assert abs(heard - 1000 * RATE // 1000) <= RATE // 1000
