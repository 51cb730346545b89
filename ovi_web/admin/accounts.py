"""Maintainers' accounts: argon2 password hashes, the lock-out after failed logins, and login sessions.

Synchronous, on a SQLAlchemy session (the routes run it in a worker thread). Nothing here knows HTTP.

- A password is stored only as an argon2id hash (``argon2-cffi``'s defaults, RFC 9106 low-memory profile);
  a hash made with older parameters is replaced at the next successful login.
- After ``MAX_FAILED`` failed logins in a row an account is locked for ``LOCK_MINUTES``; the counter starts
  again from zero after a successful login or an admin's unlock. An unknown user name costs the same hash
  check as a known one, so the answer's timing does not tell which names exist.
- A session is a random token (the cookie) whose SHA-256 is the row's key; it ends after ``IDLE_HOURS``
  without use or ``MAX_HOURS`` after login, at logout, or at "log out everywhere" (every session of the user).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from directory_db.models import ROLES, AdminSession, AdminUser, as_utc, utcnow

MAX_FAILED = 5
LOCK_MINUTES = 15
IDLE_HOURS = 2
MAX_HOURS = 12
MIN_PASSWORD = 12
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")

_hasher = PasswordHasher()
# Verified against for unknown user names, so that they take as long as known ones.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A refused account operation, said in Finnish."""


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Salasanassa pitää olla vähintään {MIN_PASSWORD} merkkiä.")
    if password.strip() != password:
        raise AccountError("Salasana ei saa alkaa eikä päättyä välilyöntiin.")


def add_user(session: Session, username: str, password: str, role: str) -> AdminUser:
    """Create an account (flushed, not committed)."""
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError(
            "Käyttäjätunnuksessa saa olla 2–64 merkkiä: pieniä kirjaimia a–z, numeroita ja . _ @ -"
        )
    if role not in ROLES:
        raise AccountError(f"Tuntematon rooli {role!r}; sallitut: {', '.join(ROLES)}.")
    check_password_rules(password)
    if session.scalar(select(AdminUser).where(AdminUser.username == name)) is not None:
        raise AccountError(f"Käyttäjätunnus {name} on jo käytössä.")
    user = AdminUser(username=name, password_hash=_hasher.hash(password), role=role, active=True,
                     failed_logins=0, created_at=utcnow())
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: AdminUser, password: str) -> None:
    """A new password ends every session of the user (a stolen session does not survive the change)."""
    check_password_rules(password)
    user.password_hash = _hasher.hash(password)
    end_all_sessions(session, user)


def find_user(session: Session, username: str) -> AdminUser | None:
    return session.scalar(select(AdminUser).where(AdminUser.username == username.strip().lower()))


@dataclass(frozen=True)
class LoginResult:
    user: AdminUser | None
    locked_until: datetime | None = None
    """Set when the account is locked (now or by this very attempt)."""


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> LoginResult:
    """Check a login; counts failures and locks the account (flushed, not committed: commit either way)."""
    now = now or utcnow()
    user = find_user(session, username)
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None)
    if user.locked_until is not None and as_utc(user.locked_until) > now:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None, as_utc(user.locked_until))
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            end_all_sessions(session, user)
        session.flush()
        return LoginResult(None, as_utc(user.locked_until) if user.locked_until else None)
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.flush()
    return LoginResult(user)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def now_locked(user: AdminUser, now: datetime | None = None) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > (now or utcnow())


def unlock(session: Session, user: AdminUser) -> None:
    user.failed_logins = 0
    user.locked_until = None
    session.flush()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session, user: AdminUser, *, now: datetime | None = None
) -> tuple[str, AdminSession]:
    """A new login session: returns the cookie token (shown once, stored only as its hash) and the row."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    row = AdminSession(token_hash=_digest(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                       created_at=now, last_seen=now, expires_at=now + timedelta(hours=MAX_HOURS))
    session.add(row)
    # Old sessions of anyone are swept at each login: the table holds live sessions only.
    session.execute(delete(AdminSession).where(AdminSession.expires_at < now))
    session.flush()
    return token, row


def session_of(session: Session, token: str, *, now: datetime | None = None) -> AdminSession | None:
    """The live session of a cookie token (its idle clock restarted), or None."""
    if not token:
        return None
    now = now or utcnow()
    row = session.get(AdminSession, _digest(token))
    if row is None:
        return None
    if (as_utc(row.expires_at) <= now or as_utc(row.last_seen) + timedelta(hours=IDLE_HOURS) <= now
            or not row.user.active):
        session.delete(row)
        session.flush()
        return None
    row.last_seen = now
    session.flush()
    return row


def end_session(session: Session, token: str) -> None:
    session.execute(delete(AdminSession).where(AdminSession.token_hash == _digest(token)))


def end_all_sessions(session: Session, user: AdminUser) -> int:
    """Log the user out everywhere; returns how many sessions ended."""
    result = session.execute(delete(AdminSession).where(AdminSession.user_id == user.id))
    return int(getattr(result, "rowcount", 0) or 0)


def same_token(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())
