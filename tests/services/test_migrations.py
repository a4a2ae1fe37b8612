"""The Alembic migrations build the schema the models describe; SQLite runs with our pragmas."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from services import db


def test_migrations_yield_the_same_schema_as_the_models(tmp_path):
    url = f'sqlite:///{tmp_path}/m.db'
    engine = db.configure(url)
    try:
        db.upgrade(url)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={'compare_type': True, 'include_object': db.include_object})
            diff = compare_metadata(context, SQLModel.metadata)
            tables = set(inspect(conn).get_table_names())
            version = conn.execute(text('SELECT version_num FROM alembic_version')).scalar_one()
    finally:
        engine.dispose()
    assert diff == []
    assert set(SQLModel.metadata.tables) <= tables
    assert version == db.head_revision()


def test_upgrade_twice_is_harmless(tmp_path):
    url = f'sqlite:///{tmp_path}/m.db'
    engine = db.configure(url)
    try:
        db.upgrade(url)
        db.upgrade(url)
        with engine.connect() as conn:
            versions = conn.execute(text('SELECT version_num FROM alembic_version')).scalars().all()
    finally:
        engine.dispose()
    assert versions == [db.head_revision()]


def test_file_database_engine_enables_foreign_keys_and_wal(tmp_path):
    engine = db.make_engine(f'sqlite:///{tmp_path}/p.db')
    try:
        with engine.connect() as conn:
            foreign_keys = conn.exec_driver_sql('PRAGMA foreign_keys').scalar()
            journal_mode = conn.exec_driver_sql('PRAGMA journal_mode').scalar()
            busy_timeout = conn.exec_driver_sql('PRAGMA busy_timeout').scalar()
    finally:
        engine.dispose()
    assert foreign_keys == 1
    assert journal_mode == 'wal'
    assert busy_timeout == 5000


def test_start_up_holds_no_statement_open_whatever_keeps_its_results(tmp_path, monkeypatch):
    """A profiler, a debugger or a sampled stack can keep a result object alive. The engine's WAL pragma once left its
    unread row active on the pooled connection then, and the start-up's FTS5 probe failed intermittently with
    'database table is locked' (reported as "no FTS5")."""
    from sqlalchemy.engine import Connection

    kept = []
    run = Connection.exec_driver_sql

    def keep(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        result = run(self, *args, **kwargs)
        kept.append(result)
        return result

    monkeypatch.setattr(Connection, 'exec_driver_sql', keep)
    url = f'sqlite:///{tmp_path}/held.db'
    engine = db.configure(url)
    try:
        db.upgrade(url)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert kept, 'the start-up ran no driver SQL: this test no longer watches it'
    assert 'member_fts' in tables


def test_a_failing_fts5_probe_says_why_unless_fts5_is_missing(tmp_path):
    from sqlalchemy.exc import OperationalError

    from services import search

    engine = db.make_engine(f'sqlite:///{tmp_path}/probe.db')
    try:
        with engine.connect() as conn:
            search.check_fts5(conn)  # this SQLite has FTS5
            pending = conn.exec_driver_sql('PRAGMA journal_mode')  # its row unread: an active statement
            with pytest.raises(OperationalError, match='locked'):
                search.check_fts5(conn)  # the real reason, not "no FTS5"
            pending.close()
    finally:
        engine.dispose()


def test_file_database_engine_enforces_foreign_keys(tmp_path):
    engine = db.make_engine(f'sqlite:///{tmp_path}/fk.db')
    try:
        SQLModel.metadata.create_all(engine)
        with engine.connect() as conn, pytest.raises(IntegrityError) as e:
            conn.exec_driver_sql(
                "INSERT INTO user_session (id, user_id, created_at, last_seen_at, ip, user_agent) "
                "VALUES ('s', 4711, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', '')")
    finally:
        engine.dispose()
    assert 'FOREIGN KEY' in str(e.value)
