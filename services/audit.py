"""Writing and reading the audit trail. Entries are added in the caller's transaction.

The trail is append-only: this module only adds entries (`record`) and reads them; the database itself refuses every
UPDATE and DELETE of an entry (triggers, see models/audit.py).
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.audit import AuditEntry
from models.user import User
from services.local_time import day_start, to_local
from services.permissions import require_admin

PAGE_SIZE = 50
MAX_COUNT = 10_000  # the total is counted up to here ("mehr als 10.000"): counting millions would take seconds
MAX_PAGE = MAX_COUNT // PAGE_SIZE
MAX_EXPORT_ROWS = 100_000
MAX_ACTIONS = 300
MAX_NAME_MATCHES = 50  # an actor filter by name matches at most this many members
FORMULA_START = ('=', '+', '-', '@', '\t', '\r')


@dataclass(frozen=True)
class AuditRow:
    """One entry as the log page shows it: plain values, the actor's name resolved."""

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: str
    ip: str
    details: dict[str, Any]


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


def _details(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or '{}')
    except ValueError:
        return {'text': text}
    return value if isinstance(value, dict) else {'value': value}


def _filtered(session: Session, query: Any, *, action: str, actor_id: int | None, actor_name: str, target_type: str,
              since: date | None, until: date | None) -> Any:
    """The filters of the log page; each one narrows by an indexed column (at, actor_id, action)."""
    if action:
        query = query.where(AuditEntry.action == action[:64])
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if actor_name.strip():
        pattern = '%' + actor_name.strip()[:100].lower().replace('\\', '\\\\').replace('%', '\\%').replace(
            '_', '\\_') + '%'
        ids = list(session.exec(select(User.id).where(func.lower(User.name).like(pattern, escape='\\'))
                                .order_by(User.id).limit(MAX_NAME_MATCHES)))
        query = query.where(col(AuditEntry.actor_id).in_(ids))
    if target_type:
        query = query.where(AuditEntry.target_type == target_type[:32])
    if since is not None:
        query = query.where(AuditEntry.at >= day_start(since))
    if until is not None:
        query = query.where(AuditEntry.at < day_start(until + timedelta(days=1)))
    return query


def _rows(session: Session, query: Any) -> list[AuditRow]:
    entries = list(session.exec(query))
    actor_ids = {e.actor_id for e in entries if e.actor_id is not None}
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_(actor_ids))).all()) \
        if actor_ids else {}
    return [AuditRow(e.id or 0, e.at, e.actor_id, names.get(e.actor_id, '') if e.actor_id else '', e.action,
                     e.target_type, e.target_id, e.ip, _details(e.details)) for e in entries]


def search_entries(session: Session, *, actor: Any, action: str = '', actor_id: int | None = None,
                   actor_name: str = '', target_type: str = '', since: date | None = None,
                   until: date | None = None, page: int = 1) -> tuple[list[AuditRow], int]:
    """One page (50) of entries, newest first, and how many match (counted up to MAX_COUNT). Administrators only.
    `since` and `until` are local days, both included."""
    require_admin(actor)
    page = min(max(page, 1), MAX_PAGE)
    filters = {'action': action, 'actor_id': actor_id, 'actor_name': actor_name, 'target_type': target_type,
               'since': since, 'until': until}
    ids = _filtered(session, select(AuditEntry.id), **filters).limit(MAX_COUNT).subquery()
    total = session.exec(select(func.count()).select_from(ids)).one()
    query = _filtered(session, select(AuditEntry), **filters).order_by(col(AuditEntry.id).desc()) \
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    return _rows(session, query), total


def actions_present(session: Session, *, actor: Any) -> list[str]:
    """The distinct actions in the trail (for the filter's choices), read from the action index."""
    require_admin(actor)
    return list(session.exec(select(AuditEntry.action).distinct().order_by(AuditEntry.action).limit(MAX_ACTIONS)))


def safe_cell(text: str) -> str:
    """Keep spreadsheet programs from running a value as a formula (CSV injection)."""
    return "'" + text if text[:1] in FORMULA_START else text


def details_text(details: dict[str, Any]) -> str:
    """Details compactly: `key=value, key=value` (the JSON without its braces and quotes)."""
    return ', '.join(f'{k}={v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}'
                     for k, v in details.items())


def entries_csv(session: Session, *, actor: Any, action: str = '', actor_id: int | None = None,
                actor_name: str = '', target_type: str = '', since: date | None = None,
                until: date | None = None) -> bytes:
    """The filtered trail as CSV (UTF-8 with BOM, `;`, times in Europe/Berlin), newest first, at most
    MAX_EXPORT_ROWS rows. The export is itself recorded."""
    require_admin(actor)
    filters = {'action': action, 'actor_id': actor_id, 'actor_name': actor_name, 'target_type': target_type,
               'since': since, 'until': until}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\r\n')
    writer.writerow(['Zeit', 'Wer', 'Wer (ID)', 'Aktion', 'Ziel', 'Ziel (ID)', 'IP', 'Details'])
    U = User.__table__  # noqa: N806
    A = AuditEntry.__table__  # noqa: N806
    query = _filtered(session, select(A.c.at, U.c.name, A.c.actor_id, A.c.action, A.c.target_type, A.c.target_id,
                                      A.c.ip, A.c.details).select_from(A.outerjoin(U, U.c.id == A.c.actor_id)),
                      **filters).order_by(A.c.id.desc()).limit(MAX_EXPORT_ROWS)
    count = 0
    for at, name, who, act, ttype, tid, ip, details in session.execute(query).yield_per(2000):
        writer.writerow([f'{to_local(at):%d.%m.%Y %H:%M:%S}', safe_cell(name or ''), who or '', safe_cell(act),
                         safe_cell(ttype), safe_cell(tid), safe_cell(ip), safe_cell(details_text(_details(details)))])
        count += 1
    used = {k: str(v) for k, v in filters.items() if v not in ('', None)}
    record(session, 'audit.exported', actor_id=actor.id, target_type='audit', rows=count, filters=used)
    session.commit()
    return ('\ufeff' + out.getvalue()).encode('utf-8')
