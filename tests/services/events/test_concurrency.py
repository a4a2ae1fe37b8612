"""Two members ask for the last seat at the same moment: the database decides, exactly one gets it.

These tests use a database file (SQLite) or a PostgreSQL server, each thread with its own session, as the app does.
"""

import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from models.event import Event
from services import attendance, db
from services.accounts import CurrentUser
from tests.services.conftest import make_user
from tests.services.events.conftest import counted, create, stored_counters

ROUNDS = 20


def _race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; returns their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


def _answer(member: CurrentUser, event_id: int, on: date | None = None) -> Callable[[], str]:
    def call() -> str:
        with db.session() as s:
            return attendance.rsvp(s, actor=member, event_id=event_id, answer='yes', on=on).answer
    return call


def _people(_engine: Engine) -> tuple[CurrentUser, CurrentUser, CurrentUser]:
    """An organiser and two members in the given (current) database."""
    with db.session() as s:
        return (make_user(s, 'Mia Member', 'mia@kreis-wesel.de'), make_user(s, 'Olaf Other', 'olaf@essen.de'),
                make_user(s, 'Ben Becker', 'ben@bochum.de'))


def _check_last_seat_races(organiser: CurrentUser, first: CurrentUser, second: CurrentUser) -> None:
    for n in range(ROUNDS):
        with db.session() as s:
            event_id = create(s, organiser, title=f'Letzter Platz {n}', capacity=1)
        results = _race(_answer(first, event_id), _answer(second, event_id))
        assert sorted(results) == ['waitlist', 'yes'], results  # type: ignore[type-var]
        with db.session() as s:
            assert stored_counters(s, event_id) == counted(s, event_id) == {
                'onsite_taken': 1, 'online_taken': 0, 'maybe_count': 0, 'waitlist_count': 1}


def _check_first_answers_to_a_date_race(organiser: CurrentUser, first: CurrentUser, second: CurrentUser) -> None:
    """Both answers are the first for a date of a series: one row for the date, one seat, one waiting."""
    with db.session() as s:
        series_id = create(s, organiser, title='Stammtisch', capacity=1, repeat='weekly',
                           repeat_until=date(2027, 12, 31))
    for n in range(ROUNDS // 2):
        day = date(2027, 3, 10) + timedelta(weeks=n)
        results = _race(_answer(first, series_id, day), _answer(second, series_id, day))
        assert sorted(map(str, results)) == ['waitlist', 'yes'], results
        with db.session() as s:
            rows = s.execute(select(Event.id).where(Event.series_id == series_id)).scalars().all()
            assert len(rows) == n + 1
            row_id = max(rows)
            assert stored_counters(s, row_id) == counted(s, row_id) == {
                'onsite_taken': 1, 'online_taken': 0, 'maybe_count': 0, 'waitlist_count': 1}


def _check_double_clicks(organiser: CurrentUser, member: CurrentUser, _other: CurrentUser) -> None:
    """The same member's yes twice at the same moment: one answer, one seat."""
    for n in range(ROUNDS // 2):
        with db.session() as s:
            event_id = create(s, organiser, title=f'Doppelklick {n}', capacity=2)
        results = _race(_answer(member, event_id), _answer(member, event_id))
        assert results == ['yes', 'yes'], results
        with db.session() as s:
            assert stored_counters(s, event_id) == counted(s, event_id) == {
                'onsite_taken': 1, 'online_taken': 0, 'maybe_count': 0, 'waitlist_count': 0}


@pytest.fixture
def file_database(tmp_path) -> Iterator[Engine]:
    engine = db.make_engine(f'sqlite:///{tmp_path / "calendar.sqlite"}')
    db.use_engine(engine)
    db.create_all()
    yield engine
    engine.dispose()


def test_two_members_race_for_the_last_seat_on_sqlite(file_database):
    _check_last_seat_races(*_people(file_database))


def test_two_first_answers_to_a_date_of_a_series_on_sqlite(file_database):
    _check_first_answers_to_a_date_race(*_people(file_database))


def test_a_double_click_takes_one_seat_on_sqlite(file_database):
    _check_double_clicks(*_people(file_database))


@pytest.fixture(scope='module')
def pg_engine(postgres_url) -> Iterator[Engine]:
    engine = db.make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text('DROP SCHEMA public CASCADE'))
        conn.execute(text('CREATE SCHEMA public'))
    db.use_engine(engine)
    db.upgrade(postgres_url)  # the real migrations
    yield engine
    engine.dispose()


@pytest.fixture
def pg(pg_engine) -> Engine:
    db.use_engine(pg_engine)
    with pg_engine.begin() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                   "AND tablename <> 'alembic_version'")).scalars().all()
        conn.execute(text(f'TRUNCATE {", ".join(chr(34) + t + chr(34) for t in tables)} RESTART IDENTITY CASCADE'))
    return pg_engine


def test_two_members_race_for_the_last_seat_on_postgresql(pg):
    _check_last_seat_races(*_people(pg))


def test_two_first_answers_to_a_date_of_a_series_on_postgresql(pg):
    _check_first_answers_to_a_date_race(*_people(pg))
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Event)).scalar_one() == 1 + ROUNDS // 2


def test_a_double_click_takes_one_seat_on_postgresql(pg):
    _check_double_clicks(*_people(pg))
