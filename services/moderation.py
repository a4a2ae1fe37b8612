"""Moderation: pinning, locking, moving and deleting threads; reports and their queue. Every step is audited."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from models.base import utcnow
from models.board import Attachment, Board, Post, PostReport, ReportStatus, Thread
from services import audit, bus, search
from services.board_views import AuthorRef, authors, live_post, live_thread, post_url
from services.errors import Invalid, NotAllowed, NotFound
from services.notifications import announce, notify
from services.permissions import require_active, require_moderator

MAX_REASON = 1000
REPORTS_PER_PAGE = 30
HANDLED = 'handled'  # list_reports: resolved and dismissed together
# What a moderator may do with a report, and the outcome stored on every report of that post.
ACTIONS = {'dismiss': 'dismissed', 'hide': 'hidden', 'delete': 'deleted', 'lock': 'locked'}
# What each reporter is told (catalogue keys).
MSG_OUTCOME = {
    'dismissed': 'Ihre Meldung zu „{title}“ wurde geprüft: Die Moderation hat keinen Verstoß festgestellt.',
    'hidden': 'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag ausgeblendet.',
    'deleted': 'Ihre Meldung zu „{title}“ wurde bearbeitet: Beitrag gelöscht.',
    'locked': 'Ihre Meldung zu „{title}“ wurde bearbeitet: Thema geschlossen.',
}

B = Board.__table__
T = Thread.__table__
PO = Post.__table__


@dataclass(frozen=True)
class ReportRow:
    id: int
    post_id: int
    thread_id: int
    thread_title: str
    post_number: int
    post_excerpt: str
    post_author: AuthorRef | None
    reporter: AuthorRef | None
    reason: str
    status: str
    created_at: datetime
    outcome: str = ''
    post_hidden: bool = False
    post_gone: bool = False  # deleted, or its thread is
    thread_locked: bool = False

    @property
    def url(self) -> str:
        return post_url(self.thread_id, self.post_number)


def _changed(thread: Thread, kind: str, **data: Any) -> None:
    bus.publish('boards.thread', kind=kind, board_id=thread.board_id, thread_id=thread.id, **data)


def _set_flag(session: Session, actor: Any, thread_id: int, flag: str, value: bool, actions: tuple[str, str]) -> None:
    require_moderator(actor)
    thread = live_thread(session, thread_id)
    setattr(thread, flag, value)
    audit.record(session, actions[0] if value else actions[1], actor_id=actor.id, target_type='thread',
                 target_id=thread_id)
    session.commit()
    _changed(thread, 'changed')


def pin_thread(session: Session, *, actor: Any, thread_id: int, pinned: bool = True) -> None:
    _set_flag(session, actor, thread_id, 'pinned', pinned, ('thread.pin', 'thread.unpin'))


def lock_thread(session: Session, *, actor: Any, thread_id: int, locked: bool = True) -> None:
    """A locked thread takes no new replies; what is there stays readable."""
    _set_flag(session, actor, thread_id, 'locked', locked, ('thread.lock', 'thread.unlock'))


def move_thread(session: Session, *, actor: Any, thread_id: int, board_id: int) -> None:
    require_moderator(actor)
    thread = live_thread(session, thread_id)
    target = session.get(Board, board_id)
    if target is None:
        raise Invalid('board', 'Dieses Forum gibt es nicht.')
    if target.id == thread.board_id:
        return
    source_id = thread.board_id
    visible_posts = thread.reply_count + 1
    session.execute(update(B).where(B.c.id == source_id).values(
        thread_count=B.c.thread_count - 1, post_count=B.c.post_count - visible_posts))
    session.execute(update(B).where(B.c.id == target.id).values(
        thread_count=B.c.thread_count + 1, post_count=B.c.post_count + visible_posts))
    if target.last_post_at is None or thread.last_post_at > target.last_post_at:
        target.last_post_at, target.last_thread_id = thread.last_post_at, thread.id
    thread.board_id = target.id  # type: ignore[assignment]
    session.flush()
    _refresh_latest(session, source_id)
    audit.record(session, 'thread.move', actor_id=actor.id, target_type='thread', target_id=thread_id,
                 source=source_id, target=target.id)
    session.commit()
    bus.publish('boards.thread', kind='moved', board_id=source_id, thread_id=thread_id)
    _changed(thread, 'moved')


def delete_thread(session: Session, *, actor: Any, thread_id: int, audited: bool = True) -> None:
    """Moderators delete any thread; its author only while nobody has answered."""
    require_active(actor)
    thread = live_thread(session, thread_id)
    if not actor.is_moderator:
        if thread.author_id != actor.id:
            raise NotAllowed()
        if thread.reply_count > 0:
            raise NotAllowed('Auf diese Frage wurde schon geantwortet: löschen kann sie jetzt nur die Moderation. '
                             'Sie können sie aber bearbeiten.')
    names = remove_thread(session, thread)
    if audited:
        audit.record(session, 'thread.delete' if thread.author_id == actor.id else 'thread.delete_by_moderator',
                     actor_id=actor.id, target_type='thread', target_id=thread_id, title=thread.title)
    session.commit()
    from services.posts import _unlink

    _unlink(names)
    _changed(thread, 'deleted')


def remove_thread(session: Session, thread: Thread) -> list[str]:
    """Delete a thread in the caller's transaction (no audit, no commit); returns its files to unlink."""
    thread.deleted = True
    post_ids = list(session.execute(select(PO.c.id).where(PO.c.thread_id == thread.id)).scalars())
    for post_id in post_ids:
        search.remove_post(session, post_id)
    names = list(session.execute(select(Attachment.__table__.c.stored_name).where(
        Attachment.__table__.c.post_id.in_(post_ids))).scalars()) if post_ids else []
    if post_ids:
        session.execute(delete(Attachment).where(col(Attachment.post_id).in_(post_ids)))
    session.execute(update(B).where(B.c.id == thread.board_id).values(
        thread_count=B.c.thread_count - 1, post_count=B.c.post_count - (thread.reply_count + 1)))
    session.flush()
    _refresh_latest(session, thread.board_id)
    return names


def _refresh_latest(session: Session, board_id: int) -> None:
    """A board's latest activity after a thread left it (moved or deleted)."""
    board = session.get(Board, board_id)
    if board is None:
        return
    latest = session.execute(select(T.c.id, T.c.last_post_at).where(T.c.board_id == board_id, T.c.deleted.is_(False))
                             .order_by(T.c.last_post_at.desc()).limit(1)).first()
    board.last_thread_id, board.last_post_at = (latest[0], latest[1]) if latest else (None, None)


# ---------------------------------------------------------------- reports


def report_post(session: Session, *, actor: Any, post_id: int, reason: str) -> int:
    """A member tells the moderators about a post; one open report per member and post."""
    require_active(actor)
    post, _thread = live_post(session, post_id)
    if post.author_id == actor.id:
        raise NotAllowed('Eigene Beiträge können Sie nicht melden.')
    reason = ' '.join((reason or '').split())
    if not reason:
        raise Invalid('reason', 'Bitte nennen Sie einen Grund.')
    if len(reason) > MAX_REASON:
        raise Invalid('reason', 'Der Grund darf höchstens {n} Zeichen haben.', n=MAX_REASON)
    existing = session.exec(select(PostReport).where(
        PostReport.post_id == post_id, PostReport.reporter_id == actor.id,
        PostReport.status == ReportStatus.OPEN)).scalars().first()
    if existing is not None:
        raise Invalid('reason', 'Sie haben diesen Beitrag schon gemeldet; die Moderation kümmert sich darum.')
    report = PostReport(post_id=post_id, reporter_id=actor.id, reason=reason)
    session.add(report)
    session.flush()
    audit.record(session, 'post.report', actor_id=actor.id, target_type='post', target_id=post_id,
                 report=report.id)
    session.commit()
    bus.publish('moderation.reported', report_id=report.id, post_id=post_id)
    assert report.id is not None
    return report.id


def count_open_reports(session: Session, *, actor: Any) -> int:
    require_moderator(actor)
    return session.execute(select(func.count()).select_from(PostReport).where(
        PostReport.status == ReportStatus.OPEN)).scalar_one()


def count_handled_reports(session: Session, *, actor: Any) -> int:
    require_moderator(actor)
    return session.execute(select(func.count()).select_from(PostReport).where(
        PostReport.status != ReportStatus.OPEN)).scalar_one()


def list_reports(session: Session, *, actor: Any, status: str = ReportStatus.OPEN, page: int = 1) -> list[ReportRow]:
    """The moderation queue, oldest open report first; `status='handled'` lists resolved and dismissed ones, newest
    first."""
    require_moderator(actor)
    if status not in (*tuple(ReportStatus), HANDLED):
        raise Invalid('status', 'Unbekannter Status.')
    if status == HANDLED:
        condition = PostReport.status != ReportStatus.OPEN
    else:
        condition = PostReport.status == status
    order = col(PostReport.created_at) if status == ReportStatus.OPEN else col(PostReport.created_at).desc()
    reports = list(session.exec(select(PostReport).where(condition).order_by(order, col(PostReport.id))
                                .limit(REPORTS_PER_PAGE).offset((max(1, page) - 1) * REPORTS_PER_PAGE)).scalars())
    posts = {p.id: p for p in session.exec(select(Post).where(col(Post.id).in_([r.post_id for r in reports])))
             .scalars()}
    threads = {t.id: t for t in session.exec(select(Thread).where(
        col(Thread.id).in_({p.thread_id for p in posts.values()}))).scalars()}
    people = authors(session, {r.reporter_id for r in reports} | {p.author_id for p in posts.values()})
    from services.posts import plain_text

    rows = []
    for r in reports:
        post = posts.get(r.post_id)
        if post is None:
            continue
        thread = threads[post.thread_id]
        rows.append(ReportRow(r.id, r.post_id, thread.id, thread.title, post.number,  # type: ignore[arg-type]
                              plain_text(post.body_html)[:300], people.get(post.author_id),  # type: ignore[arg-type]
                              people.get(r.reporter_id), r.reason, r.status, r.created_at,  # type: ignore[arg-type]
                              r.outcome, post.hidden, post.deleted or thread.deleted, thread.locked))
    return rows


def handle_report(session: Session, *, actor: Any, report_id: int, action: str) -> str:
    """Act on a report: dismiss it, hide the post, delete it or lock its thread. Returns the outcome.

    Every open report of that post is closed with the same outcome; its reporters are told in the app. The action
    writes one audit entry (also when it deletes the post or locks the thread).
    """
    require_moderator(actor)
    if action not in ACTIONS:
        raise Invalid('action', 'Unbekannte Aktion.')
    report = session.get(PostReport, report_id)
    if report is None:
        raise NotFound('Diese Meldung gibt es nicht.')
    if report.status != ReportStatus.OPEN:
        raise Invalid('action', 'Diese Meldung wurde schon bearbeitet.')
    post = session.get(Post, report.post_id)
    assert post is not None  # reports go with their post (ON DELETE CASCADE)
    thread = session.get(Thread, post.thread_id)
    assert thread is not None
    outcome = ACTIONS[action]
    gone = post.deleted or thread.deleted
    names: list[str] = []
    if action in ('hide', 'lock') and gone:
        raise Invalid('action', 'Diesen Beitrag gibt es nicht mehr: bitte verwerfen Sie die Meldung.')
    if action == 'hide':
        post.hidden = True
        search.remove_post(session, post.id)  # type: ignore[arg-type]
    elif action == 'lock':
        thread.locked = True
    elif action == 'delete' and not gone:
        from services.posts import remove_reply

        names = remove_thread(session, thread) if post.number == 1 else remove_reply(session, post, thread)
    reporters = list(session.execute(select(PostReport.__table__.c.reporter_id).where(
        PostReport.__table__.c.post_id == post.id, PostReport.__table__.c.status == ReportStatus.OPEN)).scalars())
    closed = session.execute(update(PostReport.__table__).where(
        PostReport.__table__.c.post_id == post.id, PostReport.__table__.c.status == ReportStatus.OPEN).values(
        status=ReportStatus.DISMISSED if action == 'dismiss' else ReportStatus.RESOLVED, outcome=outcome,
        handled_by=actor.id, handled_at=utcnow())).rowcount
    audit.record(session, f'report.{outcome}', actor_id=actor.id, target_type='post', target_id=post.id,
                 report=report_id, reports=closed, thread=thread.id, title=thread.title)
    url = '' if action == 'delete' else post_url(thread.id, post.number)
    if action == 'delete' and post.number > 1 and not thread.deleted:
        url = f'/threads/{thread.id}'
    told = notify(session, [r for r in reporters if r is not None and r != actor.id], kind='moderation.report',
                  text=MSG_OUTCOME[outcome], url=url, group_key=f'thread:{thread.id}', actor_id=actor.id,
                  title=thread.title)
    session.commit()
    if names:
        from services.posts import _unlink

        _unlink(names)
    announce(told)
    if action == 'delete' and post.number == 1:
        _changed(thread, 'deleted')
    elif action == 'lock':
        _changed(thread, 'changed')
    elif action in ('hide', 'delete') and not gone:
        from services.posts import publish_changed

        publish_changed(session, post, thread)
    bus.publish('moderation.handled', report_id=report_id, post_id=post.id, outcome=outcome, reports=closed)
    return outcome


def unhide_post(session: Session, *, actor: Any, post_id: int) -> None:
    """Show a hidden post to everyone again (and put it back into the search)."""
    require_moderator(actor)
    post, thread = live_post(session, post_id)
    if not post.hidden:
        return
    post.hidden = False
    from services.posts import plain_text

    search.index_post(session, post_id, title=thread.title if post.number == 1 else '',
                      body=plain_text(post.body_html))
    audit.record(session, 'post.unhide', actor_id=actor.id, target_type='post', target_id=post_id, thread=thread.id)
    session.commit()
    from services.posts import publish_changed

    publish_changed(session, post, thread)
