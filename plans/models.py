"""The tables of plans/, as SQLAlchemy declarative models. Alembic's migrations
(plans/migrations/versions) create exactly these; a test compares the two."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Constraint names fixed by convention, so migrations name them alike on SQLite and
# PostgreSQL (alembic.sqlalchemy.org, "The Importance of Naming Constraints").
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}
EMAIL_MAX = 254      # RFC 5321's limit on a forward path, the longest address in use
NAME_MAX = 80
TITLE_MAX = 120
NOTE_MAX = 500       # a note for the client, shown on the plan's pages
TOKEN_LENGTH = 43    # secrets.token_urlsafe(32): 256 random bits in base64url


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """A time read back from a DateTime column, in UTC: SQLite gives back naive datetimes
    for what was stored in UTC, PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def digest(secret: str) -> str:
    """How a secret or a personal key is kept in the tables (a one-time link's token, an
    email or address counted against a limit, a listener): its SHA-256, in hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Therapist(Base):
    """A therapist's account; the email is kept lower-case, so it is unique as people
    mean it."""

    __tablename__ = "therapists"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Part of every signed-in session's id: raised when the password changes, so that every
    # session signed in with the old one ends (Flask-Login's "alternative tokens").
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    clients: Mapped[list[Client]] = relationship(back_populates="therapist",
                                                 cascade="all, delete-orphan")


class Client(Base):
    """A therapist's client: a display name or initials only, no health data."""

    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(
        ForeignKey("therapists.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    therapist: Mapped[Therapist] = relationship(back_populates="clients")
    plans: Mapped[list[Plan]] = relationship(back_populates="client",
                                             cascade="all, delete-orphan")


class Plan(Base):
    """A routine written for one client, with a schedule (times a week, until a date) and
    a note; its private page, audio and feed live under `token`."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), unique=True)
    times_per_week: Mapped[int | None] = mapped_column(Integer)
    until: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    progress_shared: Mapped[bool | None] = mapped_column(Boolean)
    """Whether the client lets their therapist see their progress; None: not asked yet
    (or asked again: a new share code may reach someone else)."""
    progress_answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    client: Mapped[Client] = relationship(back_populates="plans")
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.number")


class PlanVersion(Base):
    """One version of a plan's routine (YAML, as a routine file), numbered from 1; a new
    one for every edit, so a session in progress keeps the audio it started."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    routine_yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    plan: Mapped[Plan] = relationship(back_populates="versions")


class OneTimeLink(Base):
    """A link that sets a therapist's password, once, before `expires_at`: its token is
    kept only as a SHA-256 digest, so a copy of the database opens no account."""

    __tablename__ = "one_time_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int] = mapped_column(
        ForeignKey("therapists.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Attempt(Base):
    """A failed attempt (a sign-in, later a code said to the speaker) counted against a
    limit: `key` is a SHA-256 digest of what was limited (an email, an address), never the
    value itself. Kept in the database so that every worker counts the same attempts."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_scope_key_at", "scope", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """One line of a therapist's audit log: a sign-in (or a failed one), a password set,
    a client or plan added, changed or deleted. It outlives the client it names (by id)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    therapist_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapists.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(255), default="")


class ShareCode(Base):
    """A plan's share code (six digits, unique), live until `expires_at` for saying; once
    said, `listener` (a SHA-256 digest of the Alexa person or user) has the plan, and the
    code opens it for nobody else; `account` (a digest of the Alexa user) is the account
    whose speakers play it. One per plan: a new one replaces it."""

    __tablename__ = "share_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                         unique=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    listener: Mapped[str | None] = mapped_column(String(64), index=True)
    linked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    account: Mapped[str | None] = mapped_column(String(64))
    plan: Mapped[Plan] = relationship()


class ListeningSession(Base):
    """One routine or plan played (issue 14), by `owner`: a SHA-256 digest of whose it is
    (the Alexa person or account; a plan's private link). `plan_id` names the plan it came
    from, if any (its therapist may see it, with the client's consent; deleted with it).
    `played_ms` is how much was actually heard; `steps_done` the steps whose end tone was
    reached, as comma-separated indices."""

    __tablename__ = "listening_sessions"
    # By owner for their history; by start alone for deleting what is older than a year,
    # which every new session does.
    __table_args__ = (Index("ix_listening_sessions_owner_started_at", "owner", "started_at"),
                      Index("ix_listening_sessions_started_at", "started_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(64))
    account: Mapped[str | None] = mapped_column(String(64), index=True)
    """A digest of the Alexa account it was played on (None: on the web), so that
    disabling the skill deletes every voice profile's history of that account."""
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"),
                                                index=True)
    routine: Mapped[str] = mapped_column(String(TITLE_MAX))
    build: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    played_ms: Mapped[int] = mapped_column(Integer, default=0)
    steps_done: Mapped[str] = mapped_column(Text, default="")
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    pains: Mapped[list[PainReport]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="PainReport.at")


class PainReport(Base):
    """"It hurts", said during a session, at a step (None: before or after the steps)."""

    __tablename__ = "pain_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("listening_sessions.id", ondelete="CASCADE"), index=True)
    step: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    session: Mapped[ListeningSession] = relationship(back_populates="pains")
