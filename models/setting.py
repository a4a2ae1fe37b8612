"""Run-time settings that administrators change in the browser."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utcnow


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=64)
    # JSON text, so one table holds strings, lists and numbers alike.
    value: str
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
