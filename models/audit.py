"""The audit trail: who did what, when, from where."""

from datetime import datetime
from typing import Any

from sqlalchemy import event
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


# Append-only in the database itself, so that neither a service, a script nor a hand-written query can rewrite
# history: every UPDATE and DELETE of an entry is refused. (Migration 0005 creates the same triggers.)
APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
)
APPEND_ONLY_POSTGRES = (
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
)


def _append_only(target: Any, connection: Any, **_: Any) -> None:
    statements = {'sqlite': APPEND_ONLY_SQLITE, 'postgresql': APPEND_ONLY_POSTGRES}.get(connection.dialect.name, ())
    for statement in statements:
        connection.exec_driver_sql(statement)


event.listen(AuditEntry.__table__, 'after_create', _append_only)
