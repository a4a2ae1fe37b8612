"""Boards and threads: managing boards, listing them, starting a thread, opening it, similar threads."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlmodel import Session, col

from models.base import utcnow
from models.board import Board, Post, Thread, ThreadRead, ThreadTag, WatchLevel
from models.profile import Tag
from services import audit, bus, notifications, posts, rate_limits, reading, search
from services.board_views import (
    POSTS_PER_PAGE,
    BoardRef,
    BoardSummary,
    TagRef,
    ThreadList,
    ThreadRow,
    ThreadView,
    authors,
    board_ref,
    live_thread,
    post_views,
    thread_row,
)
from services.errors import Invalid, NotAllowed, NotFound
from services.members import _tag_ids, clean_tags
from services.permissions import require_active, require_admin

THREADS_PER_PAGE = 30
THREAD_SORTS = ('activity', 'newest', 'unanswered', 'solved')
MAX_TITLE = 200
MIN_TITLE = 5
MAX_THREAD_TAGS = 5
MAX_BOARD_NAME = 80
MAX_BOARD_DESCRIPTION = 500
MAX_BOARDS = 500  # a network has a few dozen; the admin list is bounded all the same
# Words that are pages of their own under /boards/… or might become one.
RESERVED_SLUGS = frozenset({'new', 'neu', 'unread', 'ungelesen', 'search', 'admin', 'archive', 'archiv'})
_SLUG = re.compile(r'^[a-z0-9]+(?:-[a-z0-9]+)*$')

B = Board.__table__
T = Thread.__table__
TT = ThreadTag.__table__
TG = Tag.__table__


# ---------------------------------------------------------------- boards


def slugify(name: str) -> str:
    return re.sub(r'[^a-z0-9]+', '-', search.fold(name)).strip('-')[:60].strip('-')


def _clean_board(name: str, description: str, slug: str) -> tuple[str, str, str]:
    name = ' '.join((name or '').split())
    if not name:
        raise Invalid('name', 'Bitte geben Sie einen Namen ein.')
    if len(name) > MAX_BOARD_NAME:
        raise Invalid('name', 'Der Name darf höchstens {n} Zeichen haben.', n=MAX_BOARD_NAME)
    description = (description or '').strip()
    if len(description) > MAX_BOARD_DESCRIPTION:
        raise Invalid('description', 'Die Beschreibung darf höchstens {n} Zeichen haben.', n=MAX_BOARD_DESCRIPTION)
    slug = (slug or '').strip().lower() or slugify(name)
    if not _SLUG.match(slug) or len(slug) > 60:
        raise Invalid('slug', 'Die Adresse darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten.')
    if slug in RESERVED_SLUGS:
        raise Invalid('slug', 'Diese Adresse ist reserviert.')
    return name, description, slug


def create_board(session: Session, *, actor: Any, name: str, description: str = '', slug: str = '',
                 moderators_only: bool = False) -> BoardRef:
    require_admin(actor)
    name, description, slug = _clean_board(name, description, slug)
    if session.execute(select(B.c.id).where(B.c.slug == slug)).first():
        raise Invalid('slug', 'Diese Adresse ist schon vergeben.')
    position = (session.execute(select(func.max(B.c.position))).scalar() or 0) + 1
    board = Board(slug=slug, name=name, description=description, moderators_only=moderators_only, position=position)
    session.add(board)
    session.flush()
    audit.record(session, 'board.create', actor_id=actor.id, target_type='board', target_id=board.id, slug=slug)
    session.commit()
    bus.publish('boards.board', board_id=board.id, kind='created')
    return board_ref(board)


def update_board(session: Session, *, actor: Any, board_id: int, name: str, description: str = '', slug: str = '',
                 moderators_only: bool = False) -> BoardRef:
    require_admin(actor)
    board = _board(session, board_id)
    name, description, slug = _clean_board(name, description, slug or board.slug)
    if slug != board.slug and session.execute(select(B.c.id).where(B.c.slug == slug)).first():
        raise Invalid('slug', 'Diese Adresse ist schon vergeben.')
    board.name, board.description, board.slug, board.moderators_only = name, description, slug, moderators_only
    audit.record(session, 'board.update', actor_id=actor.id, target_type='board', target_id=board_id, slug=slug)
    session.commit()
    bus.publish('boards.board', board_id=board_id, kind='changed')
    return board_ref(board)


def archive_board(session: Session, *, actor: Any, board_id: int, archived: bool = True) -> None:
    """An archived board stays readable and searchable; nobody writes in it any more."""
    require_admin(actor)
    board = _board(session, board_id)
    board.archived = archived
    audit.record(session, 'board.archive' if archived else 'board.unarchive', actor_id=actor.id,
                 target_type='board', target_id=board_id)
    session.commit()
    bus.publish('boards.board', board_id=board_id, kind='changed')


def move_board(session: Session, *, actor: Any, board_id: int, offset: int) -> None:
    """Move a board up (-1) or down (+1) in the order of /boards."""
    require_admin(actor)
    ordered = list(session.exec(select(Board).order_by(col(Board.position), col(Board.id))).scalars())
    index = next((i for i, b in enumerate(ordered) if b.id == board_id), None)
    if index is None:
        raise NotFound('Dieses Forum gibt es nicht.')
    target = min(max(index + offset, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, board in enumerate(ordered, start=1):
        board.position = position
    audit.record(session, 'board.move', actor_id=actor.id, target_type='board', target_id=board_id, to=target + 1)
    session.commit()
    bus.publish('boards.board', board_id=board_id, kind='changed')


@dataclass(frozen=True)
class BoardAdminRow:
    id: int
    slug: str
    name: str
    description: str
    moderators_only: bool
    archived: bool
    thread_count: int
    post_count: int
    last_post_at: datetime | None


def list_boards_for_admin(session: Session, *, actor: Any) -> list[BoardAdminRow]:
    """Every board, archived ones included, in the order of /boards as `move_board` keeps it (administrators)."""
    require_admin(actor)
    return [BoardAdminRow(b.id, b.slug, b.name, b.description, b.moderators_only, b.archived,  # type: ignore[arg-type]
                          b.thread_count, b.post_count, b.last_post_at)
            for b in session.exec(select(Board).order_by(col(Board.position), col(Board.id))
                                  .limit(MAX_BOARDS)).scalars()]


def _board(session: Session, board_id: int) -> Board:
    board = session.get(Board, board_id)
    if board is None:
        raise NotFound('Dieses Forum gibt es nicht.')
    return board


def get_board(session: Session, *, viewer: Any, slug: str) -> BoardRef:
    require_active(viewer)
    board = session.exec(select(Board).where(Board.slug == slug)).scalars().first()
    if board is None:
        raise NotFound('Dieses Forum gibt es nicht.')
    return board_ref(board)


def list_boards(session: Session, *, viewer: Any) -> list[BoardSummary]:
    """Every board in its order (archived ones last) with counts, latest activity and the viewer's news."""
    require_active(viewer)
    boards = list(session.exec(select(Board).order_by(col(Board.archived), col(Board.position), col(Board.id)))
                  .scalars())
    last_ids = [b.last_thread_id for b in boards if b.last_thread_id]
    titles = dict(session.execute(select(T.c.id, T.c.title).where(T.c.id.in_(last_ids))).all()) if last_ids else {}
    news = reading.news_per_board(session, viewer.id)
    watches = dict(session.execute(text('SELECT board_id, watch FROM board_watch WHERE user_id = :u'),
                                   {'u': viewer.id}).all())
    return [BoardSummary(board_ref(b), b.thread_count, b.post_count, b.last_post_at, b.last_thread_id,
                         titles.get(b.last_thread_id, ''), news.get(b.id, 0), watches.get(b.id, WatchLevel.NORMAL))
            for b in boards]


def board_choices(session: Session, *, viewer: Any) -> list[BoardRef]:
    """Every board in its order, without counts (for filters and pickers)."""
    require_active(viewer)
    return [board_ref(b) for b in session.exec(
        select(Board).order_by(col(Board.archived), col(Board.position), col(Board.id))).scalars()]


def list_threads(session: Session, *, viewer: Any, slug: str, sort: str = 'activity', page: int = 1,
                 page_size: int = THREADS_PER_PAGE) -> ThreadList:
    """One page of a board's threads, pinned ones on top, with the viewer's new and unread marks."""
    require_active(viewer)
    board = session.exec(select(Board).where(Board.slug == slug)).scalars().first()
    if board is None:
        raise NotFound('Dieses Forum gibt es nicht.')
    sort = sort if sort in THREAD_SORTS else 'activity'
    page_size = max(1, min(page_size, 100))
    # Both orders have an index (board, deleted, pinned, time): the page is read from the index, not sorted.
    query = select(Thread).where(Thread.board_id == board.id, col(Thread.deleted).is_(False))
    if sort == 'unanswered':
        # A literal, not a parameter: only then may the database use the partial index of unanswered threads.
        query = query.where(text('thread.reply_count = 0'))
    elif sort == 'solved':
        query = query.where(col(Thread.solution_post_id).is_not(None))
    if sort in ('activity', 'newest') :
        total = board.thread_count
    else:
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    when = col(Thread.created_at) if sort in ('newest', 'unanswered') else col(Thread.last_post_at)
    threads = list(session.exec(query.order_by(col(Thread.pinned).desc(), when.desc(), col(Thread.id).desc())
                                .limit(page_size).offset((page - 1) * page_size)).scalars())
    ids = [t.id for t in threads if t.id is not None]
    people = authors(session, {t.author_id for t in threads} | {t.last_poster_id for t in threads})
    tags = _tags_of(session, ids)
    since = reading.news_since(session, viewer.id)
    read_before, board_watch = reading.board_read_before(session, viewer.id, board.id)
    states = reading.read_states(session, viewer.id, ids)
    ref = board_ref(board)
    items: list[ThreadRow] = []
    for thread in threads:
        is_new, unread, first = reading.news_of(thread, states.get(thread.id), since, read_before,  # type: ignore[arg-type]
                                                board_watch == WatchLevel.MUTED)
        items.append(thread_row(thread, ref, people, tags.get(thread.id, ()), is_new=is_new,  # type: ignore[arg-type]
                                unread=unread, first_unread=first))
    news = reading.news_per_board(session, viewer.id, board.id, since=since).get(board.id, 0)
    summary = BoardSummary(ref, board.thread_count, board.post_count, board.last_post_at, board.last_thread_id, '',
                           news, board_watch)
    return ThreadList(summary, items, total, page, pages)


def _tags_of(session: Session, thread_ids: list[int]) -> dict[int, tuple[TagRef, ...]]:
    if not thread_ids:
        return {}
    found: dict[int, list[TagRef]] = {}
    for thread_id, name, key in session.execute(select(TT.c.thread_id, TG.c.name, TG.c.key).join(
            TG, TG.c.id == TT.c.tag_id).where(TT.c.thread_id.in_(thread_ids)).order_by(TG.c.name)).all():
        found.setdefault(thread_id, []).append(TagRef(name, key))
    return {k: tuple(v) for k, v in found.items()}


# ---------------------------------------------------------------- threads


def clean_title(title: str) -> str:
    title = ' '.join((title or '').split())
    if not title:
        raise Invalid('title', 'Bitte geben Sie einen Titel ein.')
    if len(title) < MIN_TITLE:
        raise Invalid('title', 'Der Titel ist zu kurz: bitte mindestens {n} Zeichen.', n=MIN_TITLE)
    if len(title) > MAX_TITLE:
        raise Invalid('title', 'Der Titel darf höchstens {n} Zeichen haben (jetzt: {length}).', n=MAX_TITLE,
                      length=len(title))
    return title


MSG_ARCHIVED = 'Dieses Forum ist archiviert: hier kann niemand mehr schreiben.'
MSG_MODERATORS_ONLY = 'In diesem Forum schreibt nur die Moderation.'
MSG_LOCKED = 'Dieses Thema ist geschlossen: neue Antworten sind nicht mehr möglich.'


def may_post_in(board: Board | BoardRef, actor: Any) -> str:
    """'' when the actor may write in this board, else why not (a catalogue key)."""
    if board.archived:
        return MSG_ARCHIVED
    if board.moderators_only and not getattr(actor, 'is_moderator', False):
        return MSG_MODERATORS_ONLY
    return ''


def create_thread(session: Session, *, actor: Any, board_id: int, title: str, body: str,
                  tags: list[str] | tuple[str, ...] = (), attachments: list[tuple[str, bytes]] | None = None) -> int:
    """Start a thread with its first post; the author watches it from now on. Returns the thread's id."""
    require_active(actor)
    board = _board(session, board_id)
    reason = may_post_in(board, actor)
    if reason:
        raise NotAllowed(reason)
    title = clean_title(title)
    body = posts.clean_body(body, posts.max_post_length(session))
    tag_names = clean_tags(list(tags), 'tags')
    if len(tag_names) > MAX_THREAD_TAGS:
        raise Invalid('tags', 'Höchstens {n} Schlagwörter.', n=MAX_THREAD_TAGS)
    rate_limits.check_posts(session, actor)
    rate_limits.check_uploads(session, actor, len(attachments or []))  # before the files cost any work
    checked = posts.check_files(session, attachments or [])
    now = utcnow()
    thread = Thread(board_id=board_id, author_id=actor.id, title=title, created_at=now, last_post_at=now,
                    last_poster_id=actor.id, post_count=1)
    session.add(thread)
    session.flush()
    assert thread.id is not None
    post = posts.new_post(session, actor=actor, thread=thread, number=1, body=body, files=checked)
    for tag_id in _tag_ids(session, tag_names):
        session.add(ThreadTag(thread_id=thread.id, tag_id=tag_id))
    session.execute(update(B).where(B.c.id == board_id).values(
        thread_count=B.c.thread_count + 1, post_count=B.c.post_count + 1, last_post_at=now, last_thread_id=thread.id))
    session.add(ThreadRead(user_id=actor.id, thread_id=thread.id, last_read_number=1, watch=WatchLevel.WATCHING))
    audit.record(session, 'thread.create', actor_id=actor.id, target_type='thread', target_id=thread.id,
                 board=board.slug)
    session.flush()
    told = posts.notify_post(session, actor=actor, thread=thread, post=post,
                             mentioned=posts.mentioned_ids(session, post.id), watchers=False)
    posts.commit_files(session, checked)
    notifications.announce(told)
    bus.publish('boards.thread', kind='created', board_id=board_id, thread_id=thread.id)
    bus.publish('boards.post', kind='created', board_id=board_id, thread_id=thread.id, post_id=post.id, number=1,
                mentions=posts.mentioned_ids(session, post.id))
    return thread.id


def edit_thread(session: Session, *, actor: Any, thread_id: int, title: str,
                tags: list[str] | tuple[str, ...] | None = None) -> None:
    """The author or a moderator renames a thread or changes its tags."""
    require_active(actor)
    thread = live_thread(session, thread_id)
    if thread.author_id != actor.id and not actor.is_moderator:
        raise NotAllowed()
    posts.refuse_closed(session, actor, thread)
    thread.title = clean_title(title)
    if tags is not None:
        names = clean_tags(list(tags), 'tags')
        if len(names) > MAX_THREAD_TAGS:
            raise Invalid('tags', 'Höchstens {n} Schlagwörter.', n=MAX_THREAD_TAGS)
        session.execute(TT.delete().where(TT.c.thread_id == thread_id))
        for tag_id in _tag_ids(session, names):
            session.add(ThreadTag(thread_id=thread_id, tag_id=tag_id))
    first = session.exec(select(Post).where(Post.thread_id == thread_id, Post.number == 1)).scalars().first()
    if first is not None and not first.deleted and not first.hidden:
        search.index_post(session, first.id, title=thread.title, body=posts.plain_text(first.body_html))  # type: ignore[arg-type]
    audit.record(session, 'thread.edit', actor_id=actor.id, target_type='thread', target_id=thread_id)
    session.commit()
    bus.publish('boards.thread', kind='changed', board_id=thread.board_id, thread_id=thread_id)


def open_thread(session: Session, *, viewer: Any, thread_id: int, page: int | None = None,
                record_visit: bool = True) -> ThreadView:
    """One page of a thread (50 posts) and, as a visit, the viewer's read mark moved to its end.

    Without a page, the viewer lands on the page of their first unread post. An open page that only redraws itself
    (`record_visit=False`) writes nothing: a change seen by a hundred readers must not cost a hundred writes.
    """
    require_active(viewer)
    thread = live_thread(session, thread_id)
    board = _board(session, thread.board_id)
    state = session.get(ThreadRead, (viewer.id, thread_id))
    first_unread = None
    if state is not None and state.last_read_number < thread.post_count:
        first_unread = state.last_read_number + 1
    pages = max(1, -(-thread.post_count // POSTS_PER_PAGE))
    if page is None:
        page = (first_unread - 1) // POSTS_PER_PAGE + 1 if first_unread else 1
    page = min(max(1, page), pages)
    start = (page - 1) * POSTS_PER_PAGE + 1
    rows = list(session.exec(select(Post).where(Post.thread_id == thread_id, Post.number >= start,
                                                Post.number < start + POSTS_PER_PAGE)
                             .order_by(col(Post.number))).scalars())
    # The question and the solution are shown on every page, so they are loaded even when on another page.
    extra: list[Post] = []
    if not any(p.number == 1 for p in rows):
        extra += list(session.exec(select(Post).where(Post.thread_id == thread_id, Post.number == 1)).scalars())
    if thread.solution_post_id is not None and all(p.id != thread.solution_post_id for p in rows):
        solution_post = session.get(Post, thread.solution_post_id)
        extra += [solution_post] if solution_post is not None else []
    views = post_views(session, rows + extra, viewer_id=viewer.id, solution_id=thread.solution_post_id,
                       moderator=viewer.is_moderator)
    question_view = next((v for v in views if v.number == 1), None)
    solution = next((v for v in views if v.is_solution), None)
    last_on_page = max((p.number for p in rows), default=0)
    if record_visit:
        reading.mark_read(session, actor=viewer, thread_id=thread_id, number=last_on_page, count_view=True)
    people = authors(session, [thread.author_id])
    reason = may_post_in(board, viewer)
    if not reason and thread.locked and not viewer.is_moderator:
        reason = MSG_LOCKED
    watch = state.watch if state is not None else WatchLevel.NORMAL
    return ThreadView(
        id=thread_id, title=thread.title, board=board_ref(board),
        author=people.get(thread.author_id) if thread.author_id else None, created_at=thread.created_at,
        tags=_tags_of(session, [thread_id]).get(thread_id, ()), pinned=thread.pinned, locked=thread.locked,
        post_count=thread.post_count, reply_count=thread.reply_count, view_count=thread.view_count,
        solution=solution, question=question_view, posts=views[:len(rows)], page=page, pages=pages,
        first_unread=first_unread, watch=watch, is_author=thread.author_id == viewer.id, can_reply=not reason,
        reply_blocked=reason, can_moderate=viewer.is_moderator,
        can_mark_solution=thread.author_id == viewer.id or viewer.is_moderator,
        edit_window_minutes=posts.edit_window_minutes(session))


def similar_threads(session: Session, *, viewer: Any, title: str, limit: int = 5,
                    candidates: int = 2000) -> list[ThreadRow]:
    """Threads whose titles share words with `title` (any word, best first): "Gibt es schon: …"."""
    require_active(viewer)
    dialect = session.get_bind().dialect.name
    match = search.any_word_expression(title, dialect)
    if not match:
        return []
    if dialect == 'postgresql':
        weighted = match.replace(':*', ':*A')
        sql = ("SELECT t.id FROM (SELECT post_id, document FROM post_fts WHERE document @@ to_tsquery('simple', :m) "
               "ORDER BY post_id DESC LIMIT :c) AS hits JOIN post p ON p.id = hits.post_id AND p.number = 1 "
               "JOIN thread t ON t.id = p.thread_id AND NOT t.deleted "
               "ORDER BY ts_rank_cd(hits.document, to_tsquery('simple', :m)) DESC LIMIT :limit")
        params = {'m': weighted, 'c': candidates, 'limit': limit}
    else:
        sql = ('SELECT t.id FROM (SELECT rowid AS id, bm25(post_fts, 5.0, 1.0) AS score FROM post_fts '
               'WHERE post_fts MATCH :m ORDER BY rowid DESC LIMIT :c) AS hits '
               'JOIN post p ON p.id = hits.id AND p.number = 1 JOIN thread t ON t.id = p.thread_id AND t.deleted = 0 '
               'ORDER BY hits.score LIMIT :limit')
        params = {'m': f'title : ({match})', 'c': candidates, 'limit': limit}
    ids = [r[0] for r in session.execute(text(sql), params).all()]
    if not ids:
        return []
    threads = {t.id: t for t in session.exec(select(Thread).where(col(Thread.id).in_(ids))).scalars()}
    boards = {b.id: board_ref(b) for b in session.exec(
        select(Board).where(col(Board.id).in_({t.board_id for t in threads.values()}))).scalars()}
    people = authors(session, {t.author_id for t in threads.values()})
    return [thread_row(threads[i], boards[threads[i].board_id], people) for i in ids if i in threads]


def threads_by(session: Session, *, viewer: Any, author_id: int, limit: int = 5) -> list[ThreadRow]:
    """A member's latest threads, for their profile."""
    require_active(viewer)
    threads = list(session.exec(select(Thread).where(Thread.author_id == author_id, col(Thread.deleted).is_(False))
                                .order_by(col(Thread.created_at).desc()).limit(max(1, min(limit, 20)))).scalars())
    boards = {b.id: board_ref(b) for b in session.exec(
        select(Board).where(col(Board.id).in_({t.board_id for t in threads}))).scalars()}
    people = authors(session, {t.author_id for t in threads} | {t.last_poster_id for t in threads})
    return [thread_row(t, boards[t.board_id], people) for t in threads]
