"""Account rules: registration, login sessions, password reset, profile, deactivation."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from plc.auth.consents import record_consent
from plc.auth.models import CareerStage, LoginSession, SchoolType, User, hash_session_key
from plc.auth.passwords import hash_password, password_problem, verify_password
from plc.core.errors import ServiceError
from plc.core.hooks import hooks
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.pagecache import LoginProbe, page_reads, unseen_by_pages
from plc.core.urls import external_url
from plc.extensions import db

SESSION_LIFETIME = timedelta(hours=12)
REMEMBERED_SESSION_LIFETIME = timedelta(days=30)


def normalise_email(raw: str) -> str:
    """The form in which addresses are stored and compared: trimmed, NFKC, lower case.

    Raises ServiceError for something that is not an e-mail address.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    try:
        address = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ServiceError(_l("Enter a valid e-mail address."), field="email") from error
    return address.lower()


def find_user_by_email(raw: str) -> User | None:
    try:
        email = normalise_email(raw)
    except ServiceError:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email))


def _check_password(password: str, *inputs: str) -> None:
    problem = password_problem(password, [value for value in inputs if value])
    if problem is not None:
        raise ServiceError(problem, field="password")


def register(
    display_name: str,
    email: str,
    password: str,
    *,
    accepted_privacy: bool,
    language: str | None = None,
) -> User:
    """Sign up: an account, and the person's consent to the current privacy statement."""
    if not accepted_privacy:
        raise ServiceError(
            _l("Accept the privacy statement to create an account."), field="accept_privacy"
        )
    user = _create_account(display_name, email, password, language=language)
    record_consent(user)
    return user


def _create_account(
    display_name: str, email: str, password: str, *, language: str | None = None
) -> User:
    """Create an account. The unique index on the normalised address settles races."""
    email = normalise_email(email)
    display_name = display_name.strip()
    if not display_name:
        raise ServiceError(_l("Enter your name."), field="display_name")
    _check_password(password, display_name, email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise ServiceError(_l("An account with this e-mail address already exists."), field="email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        preferred_language=language,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except sa.exc.IntegrityError as error:
        # Someone registered the same address between our check and the insert.
        raise ServiceError(
            _l("An account with this e-mail address already exists."), field="email"
        ) from error
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, or None (same answer for every miss).

    Only reads, so that the slow password check can run in a read transaction; the caller
    records the login in a write transaction after `confirm_login`.
    """
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active or user.is_deleted:
        return None
    return user


def confirm_login(user_id: int, checked_hash: str | None) -> User | None:
    """The account `authenticate` accepted, read again in the transaction that records the login:
    None when it was deactivated, deleted or given another password since the check."""
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None or user.password_hash != checked_hash or not user.active or user.is_deleted:
        return None
    return user


def start_session(user: User, *, remember: bool, user_agent: str = "") -> str:
    """Open a new login session for `user` and return its key (to be stored in the cookie)."""
    key = secrets.token_urlsafe(32)
    lifetime = REMEMBERED_SESSION_LIFETIME if remember else SESSION_LIFETIME
    db.session.add(
        LoginSession(
            key_hash=hash_session_key(key),
            user_id=user.id,
            expires_at=utcnow() + lifetime,
            user_agent=user_agent[:255],
        )
    )
    # In SQL, so that concurrent logins each count. Bookkeeping no public page shows: it must
    # not clear every kept page that names a person (plc/core/pagecache.py).
    with unseen_by_pages():
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(login_count=User.login_count + 1, last_login_at=utcnow())
        )
    user.current_session_key = key
    return key


def _login_columns() -> list[tuple[str, sa.ScalarSelect[object]]]:
    return [hook() for hook in hooks("login_columns")]


def load_session_user(key: str) -> User | None:
    """The user behind a session key, if the session is still valid and the account active.

    Features read what every page of a logged-in person shows about them in the same statement
    (the unread notifications in the header): each `login_columns` hook gives a name and a
    scalar subquery on `User`, and the values are on `user.login_figures` by name.

    For a member's kept page (plc/core/pagecache.py) this statement reads only the person's
    row: their login session is checked by itself (`login_probe`) and the figures by value, so
    that other people's logins and notifications leave the member's copies alone."""
    columns = _login_columns()
    row = db.session.execute(
        sa.select(LoginSession, User, *(column.label(name) for name, column in columns))
        .join(User, LoginSession.user_id == User.id)
        .where(LoginSession.key_hash == hash_session_key(key))
        .execution_options(**page_reads(User.__tablename__))
    ).first()
    if row is None:
        return None
    login_session, user, *figures = row
    if not login_session.is_valid() or not user.active or user.is_deleted:
        return None
    user.current_session_key = key
    user.current_session_ends_at = login_session.expires_at
    user.login_figures = {name: value for (name, _), value in zip(columns, figures, strict=True)}
    return user


def login_probe() -> LoginProbe:
    """The login's figures for a session key while its session is open and its account active
    (`load_session_user`'s rules; the end of the session is checked by the caller): how a
    member's kept page is checked before the app runs, in one statement."""
    columns = _login_columns()
    statement = (
        sa.select(*(column.label(name) for name, column in columns))
        .select_from(LoginSession)
        .join(User, LoginSession.user_id == User.id)
        .where(
            LoginSession.key_hash == sa.bindparam("key_hash", ""),
            LoginSession.ended_at.is_(None),
            User.active.is_(True),
            User.deleted_at.is_(None),
        )
    )
    return LoginProbe(statement, lambda key: {"key_hash": hash_session_key(key)})


def end_session(key: str) -> None:
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.key_hash == hash_session_key(key), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(user: User, *, except_key: str | None = None) -> None:
    query = sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    if except_key is not None:
        query = query.where(LoginSession.key_hash != hash_session_key(except_key))
    db.session.execute(query.values(ended_at=utcnow()))


# -- password reset ----------------------------------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Changes with every new password hash (new salt), which makes each link single-use.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"u": user.id, "f": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an active account; silent otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = external_url("auth.reset_password", token=make_reset_token(user))
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 60)
    send_mail(
        user.email,
        user.preferred_language,
        _l("Reset your password for Leernetwerk Amsterdam"),
        "password_reset",
        user=user,
        link=link,
        minutes=minutes,
    )


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused reset token belongs to, or None."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds()
    try:
        data = _reset_serializer().loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active or data.get("f") != _password_fingerprint(user):
        return None
    return user


def set_password(user: User, password: str, *, keep_session: str | None = None) -> None:
    """Set a new password and end every other login session of the account."""
    _check_password(password, user.display_name, user.email)
    user.password_hash = hash_password(password)
    end_all_sessions(user, except_key=keep_session)
    db.session.flush()


def change_password(user: User, current: str, new: str, *, session_key: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ServiceError(_l("This is not your current password."), field="current_password")
    set_password(user, new, keep_session=session_key)


# -- profile and administration -----------------------------------------------------------------


@dataclass
class ProfileChanges:
    display_name: str
    career_stage: CareerStage | None
    school_type: SchoolType | None
    subjects: list[str]
    bio: str
    preferred_language: str | None
    show_profile_to_members: bool = True


def parse_subjects(text: str) -> list[str]:
    """'wiskunde, natuurkunde' → ['wiskunde', 'natuurkunde'] (trimmed, no duplicates)."""
    subjects: dict[str, str] = {}  # lower case → as first written
    for part in text.split(","):
        subject = part.strip()[:60]
        if subject:
            subjects.setdefault(subject.lower(), subject)
    return list(subjects.values())[:20]


def update_profile(user: User, changes: ProfileChanges) -> None:
    name = changes.display_name.strip()
    if not name:
        raise ServiceError(_l("Enter your name."), field="display_name")
    user.display_name = name
    user.career_stage = changes.career_stage
    user.school_type = changes.school_type
    user.subjects = changes.subjects
    user.bio = changes.bio.strip()
    user.preferred_language = changes.preferred_language
    user.show_profile_to_members = changes.show_profile_to_members
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        end_all_sessions(user)
    db.session.flush()


def set_platform_roles(user: User, *, is_admin: bool, is_coordinator: bool, acting: User) -> None:
    if user.id == acting.id and not is_admin:
        raise ServiceError(
            _l("You cannot take away your own administrator role."), field="is_admin"
        )
    user.is_admin = is_admin
    user.is_coordinator = is_coordinator
    db.session.flush()


def create_or_promote_admin(
    email: str, display_name: str, password: str | None
) -> tuple[User, bool]:
    """For `plc create-admin`: promote an existing account, or create one. Returns (user, created)."""
    user = find_user_by_email(email)
    if user is not None:
        user.is_admin = True
        user.active = True
        user.deactivated_at = None
        if password:
            set_password(user, password)
        db.session.flush()
        return user, False
    if not password:
        raise ServiceError(_l("A new account needs a password."), field="password")
    # The operator makes this account; its owner has not seen the privacy statement yet.
    user = _create_account(display_name, email, password)
    user.is_admin = True
    db.session.flush()
    return user, True
