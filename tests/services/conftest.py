"""Service tests: a fresh in-memory SQLite per test and named personas made through the real services."""

import sqlite3
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from models.user import Role, Status, User
from services import accounts, bus, db, members, passwords
from services.accounts import CurrentUser

PASSWORD = 'Gute-Frage-2026'


@pytest.fixture(scope='session')
def empty_schema() -> Iterator[sqlite3.Connection]:
    """One empty in-memory database with the whole schema, built once per test run."""
    engine = db.make_engine('sqlite://')
    db.use_engine(engine)
    db.create_all()
    with engine.connect() as conn:
        yield conn.connection.driver_connection
    engine.dispose()


@pytest.fixture
def session(empty_schema: sqlite3.Connection) -> Iterator[Session]:
    """A fresh in-memory database per test, copied from the empty schema (~0.3 ms instead of ~8 ms for create_all)."""
    engine = db.make_engine('sqlite://')
    with engine.connect() as conn:
        empty_schema.backup(conn.connection.driver_connection)
    db.use_engine(engine)
    bus.reset()
    members.forget_cached_facets()
    with db.session() as s:
        yield s
    bus.reset()
    engine.dispose()


def make_user(session: Session, name: str, email: str, *, role: str = Role.MEMBER,
              status: str = Status.ACTIVE) -> CurrentUser:
    """A persona stored directly: registration itself is tested through `accounts.register`."""
    user = User(name=name, email=email, email_key=email.lower(), password_hash=passwords.hash_password(PASSWORD),
                role=role, status=status)
    session.add(user)
    session.commit()
    return accounts.get_user(session, user.id)


@pytest.fixture
def ada_admin(session: Session) -> CurrentUser:
    return make_user(session, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)


@pytest.fixture
def mo_moderator(session: Session) -> CurrentUser:
    return make_user(session, 'Mo Moderator', 'mo@luenen.de', role=Role.MODERATOR)


@pytest.fixture
def mia_member(session: Session) -> CurrentUser:
    return make_user(session, 'Mia Member', 'mia@kreis-wesel.de')


@pytest.fixture
def pia_pending(session: Session) -> CurrentUser:
    return make_user(session, 'Pia Pending', 'pia@essen.de', status=Status.PENDING)


@pytest.fixture
def dora_deactivated(session: Session) -> CurrentUser:
    return make_user(session, 'Dora Deactivated', 'dora@bochum.de', status=Status.DEACTIVATED)
