"""Demo seeding (idempotent, refusing real content) and the SQLite backup."""

import sqlite3

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from models.audit import AuditEntry
from models.organization import Organization
from models.user import Role, User
from services import accounts, backup, db, demo
from services.errors import Invalid
from tests.services.conftest import make_user


def count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def members(session: Session) -> list[User]:
    return list(session.exec(select(User).where(User.role != Role.ADMIN)))


# ---------------------------------------------------------------- demo


def test_seed_demo_adds_12_organizations_and_the_requested_members(session):
    result = demo.seed_demo(session, members=40)
    assert result == demo.SeedResult(12, 40)
    assert count(session, Organization) == 12
    assert count(session, User) == 40
    assert {o.name for o in session.exec(select(Organization))} == {name for name, *_ in demo.ORGANIZATIONS}
    assert all(u.email_key.endswith('.example') and u.organization_id for u in members(session))


def test_seeded_members_can_sign_in_with_the_demo_password(session):
    demo.seed_demo(session, members=40)
    active = session.exec(select(User).where(User.status == 'active')).first()
    assert accounts.sign_in(session, email=active.email, password=demo.DEMO_PASSWORD).user.id == active.id


def test_second_seed_adds_nothing_and_writes_no_audit(session):
    demo.seed_demo(session, members=40)
    audit_rows = count(session, AuditEntry)
    assert demo.seed_demo(session, members=40) == demo.SeedResult(0, 0)
    assert count(session, User) == 40
    assert count(session, Organization) == 12
    assert count(session, AuditEntry) == audit_rows


def test_seed_is_recorded_in_audit(session):
    demo.seed_demo(session, members=40)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == 'demo.seeded')).one()
    assert entry.details == '{"organizations": 12, "members": 40}'


def test_seed_refuses_database_with_a_real_member(session, mia_member):
    with pytest.raises(demo.RealContent):
        demo.seed_demo(session, members=40)
    assert count(session, User) == 1
    assert count(session, Organization) == 0


def test_seed_refuses_database_with_a_real_organization(session):
    from services import organizations as orgs

    orgs.find_or_add_organization(session, 'Gemeinde Schermbeck')
    session.commit()
    with pytest.raises(demo.RealContent):
        demo.seed_demo(session, members=40)
    assert count(session, User) == 0


def test_seed_with_force_adds_demo_data_beside_real_content(session, mia_member):
    assert demo.seed_demo(session, members=40, force=True) == demo.SeedResult(12, 40)
    assert count(session, User) == 41
    assert session.get(User, mia_member.id).email == 'mia@kreis-wesel.de'


def test_admin_only_database_is_not_real_content(session, ada_admin):
    assert not demo.has_real_content(session)
    assert demo.seed_demo(session, members=40) == demo.SeedResult(12, 40)
    assert count(session, User) == 41


def test_seed_adds_only_the_missing_members_when_asked_for_more(session):
    demo.seed_demo(session, members=40)
    assert demo.seed_demo(session, members=45) == demo.SeedResult(0, 5)
    assert count(session, User) == 45


# ---------------------------------------------------------------- backup


def test_backup_copies_a_file_database(tmp_path):
    url = f'sqlite:///{tmp_path}/src.db'
    engine = db.make_engine(url)
    db.use_engine(engine)
    try:
        db.create_all()
        with db.session() as s:
            make_user(s, 'Bea Backup', 'bea@essen.de')
        target = backup.backup(url, tmp_path / 'copy.db')
    finally:
        engine.dispose()

    assert target == (tmp_path / 'copy.db').resolve()
    assert not (tmp_path / 'copy.db.partial').exists()
    con = sqlite3.connect(target)
    try:
        rows = con.execute('SELECT name, email FROM "user"').fetchall()
        journal_mode = con.execute('PRAGMA journal_mode').fetchone()[0]
    finally:
        con.close()
    assert rows == [('Bea Backup', 'bea@essen.de')]
    assert journal_mode == 'delete'


def _plain_sqlite_file(path):
    con = sqlite3.connect(path)
    con.execute('CREATE TABLE t (x INTEGER)')
    con.commit()
    con.close()
    return path


def test_backup_refuses_an_existing_target_file(tmp_path):
    source = _plain_sqlite_file(tmp_path / 'src.db')
    target = tmp_path / 'copy.db'
    target.write_bytes(b'keep me')
    with pytest.raises(Invalid) as e:
        backup.backup(f'sqlite:///{source}', target)
    assert e.value.field == 'file'
    assert target.read_bytes() == b'keep me'


def test_backup_refuses_a_missing_target_folder(tmp_path):
    source = _plain_sqlite_file(tmp_path / 'src.db')
    with pytest.raises(Invalid) as e:
        backup.backup(f'sqlite:///{source}', tmp_path / 'nowhere' / 'copy.db')
    assert e.value.field == 'file'


def test_backup_refuses_postgresql_with_pg_dump_hint(tmp_path):
    with pytest.raises(Invalid) as e:
        backup.backup('postgresql+psycopg://vn@localhost/vn', tmp_path / 'copy.db')
    assert e.value.field == 'database' and 'pg_dump' in e.value.message
    assert not (tmp_path / 'copy.db').exists()


def test_backup_refuses_a_missing_source_database(tmp_path):
    with pytest.raises(Invalid) as e:
        backup.backup(f'sqlite:///{tmp_path}/missing.db', tmp_path / 'copy.db')
    assert e.value.field == 'database' and e.value.params == {'path': str(tmp_path / 'missing.db')}
    assert not (tmp_path / 'copy.db').exists()
    assert not (tmp_path / 'missing.db').exists()

