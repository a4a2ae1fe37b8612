"""What is new for me on the boards: read marks, watching and muting, the "Ungelesen" list.

A thread has news for a member when it had activity inside their news window and they have not read it to the end.
The window starts at the latest of: NEWS_DAYS ago, the day they joined, and the moment they marked the board read.
So a new member is not greeted by 50,000 "unread" threads, and every count walks only the recently active threads
(an index on activity), not the whole history.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models.base import utcnow
from models.board import Board, BoardWatch, Thread, ThreadRead, WatchLevel
from models.user import User
from services import audit
from services.board_views import ThreadRow, authors, board_ref, live_thread, thread_row
from services.errors import Invalid, NotFound
from services.local_time import aware
from services.permissions import is_active, require_active

NEWS_DAYS = 30
UNREAD_PAGE_SIZE = 30

T = Thread.__table__
TR = ThreadRead.__table__
BW = BoardWatch.__table__
B = Board.__table__


@dataclass(frozen=True)
class ReadState:
    last_read_number: int
    watch: str


def news_since(session: Session, user_id: int) -> datetime:
    joined = session.execute(select(User.__table__.c.created_at).where(User.__table__.c.id == user_id)).scalar_one()
    window = utcnow() - timedelta(days=NEWS_DAYS)
    return max(window, aware(joined))




def news_condition(user_id: int, since: datetime) -> Any:
    """WHERE clause (over thread T, outer-joined thread_read TR and board_watch BW) for threads with news."""
    return and_(
        T.c.deleted.is_(False),
        T.c.last_post_at > since,
        or_(BW.c.read_before.is_(None), T.c.last_post_at > BW.c.read_before),
        or_(BW.c.watch.is_(None), BW.c.watch != WatchLevel.MUTED),
        or_(TR.c.thread_id.is_(None), and_(TR.c.watch != WatchLevel.MUTED, TR.c.last_read_number < T.c.post_count)),
    )


def _news_joins(user_id: int) -> Any:
    return (T.outerjoin(TR, and_(TR.c.thread_id == T.c.id, TR.c.user_id == user_id))
            .outerjoin(BW, and_(BW.c.board_id == T.c.board_id, BW.c.user_id == user_id)))


def news_per_board(session: Session, user_id: int, board_id: int | None = None, *,
                   since: datetime | None = None) -> dict[int, int]:
    """{board id: threads with news for this member}; one board only when `board_id` is given."""
    since = since or news_since(session, user_id)
    condition = news_condition(user_id, since)
    if board_id is not None:
        condition = and_(condition, T.c.board_id == board_id)
    rows = session.execute(select(T.c.board_id, func.count()).select_from(_news_joins(user_id))
                           .where(condition).group_by(T.c.board_id)).all()
    return {board_id: count for board_id, count in rows}


def count_news(session: Session, *, viewer: Any) -> int:
    require_active(viewer)
    return sum(news_per_board(session, viewer.id).values())


def read_states(session: Session, user_id: int, thread_ids: list[int]) -> dict[int, ReadState]:
    if not thread_ids:
        return {}
    rows = session.execute(select(TR.c.thread_id, TR.c.last_read_number, TR.c.watch).where(
        TR.c.user_id == user_id, TR.c.thread_id.in_(thread_ids))).all()
    return {r[0]: ReadState(r[1], r[2]) for r in rows}


def board_read_before(session: Session, user_id: int, board_id: int) -> tuple[datetime | None, str]:
    row = session.execute(select(BW.c.read_before, BW.c.watch).where(
        BW.c.user_id == user_id, BW.c.board_id == board_id)).first()
    return (aware(row[0]) if row and row[0] else None, row[1] if row else WatchLevel.NORMAL)


def news_of(thread: Thread, state: ReadState | None, since: datetime, board_read_before: datetime | None = None,
            board_muted: bool = False) -> tuple[bool, int, int | None]:
    """(is_new, unread posts, first unread number) of one thread for one member."""
    if board_read_before is not None:
        since = max(since, board_read_before)
    if board_muted or (state is not None and state.watch == WatchLevel.MUTED):
        return False, 0, None
    if aware(thread.last_post_at) <= since:
        return False, 0, None
    if state is None:
        return True, 0, None
    unread = max(0, thread.post_count - state.last_read_number)
    return False, unread, (state.last_read_number + 1 if unread else None)


def ensure_read_row(session: Session, user_id: int, thread_id: int, *, number: int = 0,
                    watch: str = WatchLevel.NORMAL) -> bool:
    """Add the member's read row for a thread unless it exists; True when added.

    An upsert, not "read, then insert": two tabs of the same member may open a thread at the same moment.
    """
    insert = pg_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    statement = insert(TR).values(user_id=user_id, thread_id=thread_id, last_read_number=number, watch=watch,
                                  viewed_at=utcnow()).on_conflict_do_nothing(index_elements=['user_id', 'thread_id'])
    return session.execute(statement).rowcount == 1


def mark_read(session: Session, *, actor: Any, thread_id: int, number: int, count_view: bool = False) -> None:
    """Move my read mark forward to `number` (never back); count a view for a first visit or after an hour."""
    require_active(actor)
    now = utcnow()
    counted = ensure_read_row(session, actor.id, thread_id, number=number) and count_view
    if not counted:
        session.execute(update(TR).where(TR.c.user_id == actor.id, TR.c.thread_id == thread_id,
                                         TR.c.last_read_number < number).values(last_read_number=number))
        if count_view:
            # Only the request that moves viewed_at counts the view, however many tabs ask at once.
            counted = session.execute(update(TR).where(
                TR.c.user_id == actor.id, TR.c.thread_id == thread_id, TR.c.viewed_at < now - timedelta(hours=1))
                .values(viewed_at=now)).rowcount == 1
    if counted:
        session.execute(update(T).where(T.c.id == thread_id).values(view_count=T.c.view_count + 1))
    session.commit()


def mark_read_many(session: Session, *, marks: list[tuple[Any, int, int]]) -> int:
    """Move several read marks forward in one transaction: [(actor, thread id, number)]; returns how many.

    A reply read live by a hundred open pages moves a hundred marks; one write for all of them keeps the database
    free for the next reply.
    """
    done = 0
    for actor, thread_id, number in marks:
        if not is_active(actor):
            continue
        if not ensure_read_row(session, actor.id, thread_id, number=number):
            session.execute(update(TR).where(TR.c.user_id == actor.id, TR.c.thread_id == thread_id,
                                             TR.c.last_read_number < number).values(last_read_number=number))
        done += 1
    session.commit()
    return done


def set_thread_watch(session: Session, *, actor: Any, thread_id: int, level: str) -> None:
    require_active(actor)
    if level not in tuple(WatchLevel):
        raise Invalid('watch', 'Unbekannte Einstellung.')
    live_thread(session, thread_id)
    if not ensure_read_row(session, actor.id, thread_id, watch=level):
        session.execute(update(TR).where(TR.c.user_id == actor.id, TR.c.thread_id == thread_id).values(watch=level))
    session.commit()


def set_board_watch(session: Session, *, actor: Any, board_id: int, level: str) -> None:
    require_active(actor)
    if level not in tuple(WatchLevel):
        raise Invalid('watch', 'Unbekannte Einstellung.')
    if session.get(Board, board_id) is None:
        raise NotFound('Dieses Forum gibt es nicht.')
    row = session.get(BoardWatch, (actor.id, board_id))
    if row is None:
        session.add(BoardWatch(user_id=actor.id, board_id=board_id, watch=level))
    else:
        row.watch = level
    session.commit()


def mark_board_read(session: Session, *, actor: Any, board_id: int) -> None:
    """Everything in this board counts as read from now on (until new activity)."""
    require_active(actor)
    if session.get(Board, board_id) is None:
        raise NotFound('Dieses Forum gibt es nicht.')
    row = session.get(BoardWatch, (actor.id, board_id))
    if row is None:
        session.add(BoardWatch(user_id=actor.id, board_id=board_id, read_before=utcnow()))
    else:
        row.read_before = utcnow()
    audit.record(session, 'board.mark_read', actor_id=actor.id, target_type='board', target_id=board_id)
    session.commit()


def unread_threads(session: Session, *, viewer: Any, page: int = 1,
                   page_size: int = UNREAD_PAGE_SIZE) -> tuple[list[ThreadRow], int, int, int]:
    """(threads with news for me, newest activity first; total; page; pages)."""
    require_active(viewer)
    since = news_since(session, viewer.id)
    condition = news_condition(viewer.id, since)
    total = session.execute(select(func.count()).select_from(_news_joins(viewer.id)).where(condition)).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(Thread, TR.c.last_read_number, TR.c.watch).select_from(_news_joins(viewer.id)).where(condition)
        .order_by(T.c.last_post_at.desc(), T.c.id.desc()).limit(page_size).offset((page - 1) * page_size)).all()
    threads = [r[0] for r in rows]
    boards = {b.id: board_ref(b) for b in session.execute(
        select(Board).where(B.c.id.in_({t.board_id for t in threads}))).scalars()}
    people = authors(session, {t.author_id for t in threads} | {t.last_poster_id for t in threads})
    items = []
    for thread, last_read, watch in rows:
        state = ReadState(last_read, watch) if last_read is not None else None
        is_new, unread, first = news_of(thread, state, since)
        items.append(thread_row(thread, boards[thread.board_id], people, is_new=is_new, unread=unread,
                                first_unread=first))
    return items, total, page, pages


def watcher_ids(session: Session, thread_id: int, author_id: int | None = None) -> list[int]:
    """Who is told about a new reply: members watching the thread, and its author unless they muted it."""
    watching = set(session.execute(select(TR.c.user_id).where(
        TR.c.thread_id == thread_id, TR.c.watch == WatchLevel.WATCHING)).scalars())
    if author_id is not None and author_id not in watching:
        muted = session.execute(select(TR.c.watch).where(
            TR.c.thread_id == thread_id, TR.c.user_id == author_id)).scalar() == WatchLevel.MUTED
        if not muted:
            watching.add(author_id)
    return sorted(watching)
