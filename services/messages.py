"""Direct messages between members: conversations of two or a small group, read marks, blocks and reports."""

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from models.message import ConversationMember, Message
from services.permissions import require_active

CM = ConversationMember.__table__
M = Message.__table__


def unread_count(session: Session, *, viewer: Any) -> int:
    """How many of my conversations have messages from others that I have not seen (the navigation's badge)."""
    require_active(viewer)
    newer = select(M.c.conversation_id).where(
        M.c.conversation_id == CM.c.conversation_id, M.c.id > CM.c.last_read_message_id,
        M.c.author_id != viewer.id).exists()
    return session.execute(select(func.count()).select_from(CM).where(
        CM.c.user_id == viewer.id, CM.c.left_at.is_(None), newer)).scalar_one()
