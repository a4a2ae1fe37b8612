"""The one engine, short sessions, migrations at start-up."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import models  # noqa: F401  (registers the tables)

MIGRATIONS = Path(__file__).resolve().parent.parent / 'migrations'
T = TypeVar('T')
log = logging.getLogger(__name__)

_engine: Engine | None = None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=5000')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with our SQLite settings (WAL, foreign keys, busy timeout); plain for PostgreSQL."""
    if url.startswith('sqlite'):
        in_memory = url in ('sqlite://', 'sqlite:///:memory:')
        engine = create_engine(
            url,
            connect_args={'check_same_thread': False},
            poolclass=StaticPool if in_memory else None,
        )
        event.listen(engine, 'connect', _sqlite_pragmas)
        if not in_memory:
            with engine.connect() as conn:
                # Read the answer: a PRAGMA's unread row keeps its statement active on this pooled connection for as
                # long as anything holds the result, and SQLite refuses DROP TABLE there ('database table is locked').
                mode = conn.exec_driver_sql('PRAGMA journal_mode=WAL').scalar()
            if mode != 'wal':
                log.warning('SQLite refused write-ahead logging (journal mode %s): writers will block readers', mode)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def configure(url: str) -> Engine:
    """Point the app at a database (called once at start-up, and by tests)."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = make_engine(url)
    return _engine


def use_engine(engine: Engine) -> None:
    """Use an engine made elsewhere (service tests share one in-memory engine)."""
    global _engine
    _engine = engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError('database not configured: call services.db.configure(url) first')
    return _engine


@contextmanager
def session() -> Iterator[Session]:
    """One short session per user action; objects stay readable after commit."""
    with Session(get_engine(), expire_on_commit=False) as s:
        yield s


def call(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a service function in its own session: `db.call(accounts.sign_in, email=…)`."""
    with session() as s:
        return fn(s, *args, **kwargs)


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """For autogenerate: full-text tables (FTS5 and its shadow tables) are made by raw SQL, not by the models."""
    return not (type_ == 'table' and reflected and compare_to is None and name is not None and
                (name.endswith('_fts') or '_fts_' in name))


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config('sqlite://')).get_current_head()
    assert head is not None
    return head


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option('script_location', str(MIGRATIONS))
    cfg.set_main_option('sqlalchemy.url', url.replace('%', '%%'))
    return cfg


def upgrade(url: str) -> None:
    """Create or upgrade the schema to the newest migration."""
    from services import search

    engine = get_engine()
    cfg = alembic_config(url)
    with engine.begin() as conn:
        search.check_fts5(conn)
        cfg.attributes['connection'] = conn
        command.upgrade(cfg, 'head')
    if engine.dialect.name == 'sqlite':
        # Planner statistics (PostgreSQL's autovacuum keeps its own); the limit bounds the time on big databases.
        with engine.begin() as conn:
            conn.exec_driver_sql('PRAGMA analysis_limit=1000')
            conn.exec_driver_sql('ANALYZE')


def create_all() -> None:
    """Schema straight from the models plus the search index, for in-memory service tests."""
    from services import search

    SQLModel.metadata.create_all(get_engine())
    with get_engine().begin() as conn:
        search.create_member_index(conn)
        search.create_post_index(conn)


def ping() -> bool:
    """True when the database answers."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text('SELECT 1'))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
