"""Audit log, statistics and CSV import pages: administrators only; filters, charts with tables, upload to report."""

import asyncio

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User
from sqlmodel import select

from models.user import Invitation, Role
from services import accounts, audit, db
from tests.ui.conftest import add_user, signed_in


@pytest.fixture
def ada(user: User) -> accounts.CurrentUser:
    return add_user('Ada Admin', 'ada@essen.de', role=Role.ADMIN)


def _only(user: User, marker: str) -> ui.element:
    elements = user.find(marker=marker).elements
    assert len(elements) == 1, marker
    return next(iter(elements))


async def test_moderators_and_members_are_sent_away(user: User, ada):
    add_user('Mo Moderator', 'mo@luenen.de', role=Role.MODERATOR)
    add_user('Mia Mitglied', 'mia@luenen.de')
    for email, name in (('mo@luenen.de', 'Mo Moderator'), ('mia@luenen.de', 'Mia Mitglied')):
        await signed_in(user, email)
        for path in ('/admin/audit', '/admin/stats', '/admin/import'):
            await user.open(path)
            await user.should_see(f'Willkommen, {name}!')
            await user.should_not_see(marker='admin-tab')
        await user.open('/logout')
        user.find(marker='submit').click()
        await asyncio.sleep(0.2)


async def test_audit_log_lists_filters_and_downloads(user: User, ada, caplog):
    add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/audit')
    await user.should_see('Protokoll')
    table = _only(user, 'audit-table').content
    assert 'Angemeldet' in table and 'Ada Admin' in table  # the sign-in just now, with its German label

    _only(user, 'filter-action').value = 'auth.signed_in'  # the filter form puts its values in the address
    user.find(marker='apply-filters').click()
    await user.should_see('1 Eintrag')
    assert user.back_history[-1] == '/admin/audit?action=auth.signed_in'
    table = _only(user, 'audit-table').content
    assert 'Angemeldet' in table and 'Konto' not in table
    await user.should_see('1 Eintrag')
    assert _only(user, 'filter-action').value == 'auth.signed_in'

    await user.open('/admin/audit?action=nichts.passiert&from=kaputt')
    await user.should_see(marker='audit-empty')

    href = _only(user, 'audit-csv').props['href']
    assert href == '/admin/audit.csv?action=nichts.passiert&from=kaputt'
    response = await user.http_client.get('/admin/audit.csv?action=auth.signed_in')
    assert response.status_code == 200
    assert response.headers['content-type'].startswith('text/csv')
    lines = response.content.decode('utf-8-sig').splitlines()
    assert lines[0].startswith('Zeit;Wer;')
    assert len(lines) == 2 and 'Ada Admin' in lines[1]
    assert len(db.call(audit.list_entries, action='audit.exported')) == 1  # the export is recorded


async def test_audit_log_filters_by_one_person(user: User, ada):
    mia = add_user('Mia Mitglied', 'mia@luenen.de')
    with db.session() as s:
        audit.record(s, 'profile.updated', actor_id=mia.id)
        audit.record(s, 'setting.changed', actor_id=ada.id)
        s.commit()
    await signed_in(user, 'ada@essen.de')
    await user.open(f'/admin/audit?actor={mia.id}')
    table = _only(user, 'audit-table').content
    assert 'Profil geändert' in table and 'Einstellung geändert' not in table and 'Angemeldet' not in table
    await user.open('/admin/audit?who=Ada')
    table = _only(user, 'audit-table').content
    assert 'Einstellung geändert' in table and 'Profil geändert' not in table


async def test_audit_csv_refuses_a_member(user: User, ada, caplog):
    add_user('Mia Mitglied', 'mia@luenen.de')
    try:
        await signed_in(user, 'mia@luenen.de')
        assert (await user.http_client.get('/admin/audit.csv')).status_code == 403
        assert db.call(audit.list_entries, action='audit.exported') == []
    finally:
        caplog.clear()


async def test_audit_log_pages(user: User, ada):
    with db.session() as s:
        for i in range(60):
            audit.record(s, 'board.mark_read', actor_id=ada.id, n=i)
        s.commit()
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/audit?action=board.mark_read')
    await user.should_see('Seite 1 von 2')
    assert 'n=59' in _only(user, 'audit-table').content
    await user.open('/admin/audit?action=board.mark_read&page=2')
    await user.should_see('Seite 2 von 2')
    assert 'n=9' in _only(user, 'audit-table').content and 'n=10' not in _only(user, 'audit-table').content


async def test_statistics_show_charts_each_with_a_data_table(user: User, ada):
    add_user('Mia Mitglied', 'mia@luenen.de')
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/stats')
    await user.should_see('Mitglieder je Verwaltung (die 15 größten)')
    for key in ('organizations', 'levels', 'new-members', 'active-members', 'posting', 'events'):
        chart = _only(user, f'echart-{key}')
        assert isinstance(chart, ui.echart)
        assert chart.options['series'] and chart.options['aria'] == {'enabled': True}
        assert '<table' in _only(user, f'table-{key}').content
    new_members = _only(user, 'echart-new-members').options
    assert len(new_members['xAxis']['data']) == 26
    assert new_members['series'][0]['data'][-1] == 2  # Ada and Mia joined this week
    active = _only(user, 'echart-active-members').options['series'][0]['data']
    assert active[-1] == 1  # Ada signed in
    assert len(_only(user, 'echart-events').options['xAxis']['data']) == 12


CSV = ('Name;E-Mail;Verwaltung\r\n'
       'Jürgen Öztürk;juergen@essen.de;Stadt Essen\r\n'
       'Anna Weiß;anna@kreis-wesel.de;Kreis Wesel\r\n'
       'Kaputt;keine-adresse;Kreis Wesel\r\n'
       'Ada Nochmal;ADA@essen.de;\r\n').encode('cp1252')


async def test_import_preview_run_and_report(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/import')
    upload = _only(user, 'csv-upload')
    await upload.handle_uploads([SmallFileUpload('mitglieder.csv', 'text/csv', CSV)])
    await user.should_see(marker='import-preview', retries=50)
    await user.should_see('Kodierung: Windows-1252 · Trennzeichen: ; · 4 Zeilen, davon 1 mit Fehlern')
    preview = _only(user, 'import-preview').content
    assert 'Jürgen Öztürk' in preview and 'Ungültige E-Mail-Adresse.' in preview and 'Ist schon Mitglied.' in preview

    user.find(marker='start-import').click()
    await user.should_see(marker='import-result', retries=100)
    await user.should_see('2 Einladungen erstellt, 2 Verwaltungen neu angelegt, 2 Zeilen abgelehnt.')
    assert _only(user, 'import-progress').value == 1
    assert 'Ungültige E-Mail-Adresse.' in _only(user, 'import-refused').content
    await user.should_see(marker='download-links')
    invitations = db.call(lambda s: s.exec(select(Invitation.email, Invitation.name)).all())
    assert sorted(invitations) == [('anna@kreis-wesel.de', 'Anna Weiß'), ('juergen@essen.de', 'Jürgen Öztürk')]
    assert len(db.call(audit.list_entries, action='import.members')) == 1


async def test_import_refuses_an_unreadable_file_with_a_message(user: User, ada):
    await signed_in(user, 'ada@essen.de')
    await user.open('/admin/import')
    upload = _only(user, 'csv-upload')
    await upload.handle_uploads([SmallFileUpload('mitglieder.csv', 'text/csv', 'Name;E-Mail\n'.encode('utf-16'))])
    await user.should_see('Die Datei ist in UTF-16 gespeichert.', retries=50)
    await user.should_not_see(marker='start-import')


def _recorded_actions() -> set[str]:
    """Every action name the services pass to audit.record (literals, both sides of a conditional, f-strings)."""
    import ast
    from pathlib import Path

    from services import moderation

    found: set[str] = set()
    for path in Path('services').glob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
            if not (isinstance(node, ast.Call) and getattr(node.func, 'attr', '') == 'record' and len(node.args) > 1):
                continue
            action = node.args[1]
            branches = [action.body, action.orelse] if isinstance(action, ast.IfExp) else [action]
            for branch in branches:
                if isinstance(branch, ast.Constant):
                    found.add(branch.value)
                elif isinstance(branch, ast.JoinedStr) and ast.unparse(branch) == "f'report.{outcome}'":
                    found.update(f'report.{outcome}' for outcome in moderation.ACTIONS.values())
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):  # pin/lock pass their pair of actions
            if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(
                    isinstance(e, ast.Constant) and str(e.value).startswith('thread.') for e in node.elts):
                found.update(e.value for e in node.elts)
    return found


def _action_labels() -> set[str]:
    # Read from the source, not imported: importing a page module outside the `user` fixture would register its
    # pages once for good, and the next page test's app would start without them.
    import ast
    from pathlib import Path

    tree = ast.parse(Path('ui/pages/admin_audit.py').read_text(encoding='utf-8'))
    [table] = [n.value for n in tree.body if isinstance(n, ast.Assign)
               and getattr(n.targets[0], 'id', '') == 'ACTION_LABELS']
    return {key.value for key in table.keys}


def test_every_recorded_action_has_a_readable_label():
    labelled = _action_labels()
    actions = _recorded_actions()
    assert {'user.deleted', 'report.hidden', 'thread.lock', 'setting.changed'} <= actions  # the scan itself works
    assert 'setting.changed' in labelled
    assert sorted(actions - labelled) == []
