"""Accounts, login sessions and (later) identities from school logins."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

import sqlalchemy as sa
from flask_babel import gettext
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db


class CareerStage(StrEnum):
    """The career line of the seed: student → starter → experienced → expert."""

    STUDENT = "student"
    STARTER = "starter"
    EXPERIENCED = "experienced"
    EXPERT = "expert"


class SchoolType(StrEnum):
    PRIMARY = "po"
    SECONDARY = "vo"
    VOCATIONAL = "mbo"


LANGUAGES = ("nl", "en")

#: What a deleted account's name column holds. Pages show the translated "Former member" (see
#: `User.display_name`); this is what SQL that reads the column itself sees.
FORMER_MEMBER_NAME = "Oud-lid"


class User(CreatedAtMixin, db.Model):
    """A person with an account. Roles in organisations live with the organisations."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Normalised e-mail address (trimmed, NFKC, lower case); unique in that form.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    #: The name others see (read it through `display_name`, which knows about deleted accounts).
    _display_name: Mapped[str] = mapped_column("display_name", sa.String(120), nullable=False)
    #: scrypt hash (werkzeug format); empty for accounts that only log in through a school login.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    #: False once deactivated by an admin: cannot log in, existing sessions end.
    active: Mapped[bool] = mapped_column(default=True, nullable=False)
    #: Platform administrator (manages users, themes, the outbox).
    is_admin: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: Network coordinator: sees the Amsterdam-wide views of demand, supply and pilots.
    is_coordinator: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: Where the person stands in the career line; empty until they say.
    career_stage: Mapped[CareerStage | None] = mapped_column(str_enum(CareerStage, 20))
    #: The school type they teach in (po, vo, mbo); empty until they say.
    school_type: Mapped[SchoolType | None] = mapped_column(str_enum(SchoolType, 10))
    #: Subjects taught, as the person writes them ("wiskunde", "groep 5").
    subjects: Mapped[list[str]] = mapped_column(sa.JSON, default=list, nullable=False)
    #: A short introduction, plain text.
    bio: Mapped[str] = mapped_column(sa.String(1000), default="", nullable=False)
    #: Whether members of the person's communities see their school and career stage.
    show_profile_to_members: Mapped[bool] = mapped_column(
        default=True, server_default=sa.true(), nullable=False
    )
    #: "nl" or "en"; empty means the browser's choice (or Dutch).
    preferred_language: Mapped[str | None] = mapped_column(sa.String(5))
    #: Last successful login (UTC).
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Successful logins so far; updated in SQL so concurrent logins all count.
    login_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: When an admin deactivated the account.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the person deleted their account: the row stays (as "former member") so that what
    #: they wrote keeps its place, but every personal field is emptied.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sessions: Mapped[list[LoginSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )
    identities: Mapped[list[ExternalIdentity]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # -- the name, or "former member" ---------------------------------------------------------

    @hybrid_property
    def display_name(self) -> str:
        """The name others see; "Former member" (translated) once the account is deleted, so
        that every page, mail and API answer that names an author says so without knowing why."""
        if self.deleted_at is not None:
            return gettext("Former member")
        return self._display_name

    @display_name.inplace.setter
    def _display_name_setter(self, value: str) -> None:
        self._display_name = value

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls) -> sa.ColumnElement[str]:
        # In SQL (filters, ordering, selected names) it stays the column.
        return cls._display_name  # type: ignore[return-value]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    # -- Flask-Login -------------------------------------------------------------------------
    #: Set by the login service so that Flask-Login stores the login session's key, not the
    #: user id: the key is what a logout or a deactivation revokes.
    current_session_key = None  # str | None; not a column (hence no annotation)
    #: When that login session ends (datetime | None); not a column.
    current_session_ends_at = None
    #: What the login statement read besides the account (`services.load_session_user`), by
    #: name; not a column.
    login_figures = MappingProxyType({})  # Mapping[str, Any]; replaced per loaded user

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        if self.current_session_key is None:
            raise RuntimeError("a user is only logged in through plc.auth.services.log_in")
        return self.current_session_key

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def hash_session_key(key: str) -> str:
    """Only the hash of a session key is stored, so a copy of the database logs nobody in."""
    return hashlib.sha256(key.encode()).hexdigest()


class LoginSession(CreatedAtMixin, db.Model):
    """One login on one browser. A new one at every login; ended by logout or deactivation."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256 of the random key held in the browser's session (and remember-me) cookie.
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    #: Whose login this is.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: After this moment the key no longer logs anyone in.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: When the session was ended (logout, deactivation, password change); empty while valid.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The browser's description, so a person can recognise their sessions.
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="", nullable=False)

    user: Mapped[User] = relationship(back_populates="sessions")

    def is_valid(self) -> bool:
        return self.ended_at is None and self.expires_at > utcnow()


class ExternalIdentity(CreatedAtMixin, db.Model):
    """A school or institute login attached to an account (Entree Federatie, SURFconext).

    Nothing creates these yet; the table is here so that attaching a SAML/OIDC login later is
    a new login route, not a change to accounts.
    """

    __tablename__ = "external_identity"
    __table_args__ = (sa.UniqueConstraint("provider", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "entree" or "surfconext".
    provider: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    #: The provider's stable, pseudonymous identifier of the person.
    subject: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    #: The home organisation the provider vouched for (Entree: the school's BRIN code).
    home_organisation: Mapped[str | None] = mapped_column(sa.String(64))
    #: The account this identity logs in to.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )

    user: Mapped[User] = relationship(back_populates="identities")


class ConsentDocument(StrEnum):
    PRIVACY_STATEMENT = "privacy_statement"


class Consent(CreatedAtMixin, db.Model):
    """A person's consent to a version of a document, with its time; withdrawn, not deleted.

    One active (not withdrawn) row per person, document and version: the partial unique index
    settles a double click or a second tab. A withdrawn row stays as it is, so accepting the
    same version again after withdrawing adds a new row, and the history reads in order:
    accepted, withdrawn, accepted again (plc/auth/consents.py)."""

    __tablename__ = "consent"
    __table_args__ = (
        sa.Index(
            "uq_consent_active",
            "user_id",
            "document",
            "version",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    document: Mapped[ConsentDocument] = mapped_column(str_enum(ConsentDocument, 30), nullable=False)
    #: The document's version ("2026-11"), as shown on its page.
    version: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
