"""Skill fixtures: a speaker whose every request is signed."""

from __future__ import annotations

import pytest

from matcoach.app import shelf_of
from skill.device import Device

from ..served import SKILL_ID


@pytest.fixture
def device(app, post) -> Device:
    """A speaker whose every request is signed and must be answered 200."""
    shelf = shelf_of(app)

    def send(envelope: dict) -> dict:
        reply = post(envelope)
        assert reply.status_code == 200, reply.get_data(as_text=True)
        return reply.get_json()

    return Device(skill_id=SKILL_ID, send=send, length_of=shelf.length_of)
