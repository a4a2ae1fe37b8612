"""In-app notices for one member (a reminder, moving up from a waitlist, a cancelled event)."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Notification(SQLModel, table=True):
    __table_args__ = (Index('ix_notification_user_read', 'user_id', 'read_at', 'id'),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='user.id', ondelete='CASCADE')
    kind: str = Field(max_length=32)
    # The German catalogue key of the text and its parameters (JSON), so each reader sees it in their language.
    text: str = Field(max_length=200)
    params: str = Field(default='{}')
    url: str = Field(default='', max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = Field(default=None)
