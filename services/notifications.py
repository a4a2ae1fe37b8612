"""Notices for members: who gets which, in which channel, the notification centre's list and the preferences.

`notify` adds the rows in the caller's transaction (after checking who may get them: active members, not the one who
caused it, not those who switched that kind off); `announce` tells open pages after the commit. The text is a German
catalogue key with {params}, so every reader sees it in their own language.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, bindparam, case, cast, func, literal, select, update
from sqlmodel import Session

from models.base import utcnow
from models.notification import CHANNELS, DEFAULT_CHANNELS, KINDS, Notification, NotificationPreference
from models.user import Status, User
from services import bus
from services.errors import Invalid
from services.permissions import require_active

N = Notification.__table__
NP = NotificationPreference.__table__
U = User.__table__

PAGE_SIZE = 30  # groups per page of /notifications
GROUP_SHOWN = 3  # notices shown per group; the rest is counted

# German labels (catalogue keys) of the kinds and channels, for the preferences on /account.
KIND_LABELS = {
    'reply': 'Antworten in Themen, die ich beobachte',
    'mention': 'Erwähnungen (@Name)',
    'reaction': 'Reaktionen auf meine Beiträge',
    'solution': 'Meine Antwort wurde als Lösung markiert',
    'event.changed': 'Änderungen an Veranstaltungen',
    'event.cancelled': 'Absagen von Veranstaltungen',
    'event.reminder': 'Erinnerungen an Veranstaltungen',
    'event.promoted': 'Nachgerückt von der Warteliste',
    'message': 'Direktnachrichten',
    'account.approved': 'Freischaltung meiner Registrierung',
    'moderation.report': 'Bearbeitung meiner Meldungen',
}
CHANNEL_LABELS = {
    'app': 'Nur in der App',
    'email': 'Sofort per E-Mail',
    'daily': 'Tägliche Zusammenfassung',
    'weekly': 'Wöchentliche Zusammenfassung',
    'off': 'Aus',
}


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    text: str  # catalogue key
    params: dict[str, Any]
    url: str
    created_at: datetime
    read: bool = False
    group_key: str = ''


@dataclass(frozen=True)
class NoticeGroup:
    key: str  # the group_key, or 'notice:<id>' for a notice that belongs to no group
    notices: tuple[NoticeView, ...]  # newest first, at most GROUP_SHOWN
    total: int  # notices in the group
    unread: int

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.notices))


@dataclass(frozen=True)
class NoticePage:
    groups: list[NoticeGroup]
    page: int
    pages: int
    unread: int


# ---------------------------------------------------------------- preferences


def get_preferences(session: Session, *, actor: Any) -> dict[str, str]:
    """{kind: channel} for every kind; DEFAULT_CHANNELS where the member chose nothing."""
    require_active(actor)
    chosen = dict(session.execute(select(NP.c.kind, NP.c.channel).where(NP.c.user_id == actor.id)).all())
    return {kind: chosen[kind] if chosen.get(kind) in CHANNELS else DEFAULT_CHANNELS[kind] for kind in KINDS}


def set_preference(session: Session, *, actor: Any, kind: str, channel: str) -> None:
    """How I want to learn about one kind of notice."""
    require_active(actor)
    if kind not in KINDS:
        raise Invalid('kind', 'Diese Art von Benachrichtigung gibt es nicht.')
    if channel not in CHANNELS:
        raise Invalid(kind, 'Bitte wählen Sie einen der angebotenen Wege.')
    row = session.get(NotificationPreference, (actor.id, kind))
    if row is None:
        session.add(NotificationPreference(user_id=actor.id, kind=kind, channel=channel))
    else:
        row.channel = channel
        session.add(row)
    session.commit()


# ---------------------------------------------------------------- making notices


def recipients(session: Session, user_ids: Iterable[int], kind: str, actor_id: int | None = None) -> dict[int, str]:
    """{user id: channel} of those who get a notice of this kind: active members other than the actor whose
    channel for it is not 'off'. One query for all of them."""
    ids = {int(i) for i in user_ids if i is not None} - {actor_id}
    if not ids or kind not in KINDS:
        return {}
    rows = session.execute(select(U.c.id, NP.c.channel).select_from(
        U.outerjoin(NP, and_(NP.c.user_id == U.c.id, NP.c.kind == kind))).where(
        U.c.id.in_(sorted(ids)), U.c.status == Status.ACTIVE)).all()
    default = DEFAULT_CHANNELS[kind]
    chosen = {user_id: channel if channel in CHANNELS else default for user_id, channel in rows}
    return {user_id: channel for user_id, channel in sorted(chosen.items()) if channel != 'off'}


def notify(session: Session, user_ids: Iterable[int], *, kind: str, text: str, url: str = '', group_key: str = '',
           actor_id: int | None = None, **params: Any) -> list[int]:
    """Add a notice for each member who gets one (in the caller's transaction); returns who got one, for `announce`.

    `group_key` names what it is about ('thread:12', 'event:5', 'conversation:3'); `actor_id` who caused it (never
    told). `Notification.email` keeps the member's channel for the mail worker: '' for the app only.
    """
    if kind not in KINDS:
        raise ValueError(f'unknown notification kind {kind!r}')  # a programming error: every kind has a preference
    told = recipients(session, user_ids, kind, actor_id)
    if not told:
        return []
    payload = json.dumps(params, ensure_ascii=False, default=str)
    now = utcnow()
    session.execute(N.insert(), [
        {'user_id': user_id, 'kind': kind, 'text': text, 'params': payload, 'url': url[:300],
         'group_key': group_key[:40], 'actor_id': actor_id, 'created_at': now, 'read_at': None,
         'email': '' if channel == 'app' else channel, 'emailed_at': None}
        for user_id, channel in told.items()])
    return list(told)


def announce(user_ids: list[int]) -> None:
    """Tell open pages after the commit: their bells count anew."""
    if user_ids:
        bus.publish('notifications.new', user_ids=sorted(set(user_ids)))


def already_told(session: Session, user_id: int, *, kind: str, url: str, actor_id: int | None) -> bool:
    """Whether this member already has a notice of this kind about this place from this actor (e.g. a reaction
    taken back and given again tells only once)."""
    return session.execute(select(N.c.id).where(N.c.user_id == user_id, N.c.kind == kind, N.c.url == url,
                                                N.c.actor_id == actor_id).limit(1)).first() is not None


# ---------------------------------------------------------------- reading notices


def _view(row: Any) -> NoticeView:
    return NoticeView(row.id, row.kind, row.text, json.loads(row.params or '{}'), row.url, row.created_at,
                      row.read_at is not None, row.group_key)


def unread(session: Session, *, viewer: Any, limit: int = 10) -> list[NoticeView]:
    require_active(viewer)
    rows = session.execute(select(N).where(N.c.user_id == viewer.id, N.c.read_at.is_(None))
                           .order_by(N.c.id.desc()).limit(max(1, min(limit, 50)))).all()
    return [_view(r) for r in rows]


# Built once: every page's bell asks (building and keying it cost more than SQLite's answer).
_UNREAD = select(func.count()).select_from(N).where(N.c.user_id == bindparam('user_id'), N.c.read_at.is_(None))


def unread_count(session: Session, *, viewer: Any) -> int:
    require_active(viewer)
    return session.execute(_UNREAD, {'user_id': viewer.id}).scalar_one()


def unread_counts(session: Session, user_ids: Iterable[int]) -> dict[int, int]:
    """{user id: unread notices} for many members in one query (the bells of every open page)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    counts = dict(session.execute(select(N.c.user_id, func.count()).where(
        N.c.user_id.in_(ids), N.c.read_at.is_(None)).group_by(N.c.user_id)).all())
    return {i: counts.get(i, 0) for i in ids}


def _group_expr() -> Any:
    return case((N.c.group_key == '', literal('notice:', String) + cast(N.c.id, String)), else_=N.c.group_key)


def list_notices(session: Session, *, viewer: Any, page: int = 1, page_size: int = PAGE_SIZE) -> NoticePage:
    """My notices, newest first, grouped by what they are about (a thread, an event); a page of groups."""
    require_active(viewer)
    key = _group_expr().label('gkey')
    mine = select(N.c.id, N.c.read_at, key).where(N.c.user_id == viewer.id).subquery()
    total = session.execute(select(func.count(func.distinct(mine.c.gkey)))).scalar_one()
    unread_total = session.execute(select(func.count()).select_from(N).where(
        N.c.user_id == viewer.id, N.c.read_at.is_(None))).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    groups = session.execute(
        select(mine.c.gkey, func.max(mine.c.id).label('newest'), func.count().label('n'),
               func.sum(case((mine.c.read_at.is_(None), 1), else_=0)).label('unread'))
        .group_by(mine.c.gkey).order_by(func.max(mine.c.id).desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    keys = [g.gkey for g in groups]
    shown: dict[str, list[NoticeView]] = {k: [] for k in keys}
    if keys:
        ranked = select(N, key, func.row_number().over(partition_by=key, order_by=N.c.id.desc()).label('rank')).where(
            N.c.user_id == viewer.id, key.in_(keys)).subquery()
        for row in session.execute(select(ranked).where(ranked.c.rank <= GROUP_SHOWN)
                                   .order_by(ranked.c.id.desc())).all():
            shown[row.gkey].append(_view(row))
    return NoticePage([NoticeGroup(g.gkey, tuple(shown[g.gkey]), g.n, int(g.unread or 0)) for g in groups],
                      page, pages, unread_total)


def open_notice(session: Session, *, actor: Any, notice_id: int) -> str:
    """Mark one of my notices read and return where it leads ('' when it is not mine or has no local place)."""
    require_active(actor)
    row = session.execute(select(N.c.url, N.c.read_at).where(N.c.id == notice_id, N.c.user_id == actor.id)).first()
    if row is None:
        return ''
    if row.read_at is None:
        mark_read(session, actor=actor, notice_id=notice_id)
    url = row.url or ''
    return url if url.startswith('/') and not url.startswith('//') and '\\' not in url else ''


def mark_read(session: Session, *, actor: Any, notice_id: int | None = None) -> int:
    """Mark one of my notices (or all of them) as read; someone else's id changes nothing. Returns how many."""
    require_active(actor)
    query = update(N).where(N.c.user_id == actor.id, N.c.read_at.is_(None))
    if notice_id is not None:
        query = query.where(N.c.id == notice_id)
    done = session.execute(query.values(read_at=utcnow())).rowcount
    session.commit()
    if done:
        bus.publish('notifications.read', user_ids=[actor.id])
    return done
