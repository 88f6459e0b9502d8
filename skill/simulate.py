"""`matcoach simulate`: talk to the skill at a terminal, through the real endpoint."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import TextIO

from audio.shelf import Shelf, Track
from builder.durations import clock, parse_duration_ms

from .device import Device
from .models import interaction_model
from .nlu import LAUNCH_REQUEST, Matcher, normalize
from .plans import is_plan

LOCAL_SKILL_ID = "amzn1.ask.skill.matcoach-simulated"
# OpenSSL's verify codes for "no trusted authority issued this chain": a private CA's
# certificate, or a self-signed one (X509_V_ERR_* 2, 18, 19, 20, 21 in x509_vfy.h).
UNTRUSTED = {2, 18, 19, 20, 21}
HELP = """Say what you would say to the speaker, for example:
  open mat coach / start the lower back release / what can I do with a spiky ball
  pause / resume / next / previous / repeat that / how long is left / stop
Device commands:  :wait 2m   :button play|pause|next|previous   :quit
"""


def http_sender(url: str, timeout_s: float = 10) -> Callable[[dict], dict]:
    """A function that posts an envelope to `url`/alexa over HTTP and returns the response
    envelope; a server that cannot be reached or refuses raises SimulatorError."""
    endpoint = url.rstrip("/") + "/alexa"

    def send(envelope: dict) -> dict:
        request = urllib.request.Request(endpoint, data=json.dumps(envelope).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as reply:
                return json.load(reply)
        except urllib.error.HTTPError as exc:
            raise SimulatorError(f"{endpoint} answered {exc.code}: "
                                 f"{exc.read().decode(errors='replace')[:200]} (serve it with "
                                 "--no-verify to talk to it from here)") from exc
        except (OSError, ValueError) as exc:
            raise SimulatorError(_unreachable(url, endpoint, exc)) from exc

    return send


def _unreachable(url: str, endpoint: str, exc: Exception) -> str:
    """Why `endpoint` gave no envelope: a certificate this machine refuses is not "nothing
    answers" (the server is up; starting it again would not help)."""
    reason = getattr(exc, "reason", exc)   # urllib wraps the ssl error in a URLError
    if isinstance(reason, ssl.SSLCertVerificationError):
        if reason.verify_code in UNTRUSTED:
            return (f"The server at {endpoint} answers, but its certificate is not trusted by "
                    f"this machine ({reason.verify_message}); set SSL_CERT_FILE to your "
                    "certificate authority's file (PEM) for this command: "
                    f"SSL_CERT_FILE=rootCA.pem matcoach simulate --url {url}")
        return (f"The server at {endpoint} answers, but its certificate is refused "
                f"({reason.verify_message}); give --url the name the certificate was issued "
                "for, and renew it if it has expired.")
    return (f"Nothing answers at {endpoint} ({exc}); start the server (make run) or leave "
            "out --url.")


class SimulatorError(Exception):
    """The skill could not be reached or did not answer with an envelope."""


class Simulator:
    """One simulated speaker, printing what the skill says and plays.

    `send` posts a request envelope to the skill's endpoint and returns the response
    envelope; `shelf` is the skill's library of tracks (for the matcher and the lengths).
    """

    def __init__(self, send: Callable[[dict], dict], shelf: Shelf, out: TextIO,
                 skill_id: str | None = None, audio_player: bool = True,
                 user_id: str | None = None,
                 plan_track: Callable[[str, str], Track | None] | None = None) -> None:
        self.out = out
        self.shelf = shelf
        self._matched = None
        self._plan_track = plan_track
        extra = {"user_id": user_id} if user_id else {}
        self.device = Device(skill_id=skill_id or LOCAL_SKILL_ID, send=send,
                             length_of=self._length_of, audio_player=audio_player, **extra)

    def track_of(self, token: str | None) -> Track | None:
        """The track an AudioPlayer token names: a routine of the library, or a
        therapist's plan (`plan:<id>:<build>:...`) through `plan_track(token, user id)`,
        when the simulator was given one (it sees the same plans store as the skill)."""
        if is_plan(token) and self._plan_track is not None:
            return self._plan_track(token, self.device.user_id)
        return self.shelf.from_token(token)

    def _length_of(self, token: str | None) -> int:
        track = self.track_of(token)
        return track.duration_ms if track else 0

    def run(self, lines: Iterable[str], prompt: bool = True) -> None:
        """Handle each line until :quit or the end of input (echoed when not typed)."""
        self.out.write(HELP)
        for line in lines:
            if not prompt and line.strip():
                self.out.write(f"you> {line.strip()}\n")
            if not self.handle(line.strip()):
                break
            if prompt:
                self.out.write("you> ")
                self.out.flush()

    def handle(self, line: str) -> bool:
        """Act on one line; False to stop."""
        if not line:
            return True
        if line in (":quit", ":q", ":exit"):
            return False
        seen = len(self.device.heard)
        try:
            self._act(line)
        except ValueError as exc:
            self.out.write(f"  ({exc})\n")
        for _, response in self.device.heard[seen:]:
            self._show(response)
        return True

    def matcher(self) -> Matcher:
        """The matcher of the interaction model for the library as it is now (a routine added
        while simulating is speakable at once)."""
        library = self.shelf.library
        if self._matched is None or self._matched[0] is not library:
            self._matched = (library, Matcher(interaction_model(library)))
        return self._matched[1]

    def _act(self, line: str) -> None:
        if line.startswith(":wait"):
            self.device.wait(parse_duration_ms(line.split(maxsplit=1)[1] if " " in line else "0"))
            self.out.write(f"  (now at {self._where()})\n")
        elif line.startswith(":button"):
            name = line.split(maxsplit=1)[1].strip().capitalize() if " " in line else ""
            if name not in ("Play", "Pause", "Next", "Previous"):
                raise ValueError("buttons are play, pause, next and previous")
            self.device.button(name)
        else:
            self._speak(normalize(line))

    def _speak(self, words: str) -> None:
        understood = self.matcher().understand(words)
        if understood.intent == LAUNCH_REQUEST:
            self.device.launch()
            return
        slots = {name: (slot.value, slot.resolved_id) for name, slot in understood.slots.items()}
        self.out.write(f"  [{understood.intent}{' ' + str(slots) if slots else ''}]\n")
        self.device.intent(understood.intent, slots)

    def _show(self, response: dict) -> None:
        body = response.get("response", {})
        speech = (body.get("outputSpeech") or {}).get("ssml", "")
        if speech:
            self.out.write(f"Alexa: {_words(speech)}\n")
        card = body.get("card")
        if card:   # what the Alexa app would show: "how am I doing" links a page there
            self.out.write(f"  > card in the Alexa app: {card.get('title', '')}: "
                           f"{card.get('content', '')}\n")
        for directive in body.get("directives", []):
            if directive["type"] == "AudioPlayer.Play":
                stream = directive["audioItem"]["stream"]
                track = self.track_of(stream["token"])
                offset = stream["offsetInMilliseconds"]
                where = track.chapter_at(offset).title if track else "?"
                self.out.write(f"  > plays {stream['url']} from {clock(offset)} ({where})\n")
            elif directive["type"] == "AudioPlayer.Stop":
                self.out.write(f"  > stops at {self._where()}\n")

    def _where(self) -> str:
        track = self.track_of(self.device.token)
        if track is None:
            return "nothing playing"
        chapter = track.chapter_at(self.device.offset_ms).title
        return f"{clock(self.device.offset_ms)} of {clock(track.duration_ms)}, {chapter}, " \
               f"{self.device.activity.lower()}"


def _words(document: str) -> str:
    """What Alexa would say for an SSML document; one Alexa would refuse is shown as such."""
    try:
        return "".join(ET.fromstring(document).itertext()).strip()
    except ET.ParseError:
        return f"(not well-formed SSML: Alexa would refuse it) {document}"
