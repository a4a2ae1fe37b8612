"""Direct messages: conversations between two or a small group of members, their messages, blocks and reports."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow

MAX_GROUP = 20  # members in one conversation, the starter included


class Conversation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow)
    last_message_at: datetime = Field(default_factory=utcnow, index=True)
    is_group: bool = Field(default=False)
    title: str = Field(default='', max_length=120)  # groups only; two people see each other's name


class ConversationMember(SQLModel, table=True):
    __tablename__ = 'conversation_member'
    __table_args__ = (Index('ix_conversation_member_user', 'user_id', 'left_at'),)

    conversation_id: int = Field(primary_key=True, foreign_key='conversation.id', ondelete='CASCADE')
    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    joined_at: datetime = Field(default_factory=utcnow)
    left_at: datetime | None = Field(default=None)
    # Read marks: the newest message this member has seen (others see "gelesen" up to it; no online status).
    last_read_message_id: int = Field(default=0)


class Message(SQLModel, table=True):
    # By author: the message rate limit, and removing a member's messages (deletion, "forget me").
    __table_args__ = (Index('ix_message_conversation_id', 'conversation_id', 'id'),
                      Index('ix_message_author_created', 'author_id', 'created_at'))

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key='conversation.id', ondelete='CASCADE')
    author_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    body: str = Field(default='')  # Markdown as written
    body_html: str = Field(default='')  # sanitised once on write, as posts
    created_at: datetime = Field(default_factory=utcnow)


class MemberBlock(SQLModel, table=True):
    """The blocker gets no more messages from the blocked member (who is not told)."""

    __tablename__ = 'member_block'

    blocker_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    blocked_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    created_at: datetime = Field(default_factory=utcnow)


class MessageReport(SQLModel, table=True):
    __tablename__ = 'message_report'
    __table_args__ = (Index('ix_message_report_status_created', 'status', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key='message.id', index=True, ondelete='CASCADE')
    reporter_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    reason: str = Field(max_length=1000)
    status: str = Field(default='open', max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    handled_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    handled_at: datetime | None = Field(default=None)
    outcome: str = Field(default='', max_length=10)
