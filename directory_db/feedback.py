"""Store and summarise the anonymous feedback of conversations (see orm/feedback.py for what is kept)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ovi_lang.needs import NEEDS

from .orm.feedback import ConversationFeedback


def store_feedback(session: Session, *, helpful: bool, needs: Sequence[str], language: str,
                   day: date | None = None) -> ConversationFeedback:
    """Add one answer; unknown need keys and languages are refused (the row must stay anonymous data)."""
    unknown = [key for key in needs if key not in NEEDS]
    if unknown:
        raise ValueError(f"tuntemattomat tarpeet: {unknown}")
    if language not in ("fi", "sv", "en"):
        raise ValueError(f"tuntematon kieli: {language!r}")
    row = ConversationFeedback(day=day or date.today(), helpful=helpful, needs=",".join(needs),
                               language=language)
    session.add(row)
    session.flush()
    return row


def feedback_summary(session: Session) -> dict[str, tuple[int, int]]:
    """Main need → (helpful answers, all answers)."""
    main = func.substr(ConversationFeedback.needs, 1, 200)
    rows = session.execute(select(main, ConversationFeedback.helpful, func.count()).group_by(
        main, ConversationFeedback.helpful)).all()
    summary: dict[str, tuple[int, int]] = {}
    for needs, helpful, count in rows:
        key = (needs or "").split(",")[0] or "-"
        yes, total = summary.get(key, (0, 0))
        summary[key] = (yes + (count if helpful else 0), total + count)
    return summary
