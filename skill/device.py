"""A simulated Echo: builds the request envelopes Alexa sends and plays what the skill says.

Used by `matcoach simulate` and by the tests, so both drive the real endpoint with real
envelopes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

Send = Callable[[dict], dict]
"""Posts an envelope to the skill and returns its response envelope."""

NEARLY_FINISHED_MS = 10_000   # when a real device asks for what to queue next


@dataclass
class Device:
    """One speaker with one user: its session, its player, and the skill it talks to."""

    skill_id: str
    send: Send
    length_of: Callable[[str], int] = lambda token: 0
    """How long the stream a token names lasts (the device learns it by playing)."""
    user_id: str = "amzn1.ask.account.MATCOACH-SIMULATED-USER"
    device_id: str = "amzn1.ask.device.MATCOACH-SIMULATED-DEVICE"
    person_id: str | None = None
    """The person Alexa recognised by voice (context.System.person), if any."""
    audio_player: bool = True
    locale: str = "en-US"
    token: str | None = None
    offset_ms: int = 0
    activity: str = "IDLE"
    stream_ms: int = 0
    session_id: str | None = None
    session_attributes: dict = field(default_factory=dict)
    heard: list[tuple[str, dict]] = field(default_factory=list)
    """(request type, response) for every request sent, for inspection."""

    # Requests a person makes by speaking.

    def launch(self) -> dict:
        """"Alexa, open Mat Coach"."""
        return self._converse({"type": "LaunchRequest"})

    def intent(self, name: str, slots: dict | None = None) -> dict:
        """An IntentRequest; `slots` maps slot name to (words, resolved id or None)."""
        return self._converse({"type": "IntentRequest", "intent": {
            "name": name, "confirmationStatus": "NONE",
            "slots": {n: _slot(n, words, resolved) for n, (words, resolved)
                      in (slots or {}).items()}}})

    # Requests the device makes on its own.

    def button(self, command: str) -> dict:
        """A PlaybackController button: Play, Pause, Next or Previous."""
        return self._deliver(self._envelope({"type": f"PlaybackController.{command}CommandIssued"},
                                            with_session=False))

    def disable_skill(self) -> dict:
        """The person disables the skill in the Alexa app: AlexaSkillEvent.SkillDisabled
        (context.System names the account only; no device, no session)."""
        envelope = self._envelope({"type": "AlexaSkillEvent.SkillDisabled",
                                   "eventCreationTime": _now(), "eventPublishingTime": _now(),
                                   "body": {"userInformationPersistenceStatus": "PERSISTED"}},
                                  with_session=False)
        del envelope["context"]["System"]["device"], envelope["context"]["AudioPlayer"]
        envelope["context"]["System"].pop("person", None)
        return self._deliver(envelope)

    def wait(self, ms: int) -> list[dict]:
        """Let `ms` pass; a playing stream advances, and may finish."""
        if self.activity != "PLAYING":
            return []
        before, after = self.offset_ms, self.offset_ms + ms
        responses = []
        nearly = self.stream_ms - NEARLY_FINISHED_MS
        if self.stream_ms and before < nearly <= after:   # reported where it happens
            self.offset_ms = nearly
            responses.append(self.report("PlaybackNearlyFinished"))
        self.offset_ms = after
        if self.stream_ms and self.offset_ms >= self.stream_ms:
            self.offset_ms, self.activity = self.stream_ms, "FINISHED"
            responses.append(self.report("PlaybackFinished"))
        return responses

    # The plumbing.

    def _converse(self, request: dict) -> dict:
        # While Alexa listens the stream is ducked, and the context still says PLAYING;
        # unless the response stops or replaces it, it carries on afterwards.
        response = self._deliver(self._envelope(request, with_session=True))
        body = response.get("response", {})
        self.session_attributes = response.get("sessionAttributes") or {}
        if body.get("shouldEndSession", True) is not False:
            self.session_id = None
        return response

    def _deliver(self, envelope: dict) -> dict:
        response = self.send(envelope)
        self.heard.append((envelope["request"]["type"], response))
        for directive in response.get("response", {}).get("directives", []):
            self._obey(directive)
        return response

    def _obey(self, directive: dict) -> None:
        live = self.activity in ("PLAYING", "PAUSED", "BUFFER_UNDERRUN")
        if directive["type"] == "AudioPlayer.Play":
            if live:   # the stream it replaces reports where it stopped
                self.report("PlaybackStopped")
            stream = directive["audioItem"]["stream"]
            self.token, self.offset_ms = stream["token"], stream["offsetInMilliseconds"]
            self.stream_ms = self.length_of(self.token)
            self.activity = "PLAYING"
            self.report("PlaybackStarted")
        elif directive["type"] == "AudioPlayer.Stop" and live:
            self.activity = "STOPPED"
            self.report("PlaybackStopped")

    def report(self, name: str) -> dict:
        """An AudioPlayer event about the current stream, at the current offset."""
        request = {"type": f"AudioPlayer.{name}", "token": self.token,
                   "offsetInMilliseconds": self.offset_ms}
        if name == "PlaybackFailed":
            request = {"type": request["type"], "token": self.token,
                       "error": {"type": "MEDIA_ERROR_SERVICE_UNAVAILABLE",
                                 "message": "The stream could not be fetched."},
                       "currentPlaybackState": {"token": self.token,
                                                "offsetInMilliseconds": self.offset_ms,
                                                "playerActivity": self.activity}}
            self.activity = "STOPPED"
        return self._deliver(self._envelope(request, with_session=False))

    def _envelope(self, request: dict, with_session: bool) -> dict:
        request = {**request, "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                   "timestamp": _now(),
                   "locale": self.locale}
        application = {"applicationId": self.skill_id}
        user = {"userId": self.user_id}
        interfaces = {"AudioPlayer": {}} if self.audio_player else {}
        system = {"application": application, "user": user,
                  "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
                  "apiEndpoint": "https://api.amazonalexa.com"}
        if self.person_id:
            system["person"] = {"personId": self.person_id}
        envelope = {"version": "1.0", "request": request, "context": {
            "System": system,
            "AudioPlayer": {"playerActivity": self.activity, "token": self.token,
                            "offsetInMilliseconds": self.offset_ms}}}
        if with_session:
            new = self.session_id is None
            if new:   # a session starts with no attributes: those of the last one are gone
                self.session_attributes = {}
            self.session_id = self.session_id or f"amzn1.echo-api.session.{uuid.uuid4()}"
            envelope["session"] = {"new": new, "sessionId": self.session_id,
                                   "application": application, "user": user,
                                   "attributes": self.session_attributes}
        return envelope


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slot(name: str, words: str | None, resolved: str | None) -> dict:
    slot: dict = {"name": name, "confirmationStatus": "NONE"}
    if words is None:
        return slot
    slot["value"] = words
    code = "ER_SUCCESS_MATCH" if resolved else "ER_SUCCESS_NO_MATCH"
    authority = {"authority": f"amzn1.er-authority.echo-sdk.skill.{name}",
                 "status": {"code": code}}
    if resolved:
        authority["values"] = [{"value": {"name": words, "id": resolved}}]
    slot["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return slot
