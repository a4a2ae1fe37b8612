"""Outgoing e-mail: an outbox that a background worker empties, and the last runs of scheduled jobs (digests)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow

MAIL_STATES = ('pending', 'sending', 'sent', 'failed')


class OutboxMail(SQLModel, table=True):
    """One message to one address. Pages and services only add rows; the worker sends them (never a page request)."""

    __tablename__ = 'outbox_mail'
    __table_args__ = (Index('ix_outbox_mail_due', 'status', 'next_attempt_at'),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    to: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    text: str
    html: str = Field(default='')
    kind: str = Field(default='', max_length=32)  # notification, digest.daily, digest.weekly, …
    status: str = Field(default='pending', max_length=8)
    attempts: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    locked_until: datetime | None = Field(default=None)  # a worker claimed it until then (a crashed one's claim ends)
    sent_at: datetime | None = Field(default=None)
    last_error: str = Field(default='', max_length=500)


class JobRun(SQLModel, table=True):
    """When a scheduled job last ran, so that a restart neither repeats nor skips it."""

    __tablename__ = 'job_run'

    name: str = Field(primary_key=True, max_length=40)
    last_run_at: datetime
