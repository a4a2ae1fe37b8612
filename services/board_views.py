"""Read models of the discussion boards, shared by the board services: plain values, safe to keep across awaits."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from models.board import Attachment, Board, Post, Reaction, Thread
from models.organization import Organization
from models.profile import MemberProfile
from models.user import User
from services.errors import NotFound
from services.local_time import aware

POSTS_PER_PAGE = 50

U = User.__table__
O = Organization.__table__  # noqa: E741 - table aliases read like the SQL they build
P = MemberProfile.__table__
PO = Post.__table__
R = Reaction.__table__
A = Attachment.__table__


@dataclass(frozen=True)
class AuthorRef:
    id: int
    name: str
    organization: str
    avatar: str


@dataclass(frozen=True)
class AttachmentRef:
    id: int
    stored_name: str
    filename: str
    size: int
    content_type: str

    @property
    def url(self) -> str:
        from urllib.parse import quote

        return f'/files/{self.stored_name}/{quote(self.filename)}'


@dataclass(frozen=True)
class PostView:
    id: int
    thread_id: int
    number: int
    author: AuthorRef | None
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    thanks: int
    helpful: int
    mine: tuple[str, ...] = ()  # the viewer's reactions
    attachments: tuple[AttachmentRef, ...] = ()
    is_solution: bool = False
    # Hidden by the moderation: its author and moderators get the text (shown marked), everyone else an empty body.
    hidden: bool = False

    @property
    def page(self) -> int:
        return page_of(self.number)


@dataclass(frozen=True)
class BoardRef:
    id: int
    slug: str
    name: str
    description: str
    moderators_only: bool
    archived: bool


@dataclass(frozen=True)
class BoardSummary:
    board: BoardRef
    thread_count: int
    post_count: int
    last_post_at: datetime | None
    last_thread_id: int | None
    last_thread_title: str
    news: int = 0  # threads with something new or unread for the viewer
    watch: str = 'normal'


@dataclass(frozen=True)
class TagRef:
    name: str
    key: str


@dataclass(frozen=True)
class ThreadRow:
    id: int
    title: str
    board: BoardRef
    author: AuthorRef | None
    created_at: datetime
    last_post_at: datetime
    last_poster: str
    reply_count: int
    view_count: int
    post_count: int
    solved: bool
    pinned: bool
    locked: bool
    tags: tuple[TagRef, ...] = ()
    is_new: bool = False  # never opened, with activity since the viewer's news window began
    unread: int = 0  # posts after the viewer's read mark
    first_unread: int | None = None


@dataclass
class ThreadList:
    board: BoardSummary | None
    items: list[ThreadRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class ThreadView:
    id: int
    title: str
    board: BoardRef
    author: AuthorRef | None
    created_at: datetime
    tags: tuple[TagRef, ...]
    pinned: bool
    locked: bool
    post_count: int
    reply_count: int
    view_count: int
    solution: PostView | None
    question: PostView | None  # post 1, shown above the solution on every page
    posts: list[PostView]
    page: int
    pages: int
    first_unread: int | None
    watch: str
    is_author: bool
    can_reply: bool
    reply_blocked: str  # why not (a catalogue key), when can_reply is False
    can_moderate: bool
    can_mark_solution: bool
    edit_window_minutes: int = 0  # 0: members edit their posts at any time; else only this long after writing


MSG_NO_THREAD = 'Dieses Thema gibt es nicht (mehr).'
MSG_NO_POST = 'Diesen Beitrag gibt es nicht (mehr).'


def live_thread(session: Session, thread_id: int) -> Thread:
    """A thread that exists and is not deleted, else NotFound."""
    thread = session.get(Thread, thread_id)
    if thread is None or thread.deleted:
        raise NotFound(MSG_NO_THREAD)
    return thread


def live_post(session: Session, post_id: int) -> tuple[Post, Thread]:
    """A post that is not deleted, in a thread that is not deleted, else NotFound."""
    post = session.get(Post, post_id)
    if post is None or post.deleted:
        raise NotFound(MSG_NO_POST)
    return post, live_thread(session, post.thread_id)


def page_of(number: int) -> int:
    return (max(1, number) - 1) // POSTS_PER_PAGE + 1


def post_url(thread_id: int, number: int) -> str:
    return f'/threads/{thread_id}?page={page_of(number)}#post-{number}'


def board_ref(board: Board) -> BoardRef:
    assert board.id is not None
    return BoardRef(board.id, board.slug, board.name, board.description, board.moderators_only, board.archived)


def authors(session: Session, ids: set[int | None] | list[int | None]) -> dict[int, AuthorRef]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(U.c.id, U.c.name, O.c.name, P.c.avatar)
        .select_from(U.outerjoin(O, O.c.id == U.c.organization_id).outerjoin(P, P.c.user_id == U.c.id))
        .where(U.c.id.in_(wanted))).all()
    return {r[0]: AuthorRef(r[0], r[1], r[2] or '', r[3] or '') for r in rows}


def post_views(session: Session, posts: list[Post], *, viewer_id: int | None,
               solution_id: int | None, moderator: bool = False) -> list[PostView]:
    """PostViews for these posts with authors, attachments and the viewer's reactions, in three queries.

    A hidden post keeps its text only for its author and (with `moderator`) the moderation; a view made for
    everyone (`viewer_id=None`, sent on the bus) never carries it.
    """
    ids = [p.id for p in posts if p.id is not None]
    people = authors(session, {p.author_id for p in posts})
    files: dict[int, list[AttachmentRef]] = {}
    mine: dict[int, list[str]] = {}
    if ids:
        for row in session.execute(select(A.c.post_id, A.c.id, A.c.stored_name, A.c.filename, A.c.size,
                                          A.c.content_type).where(A.c.post_id.in_(ids)).order_by(A.c.id)).all():
            files.setdefault(row[0], []).append(AttachmentRef(*row[1:]))
        if viewer_id is not None:
            for post_id, kind in session.execute(select(R.c.post_id, R.c.kind).where(
                    R.c.user_id == viewer_id, R.c.post_id.in_(ids))).all():
                mine.setdefault(post_id, []).append(kind)
    views = []
    for p in posts:
        shown = not p.deleted and (not p.hidden or moderator or (viewer_id is not None and p.author_id == viewer_id))
        views.append(PostView(
            p.id, p.thread_id, p.number, people.get(p.author_id) if p.author_id else None,  # type: ignore[arg-type]
            p.body if shown else '', p.body_html if shown else '', p.created_at, p.edited_at, p.deleted,
            p.thanks_count, p.helpful_count, tuple(sorted(mine.get(p.id, ()))),  # type: ignore[arg-type]
            tuple(files.get(p.id, ())) if shown else (), p.id == solution_id, p.hidden and not p.deleted))  # type: ignore[arg-type]
    return views




def edit_window_open(created_at: datetime, minutes: int, now: datetime | None = None) -> bool:
    """Whether a member may still edit a post written at `created_at` (0 minutes: always)."""
    if minutes <= 0:
        return True
    return (now or datetime.now(UTC)) - aware(created_at) <= timedelta(minutes=minutes)


def thread_row(thread: Thread, board: BoardRef, people: dict[int, AuthorRef], tags: tuple[TagRef, ...] = (),
               *, is_new: bool = False, unread: int = 0, first_unread: int | None = None) -> ThreadRow:
    assert thread.id is not None
    last = people.get(thread.last_poster_id) if thread.last_poster_id else None
    return ThreadRow(thread.id, thread.title, board, people.get(thread.author_id) if thread.author_id else None,
                     thread.created_at, thread.last_post_at, last.name if last else '', thread.reply_count,
                     thread.view_count, thread.post_count, thread.solution_post_id is not None, thread.pinned,
                     thread.locked, tags, is_new, unread, first_unread)
