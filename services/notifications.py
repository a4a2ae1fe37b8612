"""In-app notices: written in the service's transaction, published after commit, listed on the start page."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from models.base import utcnow
from models.notification import Notification
from services import bus
from services.permissions import require_active

N = Notification.__table__


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    text: str  # catalogue key
    params: dict[str, Any]
    url: str
    created_at: datetime


def notify(session: Session, user_ids: Iterable[int], *, kind: str, text: str, url: str = '', group_key: str = '',
           actor_id: int | None = None, **params: Any) -> list[int]:
    """Add a notice for each member (in the caller's transaction); returns who got one, for `announce`.

    `group_key` names what it is about ('thread:12', 'event:5', 'conversation:3'); `actor_id` who caused it.
    """
    ids = sorted(set(user_ids))
    payload = json.dumps(params, ensure_ascii=False, default=str)
    for user_id in ids:
        session.add(Notification(user_id=user_id, kind=kind, text=text, params=payload, url=url, group_key=group_key,
                                 actor_id=actor_id))
    return ids


def announce(user_ids: list[int]) -> None:
    """Tell open pages after the commit (the notifications issue builds the bell on this topic)."""
    if user_ids:
        bus.publish('notifications.new', user_ids=user_ids)


def unread(session: Session, *, viewer: Any, limit: int = 10) -> list[NoticeView]:
    require_active(viewer)
    rows = session.execute(select(N.c.id, N.c.kind, N.c.text, N.c.params, N.c.url, N.c.created_at).where(
        N.c.user_id == viewer.id, N.c.read_at.is_(None)).order_by(N.c.id.desc()).limit(max(1, min(limit, 50)))).all()
    return [NoticeView(r[0], r[1], r[2], json.loads(r[3] or '{}'), r[4], r[5]) for r in rows]


def mark_read(session: Session, *, actor: Any, notice_id: int | None = None) -> None:
    """Mark one of my notices (or all of them) as read; someone else's id changes nothing."""
    require_active(actor)
    query = update(N).where(N.c.user_id == actor.id, N.c.read_at.is_(None))
    if notice_id is not None:
        query = query.where(N.c.id == notice_id)
    session.execute(query.values(read_at=utcnow()))
    session.commit()
