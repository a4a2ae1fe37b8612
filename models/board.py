"""Discussion boards: boards, threads, posts, their history, reactions, files, read marks, watching and reports.

Counters (threads and posts per board, replies per thread, reactions per post) are kept on the rows that lists show,
so a list of boards or threads reads one row per line instead of counting a million posts.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from models.base import utcnow


class WatchLevel(StrEnum):
    WATCHING = 'watching'  # told about every new reply (notifications issue)
    NORMAL = 'normal'
    MUTED = 'muted'  # never shown as new or unread


class ReactionKind(StrEnum):
    THANKS = 'thanks'  # 👍 Danke
    HELPFUL = 'helpful'  # 💡 Hilfreich


class ReportStatus(StrEnum):
    OPEN = 'open'
    RESOLVED = 'resolved'  # a moderator acted on it
    DISMISSED = 'dismissed'


class Board(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True, index=True)
    name: str = Field(max_length=80)
    description: str = Field(default='', max_length=500)
    position: int = Field(default=0)
    moderators_only: bool = Field(default=False)  # only moderators post (e.g. "Ankündigungen")
    archived: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    thread_count: int = Field(default=0)
    post_count: int = Field(default=0)
    last_post_at: datetime | None = Field(default=None)
    last_thread_id: int | None = Field(default=None)


class Thread(SQLModel, table=True):
    # Board pages sort by activity, by age, and filter unanswered or solved threads: each order has an index that
    # leads with the board, so a page reads its 30 rows instead of sorting a board's thousands.
    __table_args__ = (
        Index('ix_thread_board_activity', 'board_id', 'deleted', 'pinned', 'last_post_at'),
        Index('ix_thread_board_created', 'board_id', 'deleted', 'pinned', 'created_at'),
        Index('ix_thread_activity', 'deleted', 'last_post_at'),
        # The "solved" and "unanswered" views read partial indexes of just those threads.
        Index('ix_thread_board_solved', 'board_id', 'deleted', 'pinned', 'last_post_at',
              sqlite_where=text('solution_post_id IS NOT NULL'), postgresql_where=text('solution_post_id IS NOT NULL')),
        Index('ix_thread_board_unanswered', 'board_id', 'deleted', 'pinned', 'created_at',
              sqlite_where=text('reply_count = 0'), postgresql_where=text('reply_count = 0')),
    )

    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key='board.id')
    author_id: int | None = Field(default=None, foreign_key='user.id', index=True, ondelete='SET NULL')
    title: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    last_post_at: datetime = Field(default_factory=utcnow)
    last_poster_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    post_count: int = Field(default=0)  # posts ever written; the next post gets number post_count + 1
    reply_count: int = Field(default=0)  # visible replies (without the question, without deleted ones)
    view_count: int = Field(default=0)
    solution_post_id: int | None = Field(default=None)
    pinned: bool = Field(default=False)
    locked: bool = Field(default=False)
    deleted: bool = Field(default=False)


class ThreadTag(SQLModel, table=True):
    __tablename__ = 'thread_tag'
    __table_args__ = (Index('ix_thread_tag_tag', 'tag_id', 'thread_id'),)

    thread_id: int = Field(primary_key=True, foreign_key='thread.id', ondelete='CASCADE')
    tag_id: int = Field(primary_key=True, foreign_key='tag.id', ondelete='CASCADE')


class Post(SQLModel, table=True):
    __table_args__ = (
        Index('ix_post_thread_number', 'thread_id', 'number', unique=True),
        Index('ix_post_author_created', 'author_id', 'created_at'),
    )

    id: int | None = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key='thread.id')
    number: int  # 1 is the question; links are /threads/{id}#post-{number}
    author_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    body: str = Field(default='')  # Markdown as written
    body_html: str = Field(default='')  # sanitised HTML, rendered once on write (a page shows 50 posts)
    quoted_post_id: int | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    edited_at: datetime | None = Field(default=None)
    deleted: bool = Field(default=False)
    # Hidden by the moderation after a report: its author and moderators still see it, everyone else a notice.
    hidden: bool = Field(default=False)
    thanks_count: int = Field(default=0)
    helpful_count: int = Field(default=0)


class PostRevision(SQLModel, table=True):
    """The text a post had before an edit: the edit history."""

    __tablename__ = 'post_revision'

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key='post.id', index=True, ondelete='CASCADE')
    body: str
    editor_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow)


class Reaction(SQLModel, table=True):
    __table_args__ = (Index('ix_reaction_user_post', 'user_id', 'post_id'),)

    post_id: int = Field(primary_key=True, foreign_key='post.id', ondelete='CASCADE')
    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    kind: str = Field(primary_key=True, max_length=10)


class Mention(SQLModel, table=True):
    """A member named in a post; the notifications issue tells them."""

    post_id: int = Field(primary_key=True, foreign_key='post.id', ondelete='CASCADE')
    user_id: int = Field(primary_key=True, foreign_key='user.id', index=True, ondelete='CASCADE')


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key='post.id', index=True, ondelete='CASCADE')
    stored_name: str = Field(max_length=64, unique=True, index=True)  # random; the file's name in the data folder
    filename: str = Field(max_length=200)  # as the uploader named it (cleaned)
    content_type: str = Field(max_length=120)
    size: int
    created_at: datetime = Field(default_factory=utcnow)


class ThreadRead(SQLModel, table=True):
    """How far a member has read a thread, and whether they watch or mute it."""

    __tablename__ = 'thread_read'
    __table_args__ = (Index('ix_thread_read_thread', 'thread_id'),)

    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    thread_id: int = Field(primary_key=True, foreign_key='thread.id', ondelete='CASCADE')
    last_read_number: int = Field(default=0)
    watch: str = Field(default=WatchLevel.NORMAL, max_length=10)
    viewed_at: datetime = Field(default_factory=utcnow)


class BoardWatch(SQLModel, table=True):
    __tablename__ = 'board_watch'

    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    board_id: int = Field(primary_key=True, foreign_key='board.id', ondelete='CASCADE')
    watch: str = Field(default=WatchLevel.NORMAL, max_length=10)
    # Everything older counts as read ("Alle als gelesen markieren").
    read_before: datetime | None = Field(default=None)


class PostReport(SQLModel, table=True):
    __tablename__ = 'post_report'
    __table_args__ = (Index('ix_post_report_status_created', 'status', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key='post.id', index=True, ondelete='CASCADE')
    reporter_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    reason: str = Field(max_length=1000)
    status: str = Field(default=ReportStatus.OPEN, max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    handled_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    handled_at: datetime | None = Field(default=None)
    # What the moderation did: dismissed, hidden, deleted, locked (the reporter is told).
    outcome: str = Field(default='', max_length=10)
