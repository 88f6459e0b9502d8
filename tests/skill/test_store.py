"""Places on SQLite: one row per user, WAL mode, through ask-sdk's adapter interface."""

import sqlite3

from ask_sdk_model import RequestEnvelope
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.user import User

from skill.store import SqliteAdapter


def envelope(user: str) -> RequestEnvelope:
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user))))


def test_attributes_round_trip_per_user(tmp_path):
    store = SqliteAdapter(tmp_path / "db.sqlite")
    assert store.get_attributes(envelope("ann")) == {}
    store.save_attributes(envelope("ann"), {"place": {"routine": "calf-care", "offset_ms": 5}})
    store.save_attributes(envelope("bob"), {"place": {"routine": None}})
    store.save_attributes(envelope("ann"), {"place": {"routine": "calf-care", "offset_ms": 9}})
    assert store.get_attributes(envelope("ann"))["place"]["offset_ms"] == 9
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM attributes").fetchone()[0] == 2
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.delete_attributes(envelope("ann"))
    assert store.get_attributes(envelope("ann")) == {}


def test_a_second_process_sees_what_the_first_saved(tmp_path):
    SqliteAdapter(tmp_path / "db.sqlite").save_attributes(envelope("ann"), {"n": 1})
    assert SqliteAdapter(tmp_path / "db.sqlite").get_attributes(envelope("ann")) == {"n": 1}
