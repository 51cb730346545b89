"""Residents' answers to "oliko tästä apua?" at the end of a conversation, kept for the maintainers.

Anonymous by construction: the day (not the time), whether it helped, which needs were asked about and the
reply language. No sender id, no message, no place: nothing that could lead back to a person.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ConversationFeedback(Base):
    __tablename__ = "conversation_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    needs: Mapped[str] = mapped_column(String(200))
    """Comma-separated need keys (ovi_lang.needs), main first."""
    language: Mapped[str] = mapped_column(String(8))
