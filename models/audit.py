"""The audit trail: who did what, when, from where."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = 'audit_entry'

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key='user.id', index=True, ondelete='SET NULL')
    action: str = Field(max_length=64, index=True)
    target_type: str = Field(default='', max_length=32)
    target_id: str = Field(default='', max_length=64)
    ip: str = Field(default='', max_length=64)
    details: str = Field(default='{}')
