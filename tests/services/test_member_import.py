"""Importing members from CSV: encodings, delimiters, headers, every refusal with its reason, batches, audit."""

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from models.base import utcnow
from models.organization import Organization
from models.user import Invitation
from services import accounts, audit, member_import
from services.errors import Invalid, NotAllowed
from services.member_import import parse_csv


def _csv(text: str, encoding: str = 'utf-8') -> bytes:
    return text.replace('\n', '\r\n').encode(encoding)


GOOD = ('Name;E-Mail;Verwaltung\n'
        'Jürgen Öztürk;juergen@essen.de;Stadt Essen\n'
        'Anna Weiß;anna@kreis-wesel.de;Kreis Wesel\n')


@pytest.mark.parametrize(('data', 'encoding'), [
    (_csv(GOOD), 'UTF-8'),
    (b'\xef\xbb\xbf' + _csv(GOOD), 'UTF-8 (mit BOM)'),
    (_csv(GOOD, 'cp1252'), 'Windows-1252'),
])
def test_umlauts_survive_every_encoding(data, encoding):
    parsed = parse_csv(data)
    assert parsed.encoding == encoding
    assert parsed.delimiter == ';'
    assert [(r.name, r.email, r.organization) for r in parsed.valid] == [
        ('Jürgen Öztürk', 'juergen@essen.de', 'Stadt Essen'), ('Anna Weiß', 'anna@kreis-wesel.de', 'Kreis Wesel')]


def test_commas_english_headers_any_case_and_any_column_order():
    parsed = parse_csv(_csv('EMAIL,organisation,NAME,Level\n"a@essen.de","Stadt Essen, Amt 10","Meier, Anna",bund\n'))
    assert parsed.delimiter == ','
    assert parsed.columns == ('name', 'email', 'organization', 'level')
    line = parsed.valid[0]
    assert (line.name, line.email, line.organization, line.level, line.line) == (
        'Meier, Anna', 'a@essen.de', 'Stadt Essen, Amt 10', 'Bund', 2)


def test_each_bad_row_gets_its_reason():
    parsed = parse_csv(_csv(
        'Name;E-Mail;Organisation;Ebene\n'
        ';leer@essen.de;Stadt Essen;\n'
        f'{"X" * 101};lang@essen.de;;\n'
        'Kein Mail;keine-adresse;;\n'
        'Erste;doppelt@essen.de;;\n'
        'Zweite;DOPPELT@essen.de;;\n'
        f'Org zu lang;org@essen.de;{"V" * 201};\n'
        'Ebene;ebene@essen.de;Neue Stadt;galaktisch\n'
        'Gut;gut@essen.de;;\n'
        ';;;\n'))  # an empty row is skipped, not refused
    problems = {line.line: (line.problem, line.params) for line in parsed.problems}
    assert problems == {
        2: (member_import.MSG_NAME_MISSING, {}),
        3: (member_import.MSG_NAME_TOO_LONG, {'n': 100}),
        4: (member_import.MSG_EMAIL_INVALID, {}),
        6: (member_import.MSG_DUPLICATE, {'line': 5}),
        7: (member_import.MSG_ORGANIZATION_INVALID, {'n': 200}),
        8: (member_import.MSG_LEVEL_INVALID, {'level': 'galaktisch',
                                              'levels': 'kommunal, regional, Land, Bund, sonstige'}),
    }
    assert [line.email for line in parsed.valid] == ['doppelt@essen.de', 'gut@essen.de']


@pytest.mark.parametrize(('data', 'message'), [
    (b'', 'leer'),
    (_csv('Name;E-Mail\n'), 'keine Zeilen'),
    (_csv('Vorname;Telefon\nA;1\n'), 'Kopfzeile braucht die Spalten Name und E-Mail'),
    (GOOD.encode('utf-16'), 'UTF-16'),
    (GOOD.encode('utf-16-le'), 'UTF-16'),
    (bytes(range(256)) * 20, 'keine CSV-Textdatei'),
    (b'\x89PNG\r\n\x1a\n' + bytes([7, 8, 11, 12, 14, 15] * 300), 'keine CSV-Textdatei'),
    (b'Name;E-Mail\n\x81\x8d;x@essen.de\n', 'Zeichenkodierung'),
    (b'x' * (member_import.MAX_BYTES + 1), 'größer als'),
])
def test_files_that_cannot_be_imported_are_refused_with_a_clear_message(data, message):
    with pytest.raises(Invalid) as refused:
        parse_csv(data)
    assert message in refused.value.message.format(**refused.value.params)
    assert refused.value.field == 'file'


def test_too_many_rows_are_refused_up_front():
    rows = ''.join(f'M{i};m{i}@essen.de\n' for i in range(100_000))
    with pytest.raises(Invalid) as refused:
        parse_csv(('Name;E-Mail\n' + rows).encode())
    assert refused.value.params == {'n': 100_000, 'max': member_import.MAX_ROWS}
    exactly = ''.join(f'M{i};m{i}@essen.de\n' for i in range(member_import.MAX_ROWS))
    assert len(parse_csv(('Name;E-Mail\n' + exactly).encode()).lines) == member_import.MAX_ROWS


def test_import_invites_everyone_valid_and_reports_the_rest(session, ada_admin, mia_member):
    accounts.create_invitation(session, actor=ada_admin, email='Offen@Essen.de')
    spent = Invitation(token_hash=accounts.hash_token('abgelaufen'), email='alt@essen.de',
                       expires_at=utcnow() - timedelta(days=1))
    session.add(spent)
    session.commit()
    parsed = parse_csv(_csv(
        'Name;E-Mail;Verwaltung;Ebene\n'
        'Jürgen Öztürk;juergen@essen.de;Stadt Essen;kommunal\n'
        'Mia Nochmal;MIA@kreis-wesel.de;;\n'  # already a member
        'Offen;offen@essen.de;;\n'  # has an open invitation
        'Alt;alt@essen.de;stadt  ESSEN;\n'  # the expired invitation does not count; same organisation
        'Kaputt;kaputt;;\n'
        'Paula Land;paula@nrw.de;Land NRW;Land\n'))
    seen = []
    report = member_import.import_members(session, actor=ada_admin, parsed=parsed,
                                          progress=lambda done, total: seen.append((done, total)), batch_size=2)
    assert seen == [(0, 6), (2, 6), (4, 6), (6, 6)]
    assert report.invited == 3 and report.organizations_created == 2
    assert [(r.line, r.problem) for r in report.refused] == [
        (3, member_import.MSG_MEMBER), (4, member_import.MSG_INVITED), (6, member_import.MSG_EMAIL_INVALID)]
    assert [link.email for link in report.links] == ['juergen@essen.de', 'alt@essen.de', 'paula@nrw.de']

    invitations = {i.email: i for i in session.exec(select(Invitation).where(Invitation.note.startswith('Import ')))}
    assert set(invitations) == {'juergen@essen.de', 'alt@essen.de', 'paula@nrw.de'}
    juergen = invitations['juergen@essen.de']
    assert (juergen.name, juergen.max_uses, juergen.use_count, juergen.created_by) == ('Jürgen Öztürk', 1, 0,
                                                                                      ada_admin.id)
    expires = juergen.expires_at if juergen.expires_at.tzinfo else juergen.expires_at.replace(tzinfo=utcnow().tzinfo)
    assert timedelta(days=29, hours=23) < expires - utcnow() <= timedelta(days=30)
    assert len(report.links[0].token) >= 43 and juergen.token_hash == accounts.hash_token(report.links[0].token)
    essen = session.exec(select(Organization).where(Organization.name == 'Stadt Essen')).one()
    assert essen.level == 'kommunal'
    assert invitations['alt@essen.de'].organization_id == essen.id
    assert session.exec(select(Organization.level).where(Organization.name == 'Land NRW')).one() == 'Land'
    assert accounts.check_invitation(session, report.links[0].token)  # the link works for registration

    entries = audit.list_entries(session, action='import.members')
    assert len(entries) == 1
    assert '"invited": 3' in entries[0].details and '"refused": 3' in entries[0].details

    again = member_import.import_members(session, actor=ada_admin, parsed=parsed)
    assert again.invited == 0
    assert {r.problem for r in again.refused if r.line in (2, 5, 7)} == {member_import.MSG_INVITED}
    assert len(audit.list_entries(session, action='import.members')) == 2


def test_existing_organisation_keeps_its_level(session, ada_admin):
    session.add(Organization(name='Stadt Essen', name_key='stadt essen', level='kommunal'))
    session.commit()
    parsed = parse_csv(_csv('Name;E-Mail;Verwaltung;Ebene\nA;a@essen.de;Stadt Essen;Bund\n'))
    report = member_import.import_members(session, actor=ada_admin, parsed=parsed)
    assert report.organizations_created == 0
    assert session.exec(select(Organization.level)).all() == ['kommunal']


def test_preview_marks_members_and_open_invitations(session, ada_admin, mia_member):
    accounts.create_invitation(session, actor=ada_admin, email='offen@essen.de')
    parsed = parse_csv(_csv('Name;E-Mail\nMia;mia@kreis-wesel.de\nOffen;offen@essen.de\nNeu;neu@essen.de\nX;x\n'))
    lines = member_import.preview(session, actor=ada_admin, parsed=parsed)
    assert [line.problem for line in lines] == [member_import.MSG_MEMBER, member_import.MSG_INVITED, '',
                                                member_import.MSG_EMAIL_INVALID]
    many = parse_csv(('Name;E-Mail\n' + ''.join(f'M{i};m{i}@essen.de\n' for i in range(50))).encode())
    assert len(member_import.preview(session, actor=ada_admin, parsed=many)) == member_import.PREVIEW_ROWS


def test_links_csv_lists_name_email_and_link_safely():
    report = member_import.ImportReport(1, 0, (), (member_import.Link('=Böse', 'a@essen.de', 'tok'),))
    data = member_import.links_csv(report, 'https://netz.example/')
    assert data.startswith('\ufeff'.encode())
    rows = list(csv.reader(io.StringIO(data.decode('utf-8-sig')), delimiter=';'))
    assert rows == [['Name', 'E-Mail', 'Link'], ["'=Böse", 'a@essen.de', 'https://netz.example/register?invite=tok']]


def test_a_failing_batch_keeps_earlier_batches_and_still_leaves_one_audit_entry(session, ada_admin):
    parsed = parse_csv(('Name;E-Mail\n' + ''.join(f'M{i};m{i}@essen.de\n' for i in range(5))).encode())

    def progress(done, total):
        if done == 4:
            raise RuntimeError('stopped')

    with pytest.raises(RuntimeError):
        member_import.import_members(session, actor=ada_admin, parsed=parsed, progress=progress, batch_size=2)
    assert len(session.exec(select(Invitation)).all()) == 4  # two committed batches
    entries = audit.list_entries(session, action='import.members')
    assert len(entries) == 1 and '"aborted_at": 4' in entries[0].details and '"invited": 4' in entries[0].details


def test_only_administrators_import(session, mo_moderator, mia_member, dora_deactivated):
    parsed = parse_csv(_csv(GOOD))
    for who in (mo_moderator, mia_member, dora_deactivated, None):
        with pytest.raises(NotAllowed):
            member_import.import_members(session, actor=who, parsed=parsed)
        with pytest.raises(NotAllowed):
            member_import.preview(session, actor=who, parsed=parsed)
    assert session.exec(select(Invitation)).all() == []
    assert audit.list_entries(session, action='import.members') == []
