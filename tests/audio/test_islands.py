"""Island planning: sounds whose frames touch are encoded together."""

from audio.encoder import CODEC_DELAY_SAMPLES, FRAME_SAMPLES
from audio.islands import plan_islands, source_sample
from builder.timeline import Event, Tone


def event(at_ms, name="pace"):
    return Event(at_ms, Tone(name), 50, "pace")


def test_sounds_heard_at_p_are_placed_at_p_minus_the_codec_delay():
    assert source_sample(1000) == 48_000 - CODEC_DELAY_SAMPLES


def test_close_sounds_share_an_island_and_distant_ones_do_not(built):
    bank = _bank(built)
    islands = plan_islands([event(2000), event(2100), event(9000)], bank)
    assert [len(i.parts) for i in islands] == [2, 1]
    first, second = islands
    assert first.first_frame == source_sample(2000) // FRAME_SAMPLES
    assert first.first_frame + first.frames < second.first_frame
    assert len(first.pcm(bank)) == first.frames * FRAME_SAMPLES


def test_an_island_holds_its_sound_then_a_quiet_frame(built):
    bank = _bank(built)
    (island,) = plan_islands([event(5000, "end")], bank)
    samples = island.pcm(bank)
    offset, part = island.parts[0]
    clip = bank.pcm(part.sound)
    assert offset == source_sample(5000) % FRAME_SAMPLES
    assert not samples[:offset].any()
    assert (samples[offset:offset + len(clip)] == clip).all()
    assert not samples[offset + len(clip):].any()
    assert len(samples) - (offset + len(clip)) >= FRAME_SAMPLES


def _bank(built):
    from audio.sounds import SoundBank
    return SoundBank(built.maker.voice, built.maker.cache_dir)
