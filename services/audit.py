"""Writing and reading the audit trail. Entries are added in the caller's transaction."""

import json
from typing import Any

from sqlmodel import Session, col, select

from models.audit import AuditEntry


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None = None,
    target_type: str = '',
    target_id: object = '',
    ip: str = '',
    **details: Any,
) -> None:
    """Add an audit entry; it commits together with the change it describes."""
    session.add(
        AuditEntry(
            action=action,
            actor_id=actor_id,
            target_type=target_type,
            target_id=str(target_id),
            ip=ip[:64],
            details=json.dumps(details, ensure_ascii=False, default=str),
        )
    )


def list_entries(session: Session, *, action: str | None = None, limit: int = 50, offset: int = 0) -> list[AuditEntry]:
    """Newest first, bounded."""
    query = select(AuditEntry).order_by(col(AuditEntry.id).desc()).offset(offset).limit(min(limit, 500))
    if action:
        query = query.where(AuditEntry.action == action)
    return list(session.exec(query))
