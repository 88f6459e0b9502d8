"""The endpoint's serializer reads Alexa's timestamps with the standard library, exactly as
ask-sdk-core's own (dateutil) does, and falls back to it for anything else."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import dateutil.parser
import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.serializer import EnvelopeSerializer

from ..served import launch_envelope


def timestamp(serializer, stamp: str) -> datetime:
    envelope = launch_envelope()
    envelope["request"]["timestamp"] = stamp
    return serializer.deserialize(json.dumps(envelope), RequestEnvelope).request.timestamp


@pytest.mark.parametrize("stamp", ["2026-11-29T12:00:00Z", "2026-11-29T12:00:00.123Z",
                                   "2026-11-29T12:00:00+00:00", "2026-11-29T13:00:00+01:00",
                                   "2026-11-29T12:00:00"])
def test_timestamps_read_as_ask_sdk_reads_them(stamp):
    assert timestamp(EnvelopeSerializer(), stamp) == timestamp(DefaultSerializer(), stamp)


def test_iso_timestamps_do_not_go_through_dateutil(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("dateutil was called")
    monkeypatch.setattr(dateutil.parser, "parse", refuse)
    assert timestamp(EnvelopeSerializer(), "2026-11-29T12:00:00Z") == \
        datetime(2026, 11, 29, 12, tzinfo=UTC)


def test_other_forms_still_go_to_dateutil():
    assert timestamp(EnvelopeSerializer(), "29 Nov 2026 12:00 UTC") == \
        datetime(2026, 11, 29, 12, tzinfo=dateutil.tz.tzutc())
