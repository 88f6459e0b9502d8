"""The plans store (issue 13, slice 1), on SQLite and PostgreSQL alike: a therapist
reaches only their own clients and plans, deleting a client takes everything of theirs,
private tokens are long and random, bad values are refused naming the field, and the
migrations make exactly the schema the models describe."""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select

from plans import InvalidInput, NotFound, Store, Taken, Unavailable
from plans.models import Base, PlanVersion

ROUTINE = "title: Right shoulder\nsteps: []\n"


@pytest.fixture
def two(store):
    """Two therapists, each with a client and a plan: (store, ann's ids, bob's ids)."""
    ids = {}
    for email in ("ann@example.com", "bob@example.com"):
        therapist = store.add_therapist(email)
        client = store.add_client(therapist, "J. S.")
        plan = store.add_plan(therapist, client, "Right shoulder", ROUTINE)
        ids[email.split("@")[0]] = (therapist, client, plan.id)
    return store, ids["ann"], ids["bob"]


def test_a_therapist_reaches_only_their_own_clients_and_plans(two):
    store, (ann, ann_client, ann_plan), (bob, bob_client, bob_plan) = two
    assert [c.id for c in store.clients(ann)] == [ann_client]
    assert store.plan(ann, ann_plan).title == "Right shoulder"
    for call in (lambda: store.client(ann, bob_client), lambda: store.plan(ann, bob_plan),
                 lambda: store.delete_client(ann, bob_client),
                 lambda: store.revise_plan(ann, bob_plan, ROUTINE),
                 lambda: store.add_plan(ann, bob_client, "Mine now", ROUTINE)):
        with pytest.raises(NotFound):
            call()
    # ...and the same answer as for ids nobody has: nothing tells which ids exist.
    with pytest.raises(NotFound, match="no such plan"):
        store.plan(ann, 999_999)
    with pytest.raises(NotFound, match="no such therapist"):
        store.add_client(999_999, "A")
    assert store.plan(bob, bob_plan).version == 1   # untouched


@pytest.mark.parametrize("wild", [2**31, 2**63 - 1, 2**63, 10**22, -(2**63) - 1])
def test_an_id_no_database_can_hold_is_not_found(two, wild):
    """Regression: /therapist/plans/99999999999999999999999 ended in SQLite's
    OverflowError (a 500): an id past the signed 64-bit range is no row, as any other."""
    store, (ann, ann_client, _), _ = two
    with pytest.raises(NotFound, match="no such client"):
        store.client(ann, wild)
    with pytest.raises(NotFound, match="no such client"):
        store.add_plan(ann, wild, "P", ROUTINE)
    with pytest.raises(NotFound, match="no such plan"):
        store.plan(ann, wild)
    with pytest.raises(NotFound, match="no such plan"):
        store.revise_plan(ann, wild, ROUTINE)
    with pytest.raises(NotFound, match="no such client"):
        store.delete_client(ann, wild)
    with pytest.raises(NotFound, match="no such therapist"):
        store.add_client(wild, "A")
    assert store.client(ann, ann_client).name == "J. S."


def test_deleting_a_client_takes_their_plans_and_versions(two, database):
    store, (ann, ann_client, ann_plan), (bob, _, bob_plan) = two
    token = store.plan(ann, ann_plan).token
    store.revise_plan(ann, ann_plan, ROUTINE + "# v2\n")
    store.delete_client(ann, ann_client)
    assert store.clients(ann) == []
    assert store.plan_by_token(token) is None
    engine = create_engine(database)
    with engine.connect() as connection:   # nothing left behind in the table itself
        versions = connection.scalar(select(func.count()).select_from(PlanVersion))
    engine.dispose()
    assert versions == 1                   # bob's
    assert store.plan(bob, bob_plan).version == 1


def test_a_plan_keeps_every_version_and_answers_with_the_newest(two):
    store, (ann, _, plan_id), _ = two
    revised = store.revise_plan(ann, plan_id, ROUTINE + "# v2\n")
    assert (revised.version, revised.routine_yaml) == (2, ROUTINE + "# v2\n")
    assert store.plan_by_token(revised.token) == revised


def test_private_tokens_are_long_random_and_unique(store):
    therapist = store.add_therapist("ann@example.com")
    client = store.add_client(therapist, "A")
    tokens = {store.add_plan(therapist, client, f"Plan {i}", ROUTINE).token for i in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert len(token) * math.log2(64) >= 128          # at least 128 bits (issue 13)
    assert store.plan_by_token("x" * 43) is None
    assert store.plan_by_token("") is None and store.plan_by_token("x" * 10_000) is None


@pytest.mark.parametrize("field, call, says", [
    ("email", lambda s, t, c: s.add_therapist("not an address"), "not an email address"),
    ("email", lambda s, t, c: s.add_therapist("  "), "it is empty"),
    # Regression: an @ doubled or with nothing before or after it was an address.
    ("email", lambda s, t, c: s.add_therapist("a@@b"), "not an email address"),
    ("email", lambda s, t, c: s.add_therapist("a@b@c"), "not an email address"),
    ("email", lambda s, t, c: s.add_therapist("@b"), "not an email address"),
    ("email", lambda s, t, c: s.add_therapist("a@"), "not an email address"),
    ("email", lambda s, t, c: s.add_therapist("@"), "not an email address"),
    # Regression: measured before lower-casing, which makes "İ" two code points: 412
    # characters went to a column of 254 (PostgreSQL's "value too long", a 500).
    ("email", lambda s, t, c: s.add_therapist("İ" * 200 + "@example.com"),
     "longer than 254 characters"),
    ("name", lambda s, t, c: s.add_client(t, "x" * 81), "longer than 80 characters"),
    ("name", lambda s, t, c: s.add_client(t, "J.\u202eS."), "control or invisible"),
    ("title", lambda s, t, c: s.add_plan(t, c, "", ROUTINE), "it is empty"),
    ("times_per_week", lambda s, t, c: s.add_plan(t, c, "P", ROUTINE, times_per_week=0),
     "give 1 to 21 times a week"),
])
def test_bad_values_are_refused_naming_the_field(store, field, call, says):
    therapist = store.add_therapist("ann@example.com")
    client = store.add_client(therapist, "A")
    with pytest.raises(InvalidInput, match=says) as refused:
        call(store, therapist, client)
    assert refused.value.field == field


@pytest.mark.parametrize(("name", "kept"), [
    (" " + "x" * 80 + " ", "x" * 80),            # stripped before it is measured
    ("\u00a0J. S.\u3000", "J. S."),
    ("👩\u200d⚕\ufe0f Ana", "👩\u200d⚕\ufe0f Ana"),  # regression: a ZWJ emoji was "invisible"
    ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("Zoë", "Zoë"), ("Zoe\u0308", "Zoe\u0308"),   # a combining mark on its letter
    ("क्\u200dष", "क्\u200dष"),                   # a joiner inside Devanagari
    ("ㅤJ", "ㅤJ"),                                  # a blank letter beside one that shows
])
def test_names_are_kept_as_written_once_stripped(store, name, kept):
    therapist = store.add_therapist("ann@example.com")
    assert store.client(therapist, store.add_client(therapist, name)).name == kept


@pytest.mark.parametrize(("name", "says"), [
    ("\u3164", "no character that shows"), ("\u2800\u2800", "no character that shows"),
    ("\u115f\u1160", "no character that shows"), ("\uffa0", "no character that shows"),
    ("\u0301", "no character that shows"), ("\ufe0f", "no character that shows"),
    (" \u3164 \u0301 ", "no character that shows"),
    ("J.\u2028S.", "control or invisible"), ("J.\u2029S.", "control or invisible"),
    ("J.\ue000", "control or invisible"), ("J.\U0010fffd", "control or invisible"),
    ("J.\u0378", "control or invisible"), ("J.\ufdd0", "control or invisible"),
    ("J.\uffff", "control or invisible"), ("J.\ud800", "control or invisible"),
    ("J.\u200bS.", "control or invisible"), ("J.\u200d", "control or invisible"),
    ("\u200dJ.", "control or invisible"), ("J.\u200d S.", "control or invisible"),
])
def test_a_name_that_does_not_show_as_written_is_refused(store, name, says):
    therapist = store.add_therapist("ann@example.com")
    with pytest.raises(InvalidInput, match=says) as refused:
        store.add_client(therapist, name)
    assert refused.value.field == "name"
    assert store.clients(therapist) == []


def test_an_email_in_use_is_taken_whatever_its_case(store):
    store.add_therapist("Ann@Example.com")
    with pytest.raises(Taken, match="ann@example.com has an account already"):
        store.add_therapist("ann@EXAMPLE.com ")


def test_schedule_and_note_are_kept(store):
    therapist = store.add_therapist("ann@example.com")
    client = store.add_client(therapist, "A")
    until = dt.date(2027, 1, 15)
    plan = store.add_plan(therapist, client, "P", ROUTINE, times_per_week=3, until=until,
                          note="Gently on the left side.")
    kept = store.plan(therapist, plan.id)
    assert (kept.times_per_week, kept.until, kept.note) == (3, until, "Gently on the left side.")


def test_the_migrations_make_exactly_the_schema_of_the_models(database):
    store = Store(database)
    store.upgrade()
    store.upgrade()                                   # a second run changes nothing
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        tables = set(inspect(connection).get_table_names())
    store.close()
    assert differences == []
    assert {"therapists", "clients", "plans", "plan_versions", "alembic_version"} <= tables


def _upgrade(url: str) -> str:
    store = Store(url)
    store.upgrade()
    return store.engine.dialect.name


def test_workers_starting_at_once_migrate_once(database):
    """gunicorn without --preload, or two machines on one PostgreSQL: every process
    upgrades at start, and none fails for another's half-made schema."""
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        assert len(pool.map(_upgrade, [database] * 4)) == 4
    store = Store(database)
    store.add_therapist("ann@example.com")
    store.close()


def test_a_sqlite_file_whose_folder_is_not_made_yet_gets_it(tmp_path):
    """Regression: the first command of a new data home ended in FileNotFoundError (the
    lock file beside a database whose folder did not exist yet)."""
    store = Store(f"sqlite:///{tmp_path / 'new-home' / 'deeper' / 'plans.sqlite'}")
    store.upgrade()
    assert store.add_therapist("ann@example.com")
    store.close()


def test_a_folder_that_cannot_be_made_is_said_in_one_sentence(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    store = Store(f"sqlite:///{tmp_path / 'a-file' / 'plans.sqlite'}")
    with pytest.raises(Unavailable) as refused:
        store.upgrade()
    assert str(refused.value) == (f"Cannot make the folder {tmp_path / 'a-file'} for the "
                                  "plans database: a file has that name")


def test_a_lock_file_that_cannot_be_opened_is_said_in_one_sentence(tmp_path):
    (tmp_path / "plans.sqlite.migrating").mkdir()
    store = Store(f"sqlite:///{tmp_path / 'plans.sqlite'}")
    with pytest.raises(Unavailable) as refused:
        store.upgrade()
    assert str(refused.value) == (f"Cannot open the plans database sqlite:///{tmp_path}/"
                                  f"plans.sqlite: Is a directory: {tmp_path}/"
                                  "plans.sqlite.migrating")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:",
                                 "sqlite:///file:plans?mode=memory&uri=true"])
def test_an_in_memory_database_is_refused(url):
    """Every plan in it would go when the process ends (and the store closes its
    connections after migrating, which empties it at once)."""
    with pytest.raises(Unavailable, match="in-memory database .*every plan would be lost"):
        Store(url)
