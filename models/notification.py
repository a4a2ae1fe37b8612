"""Notices for one member (a reply, a mention, a reminder, moving up from a waitlist) and how each wants them."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow

# What a member can be told about. The notification preferences on /account have one row per kind.
KINDS = (
    'reply',  # a reply in a thread I watch
    'mention',  # someone @mentioned me
    'reaction',  # a reaction to my post
    'solution',  # my reply was marked as the solution
    'event.changed',  # an event I answered changed (time, place) ...
    'event.cancelled',  # ... or was cancelled
    'event.reminder',  # an event I accepted is tomorrow
    'event.promoted',  # I moved up from the waitlist
    'message',  # a new direct message
    'account.approved',  # my registration was approved
    'moderation.report',  # a report I made was handled
)
# How: in the app only, in the app and by e-mail at once, in the app and in the daily or weekly digest, or not at all.
CHANNELS = ('app', 'email', 'daily', 'weekly', 'off')
# Mentions and direct messages at once, as the issue asks; so is the approval of a registration: whoever waits for
# it cannot see a notice in the app before it arrives.
AT_ONCE = ('mention', 'message', 'account.approved')
DEFAULT_CHANNELS = {kind: 'email' if kind in AT_ONCE else 'daily' for kind in KINDS}


class Notification(SQLModel, table=True):
    __table_args__ = (
        Index('ix_notification_user_read', 'user_id', 'read_at', 'id'),
        # The mail worker and the digests look for notices still to be mailed, per channel.
        Index('ix_notification_email_pending', 'email', 'emailed_at', 'id'),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='user.id', ondelete='CASCADE')
    kind: str = Field(max_length=32)
    # The German catalogue key of the text and its parameters (JSON), so each reader sees it in their language.
    text: str = Field(max_length=200)
    params: str = Field(default='{}')
    url: str = Field(default='', max_length=300)
    # What the notice is about ('thread:12', 'event:5', 'conversation:3'): /notifications groups by it.
    group_key: str = Field(default='', max_length=40)
    actor_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = Field(default=None)
    # The member's channel when the notice was made: '' (app only), 'email', 'daily' or 'weekly'; set when mailed.
    email: str = Field(default='', max_length=8)
    emailed_at: datetime | None = Field(default=None)


class NotificationPreference(SQLModel, table=True):
    """A member's choice for one kind; no row means DEFAULT_CHANNELS."""

    __tablename__ = 'notification_preference'

    user_id: int = Field(primary_key=True, foreign_key='user.id', ondelete='CASCADE')
    kind: str = Field(primary_key=True, max_length=32)
    channel: str = Field(max_length=8)
