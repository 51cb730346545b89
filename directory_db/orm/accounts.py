"""Maintainers' accounts and their login sessions (the admin at ``/admin``; logic in ``ovi_web.admin``).

Only what login needs is kept: a user name, an argon2 hash (never the password), a role, and the counters of
the lock-out. A session row is keyed by the SHA-256 of the random token in the browser's cookie, so a copy
of the database does not hand out live sessions; its CSRF token is what every form of that session carries.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

ROLES = ("maintainer", "admin")
"""A maintainer keeps the data (edit, verify, reports, import dry-run); an admin also commits imports,
archives records and manages accounts."""


class AdminUser(Base):
    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    """Failed logins since the last successful one (reset by a login or an unlock)."""
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[AdminSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )


class AdminSession(Base):
    __tablename__ = "admin_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("admin_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[AdminUser] = relationship(back_populates="sessions", lazy="joined")
