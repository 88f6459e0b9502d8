"""The plans store: therapists, their clients and plans, with the therapist asking named
in every call, so that nobody reaches another therapist's data (NotFound, as for an id
that does not exist).

    store = Store("sqlite:////home/me/.local/share/matcoach/plans.sqlite")
    store.upgrade()                        # Alembic: the schema as the code expects it
    me = store.add_therapist("ann@example.com")
    client = store.add_client(me, "J. S.")
    plan = store.add_plan(me, client, "Right shoulder", ROUTINE_YAML)

Values come back as frozen views, never as database rows, so no caller holds a session.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import URL, create_engine, event, make_url, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import audit, text
from .errors import InvalidInput, NotFound, Taken, Unavailable
from .models import EMAIL_MAX, NAME_MAX, NOTE_MAX, TITLE_MAX, Client, Plan, PlanVersion, Therapist

ID_MAX = 2**31 - 1   # the largest INTEGER in PostgreSQL (ids count from 1 on both databases)
T = TypeVar("T")


@dataclass(frozen=True)
class ClientView:
    id: int
    name: str
    plans: tuple[int, ...]
    """The ids of the client's plans, oldest first."""


@dataclass(frozen=True)
class PlanView:
    id: int
    client_id: int
    title: str
    token: str
    """The plan's private token (256 random bits, base64url): its page, audio and feed."""
    version: int
    routine_yaml: str
    """The routine of the latest version."""
    times_per_week: int | None
    until: dt.date | None
    note: str
    progress_shared: bool | None = None
    """Whether the client lets their therapist see their progress (None: not asked yet)."""


class Store:
    """The plans database at a SQLAlchemy `url` (SQLite or PostgreSQL)."""

    def __init__(self, url: str) -> None:
        """Unavailable for a URL SQLAlchemy cannot use, or an in-memory SQLite database
        (nothing is connected yet)."""
        self.url = url
        try:
            if _in_memory(make_url(url)):
                raise Unavailable(f"Cannot keep plans in an in-memory database "
                                  f"({_shown(url)}): every plan would be lost when the "
                                  "process ends")
            self.engine = create_engine(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise Unavailable(f"Cannot use the plans database {_shown(url)}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_rules)
            event.listen(self.engine, "begin", _begin_immediate)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (plans/migrations). The connections it
        used are closed after: a server forks its workers after this, and a connection
        must never be shared by two processes."""
        from .migrate import upgrade
        try:
            _make_folder(self.engine)
            upgrade(self.engine)
            _owner_only(self.engine)
        except SQLAlchemyError as exc:
            # The driver's first line says what failed; the rest is advice for psql users.
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise Unavailable(f"Cannot open the plans database {_shown(self.url)}: "
                              f"{reason}") from exc
        except OSError as exc:   # the SQLite file's folder, or the lock file beside it
            where = f": {exc.filename}" if exc.filename else ""
            raise Unavailable(f"Cannot open the plans database {_shown(self.url)}: "
                              f"{exc.strerror or exc}{where}") from exc
        finally:
            self.engine.dispose()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction, committed on leaving (for plans/' own modules)."""
        with self._sessions.begin() as session:
            yield session

    def add_therapist(self, email: str) -> int:
        """A new therapist's id; InvalidInput for an address that is not one (exactly one
        @, with something on both sides), Taken for one in use (compared lower-case)."""
        # Measured once lower-cased: "İ".lower() is two code points.
        email = _text("email", normal_email(email), EMAIL_MAX)
        local, _, domain = email.partition("@")
        if not local or not domain or "@" in domain or any(c.isspace() for c in email):
            raise InvalidInput("email", "that is not an email address")
        try:
            with self.transaction() as session:
                therapist = Therapist(email=email)
                session.add(therapist)
                session.flush()
                audit.record(session, therapist.id, "account_added")
                return therapist.id
        except IntegrityError as exc:
            raise Taken(f"{email} has an account already") from exc

    def therapist_by_email(self, email: str) -> int | None:
        """The id of the account of `email` (in any case), or None."""
        with self.transaction() as session:
            return session.scalar(select(Therapist.id)
                                  .where(Therapist.email == normal_email(email)))

    def add_client(self, therapist_id: int, name: str) -> int:
        """A new client of the therapist: a display name or initials (1-80 characters)."""
        name = _text("name", name, NAME_MAX)
        with self.transaction() as session:
            therapist = _get(session, Therapist, therapist_id)
            if therapist is None:
                raise NotFound("no such therapist")
            client = Client(therapist=therapist, name=name)
            session.add(client)
            session.flush()
            audit.record(session, therapist_id, "client_added", f"client {client.id}")
            return client.id

    def clients(self, therapist_id: int) -> list[ClientView]:
        """The therapist's clients, in the order they were added."""
        with self.transaction() as session:
            rows = session.scalars(select(Client).where(Client.therapist_id == therapist_id)
                                   .order_by(Client.id))
            return [_client_view(client) for client in rows]

    def client(self, therapist_id: int, client_id: int) -> ClientView:
        with self.transaction() as session:
            return _client_view(_owned_client(session, therapist_id, client_id))

    def delete_client(self, therapist_id: int, client_id: int) -> None:
        """The client goes, and their plans and every version of them with them."""
        with self.transaction() as session:
            session.delete(_owned_client(session, therapist_id, client_id))
            audit.record(session, therapist_id, "client_deleted", f"client {client_id}")

    def add_plan(self, therapist_id: int, client_id: int, title: str, routine_yaml: str, *,
                 times_per_week: int | None = None, until: dt.date | None = None,
                 note: str = "") -> PlanView:
        """A new plan (version 1 of `routine_yaml`) for the therapist's client, with a
        fresh private token."""
        title = _text("title", title, TITLE_MAX)
        _check_schedule(times_per_week, note)
        with self.transaction() as session:
            client = _owned_client(session, therapist_id, client_id)
            plan = Plan(client=client, title=title, token=secrets.token_urlsafe(32),
                        times_per_week=times_per_week, until=until, note=note,
                        versions=[PlanVersion(number=1, routine_yaml=routine_yaml)])
            session.add(plan)
            session.flush()
            audit.record(session, therapist_id, "plan_added", f"plan {plan.id}")
            return _plan_view(plan)

    def revise_plan(self, therapist_id: int, plan_id: int, routine_yaml: str, *,
                    title: str | None = None, times_per_week: int | None = None,
                    until: dt.date | None = None, note: str | None = None) -> PlanView:
        """A new version of the plan's routine (the earlier ones are kept); with `title`,
        the plan's title, schedule and note are replaced too."""
        if title is not None:
            title = _text("title", title, TITLE_MAX)
            _check_schedule(times_per_week, note or "")
        with self.transaction() as session:
            plan = _owned_plan(session, therapist_id, plan_id)
            if title is not None:
                plan.title, plan.times_per_week = title, times_per_week
                plan.until, plan.note = until, note or ""
            plan.versions.append(PlanVersion(number=plan.versions[-1].number + 1,
                                             routine_yaml=routine_yaml))
            session.flush()
            audit.record(session, therapist_id, "plan_revised",
                         f"plan {plan.id}, version {plan.versions[-1].number}")
            return _plan_view(plan)

    def plan(self, therapist_id: int, plan_id: int) -> PlanView:
        with self.transaction() as session:
            return _plan_view(_owned_plan(session, therapist_id, plan_id))

    def latest(self) -> list[PlanView]:
        """Every plan, as its latest version, oldest plan first: what the builder keeps
        built (it is no therapist: it reads all, and shows nothing to anyone)."""
        with self.transaction() as session:
            return [_plan_view(plan) for plan in session.scalars(select(Plan).order_by(Plan.id))]

    def plan_by_token(self, token: str) -> PlanView | None:
        """The plan a private link names, or None (no therapist asks: the token is the
        key, 256 random bits)."""
        if not isinstance(token, str) or not token or len(token) > 64:
            return None
        with self.transaction() as session:
            plan = session.scalar(select(Plan).where(Plan.token == token))
            return _plan_view(plan) if plan else None


def normal_email(email: str) -> str:
    """An email as accounts are keyed by it: stripped and lower-case (so it is unique as
    people mean it; RFC 5321 lets the part before @ be case-sensitive, but no provider in
    use is)."""
    return email.strip().lower() if isinstance(email, str) else ""


def _check_schedule(times_per_week: int | None, note: str) -> None:
    if times_per_week is not None and not 1 <= times_per_week <= 21:
        raise InvalidInput("times_per_week", "give 1 to 21 times a week")
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", f"it is longer than {NOTE_MAX} characters")


def _get(session: Session, model: type[T], row_id: int) -> T | None:
    """The row of `model` with this id, or None; None too, without asking, for an id no
    INTEGER column holds (a URL can carry any number of digits, and the driver would fail
    to send it: OverflowError in SQLite, "integer out of range" in PostgreSQL)."""
    if not isinstance(row_id, int) or not 0 < row_id <= ID_MAX:
        return None
    return session.get(model, row_id)


def _owned_client(session: Session, therapist_id: int, client_id: int) -> Client:
    client = _get(session, Client, client_id)
    if client is None or client.therapist_id != therapist_id:
        raise NotFound("no such client")
    return client


def _owned_plan(session: Session, therapist_id: int, plan_id: int) -> Plan:
    plan = _get(session, Plan, plan_id)
    if plan is None or plan.client.therapist_id != therapist_id:
        raise NotFound("no such plan")
    return plan


def _client_view(client: Client) -> ClientView:
    return ClientView(client.id, client.name, tuple(plan.id for plan in client.plans))


def _plan_view(plan: Plan) -> PlanView:
    latest = plan.versions[-1]
    return PlanView(plan.id, plan.client_id, plan.title, plan.token, latest.number,
                    latest.routine_yaml, plan.times_per_week, plan.until, plan.note,
                    plan.progress_shared)


def _text(field: str, value: str, longest: int) -> str:
    """`value` stripped, then measured (the spaces a form keeps around a name are not
    the person's 80 characters); InvalidInput when it shows nothing, is too long, or
    holds characters that do not show as text (which would reach pages, feeds and
    speech: plans.text)."""
    value = value.strip() if isinstance(value, str) else ""
    if not value:
        raise InvalidInput(field, "it is empty")
    if len(value) > longest:
        raise InvalidInput(field, f"it is longer than {longest} characters")
    if text.hidden(value):
        raise InvalidInput(field, "it holds control or invisible characters")
    if not text.shows(value):
        raise InvalidInput(field, "it has no character that shows")
    return value


def _in_memory(url: URL) -> bool:
    """Whether a URL is of SQLite and names no file: sqlite://, :memory:, a memory URI."""
    if url.get_backend_name() != "sqlite":
        return False
    database = url.database or ""
    return (not database or ":memory:" in database or "mode=memory" in database
            or url.query.get("mode") == "memory")


def _make_folder(engine) -> None:
    """The folder of a SQLite file, with its parents: SQLite makes a missing file but not
    its folder, and the data home does not exist before the first command."""
    if engine.dialect.name != "sqlite":
        return
    folder = Path(engine.url.database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = "a file has that name" if isinstance(exc, FileExistsError) else exc.strerror
        raise Unavailable(f"Cannot make the folder {folder} for the plans database: "
                          f"{reason or exc}") from exc


def _owner_only(engine) -> None:
    """A SQLite file readable by its owner only (it holds password hashes and clients'
    names); SQLite gives its journal files the same mode."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if path and os.path.exists(path):
        os.chmod(path, 0o600)


def _shown(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (SQLAlchemyError, ValueError):
        return "(an address that is not a database URL)"


def _sqlite_rules(connection, record) -> None:
    # SQLite enforces foreign keys (and so ON DELETE CASCADE) only when asked, per connection.
    connection.execute("PRAGMA foreign_keys = ON")
    # The transactions are begun by _begin_immediate, not by the driver (which would begin
    # them only at the first write, after the reads a check depends on).
    connection.isolation_level = None


def _begin_immediate(connection) -> None:
    """Every transaction takes SQLite's write lock when it begins: two that read, then
    write (a one-time link used twice at once, two sign-ins counted against one limit)
    run one after the other, instead of both reading the state before either wrote, or
    failing with "database is locked" as they wait for each other (SQLAlchemy's recipe,
    "Serializable isolation / Savepoints / Transactional DDL" for pysqlite)."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


__all__ = ["ClientView", "PlanView", "Store"]
