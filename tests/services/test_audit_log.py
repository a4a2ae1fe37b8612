"""The audit log: search with filters and pages, CSV export, append-only, administrators only."""

import csv
import inspect
import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from models.audit import AuditEntry
from services import audit
from services.errors import NotAllowed


def _entry_at(session, action, at, *, actor_id=None, target_type='thread', **details):
    session.add(AuditEntry(action=action, actor_id=actor_id, target_type=target_type, target_id='7', at=at,
                           details=json.dumps(details)))
    session.commit()


def test_search_filters_by_action_actor_and_dates_newest_first(session, ada_admin, mia_member):
    _entry_at(session, 'thread.create', datetime(2026, 3, 1, 10, tzinfo=UTC), actor_id=mia_member.id)
    _entry_at(session, 'post.delete', datetime(2026, 3, 2, 10, tzinfo=UTC), actor_id=ada_admin.id)
    _entry_at(session, 'thread.create', datetime(2026, 3, 3, 10, tzinfo=UTC), actor_id=ada_admin.id)
    # 23:30 UTC on 3 March is 00:30 on 4 March in Berlin: it belongs to the 4th.
    _entry_at(session, 'thread.create', datetime(2026, 3, 3, 23, 30, tzinfo=UTC), actor_id=mia_member.id)

    rows, total = audit.search_entries(session, actor=ada_admin)
    assert total == 4
    assert [r.at.day for r in rows] == [3, 3, 2, 1]  # newest first
    assert rows[0].actor_name == 'Mia Member'

    rows, total = audit.search_entries(session, actor=ada_admin, action='thread.create')
    assert total == 3 and {r.action for r in rows} == {'thread.create'}
    rows, total = audit.search_entries(session, actor=ada_admin, actor_id=ada_admin.id)
    assert total == 2 and {r.actor_name for r in rows} == {'Ada Admin'}
    rows, total = audit.search_entries(session, actor=ada_admin, actor_name='mia')
    assert total == 2 and {r.actor_id for r in rows} == {mia_member.id}
    rows, total = audit.search_entries(session, actor=ada_admin, since=date(2026, 3, 2), until=date(2026, 3, 3))
    assert [(r.action, r.at.day) for r in rows] == [('thread.create', 3), ('post.delete', 2)]
    rows, total = audit.search_entries(session, actor=ada_admin, since=date(2026, 3, 4))
    assert total == 1 and rows[0].actor_id == mia_member.id
    assert audit.search_entries(session, actor=ada_admin, target_type='event')[1] == 0
    assert audit.search_entries(session, actor=ada_admin, actor_name='%')[1] == 0  # a wildcard is a plain character


def test_search_pages_through_fifty_at_a_time(session, ada_admin):
    for i in range(120):
        audit.record(session, 'board.mark_read', actor_id=ada_admin.id, n=i)
    session.commit()
    first, total = audit.search_entries(session, actor=ada_admin)
    assert total == 120 and len(first) == audit.PAGE_SIZE
    assert first[0].details == {'n': 119}
    third, _ = audit.search_entries(session, actor=ada_admin, page=3)
    assert [r.details['n'] for r in third] == list(range(19, -1, -1))
    assert audit.search_entries(session, actor=ada_admin, page=-5)[0][0].details == {'n': 119}  # clamped
    assert audit.search_entries(session, actor=ada_admin, page=10**9)[0] == []


def test_actions_present_lists_each_action_once(session, ada_admin):
    for action in ('b.two', 'a.one', 'b.two'):
        audit.record(session, action)
    session.commit()
    assert audit.actions_present(session, actor=ada_admin) == ['a.one', 'b.two']


def test_csv_export_is_excel_friendly_neutralises_formulas_and_is_itself_audited(session, ada_admin, mia_member):
    _entry_at(session, 'thread.create', datetime(2026, 7, 1, 8, 5, tzinfo=UTC), actor_id=mia_member.id,
              title='=HYPERLINK("http://evil")')
    audit.record(session, 'post.delete', actor_id=ada_admin.id, reason='Spam; „Werbung“')
    session.commit()
    data = audit.entries_csv(session, actor=ada_admin, action='thread.create')
    assert data.startswith('\ufeff'.encode())
    rows = list(csv.reader(io.StringIO(data.decode('utf-8-sig')), delimiter=';'))
    assert rows[0][:4] == ['Zeit', 'Wer', 'Wer (ID)', 'Aktion']
    assert len(rows) == 2  # the filter applies
    assert rows[1][0] == '01.07.2026 10:05:00'  # Berlin summer time
    assert rows[1][1] == 'Mia Member'
    assert rows[1][-1] == 'title==HYPERLINK("http://evil")'
    everything = list(csv.reader(io.StringIO(audit.entries_csv(session, actor=ada_admin).decode('utf-8-sig')),
                                 delimiter=';'))
    assert any(r[-1] == 'reason=Spam; „Werbung“' for r in everything)  # the ';' is quoted, not a new column
    assert all(len(r) == 8 for r in everything)
    exports = audit.list_entries(session, action='audit.exported')
    assert len(exports) == 2
    assert '"rows": 1' in exports[-1].details and 'thread.create' in exports[-1].details


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(session, ada_admin):
    audit.record(session, '=cmd|calc', actor_id=ada_admin.id, target_type='+x', target_id='@SUM(1)')
    session.commit()
    rows = list(csv.reader(io.StringIO(audit.entries_csv(session, actor=ada_admin).decode('utf-8-sig')),
                           delimiter=';'))
    row = next(r for r in rows[1:] if 'cmd' in r[3])
    assert (row[3], row[4], row[5]) == ("'=cmd|calc", "'+x", "'@SUM(1)")
    assert audit.safe_cell('-1') == "'-1" and audit.safe_cell('Essen') == 'Essen'


def test_entries_cannot_be_changed_or_deleted_through_the_session(session, ada_admin):
    audit.record(session, 'user.approved', actor_id=ada_admin.id, target_id=3)
    session.commit()
    entry = session.exec(select(AuditEntry)).one()
    entry.action = 'user.nothing_happened'
    with pytest.raises(DBAPIError, match='append-only'):
        session.commit()
    session.rollback()
    session.delete(session.exec(select(AuditEntry)).one())
    with pytest.raises(DBAPIError, match='append-only'):
        session.commit()
    session.rollback()
    with pytest.raises(DBAPIError, match='append-only'):
        session.execute(text('DELETE FROM audit_entry'))
    session.rollback()
    assert session.exec(select(AuditEntry.action)).all() == ['user.approved']


def test_the_module_offers_no_way_to_change_entries():
    functions = {name for name, obj in inspect.getmembers(audit, inspect.isfunction)
                 if obj.__module__ == audit.__name__}
    assert functions == {'record', 'list_entries', 'search_entries', 'actions_present', 'entries_csv', 'safe_cell',
                         'details_text', '_details', '_filtered', '_rows'}
    source = inspect.getsource(audit).lower()
    for word in ('update(', 'delete(', '.delete', 'session.merge'):
        assert word not in source


@pytest.mark.parametrize('call', [
    lambda s, a: audit.search_entries(s, actor=a),
    lambda s, a: audit.actions_present(s, actor=a),
    lambda s, a: audit.entries_csv(s, actor=a),
])
def test_only_administrators_read_the_log(session, mo_moderator, mia_member, dora_deactivated, call):
    for who in (mo_moderator, mia_member, dora_deactivated, None):
        with pytest.raises(NotAllowed):
            call(session, who)
    assert audit.list_entries(session, action='audit.exported') == []
