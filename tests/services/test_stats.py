"""The statistics: counts grouped by the database on a small seeded network, zero-filled weeks, local weeks."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from models.board import Board, Post, Thread
from models.event import Event, Repeat
from models.organization import Organization
from models.user import LoginAttempt, Status, User
from services import stats
from services.errors import NotAllowed

TODAY = date(2026, 3, 18)  # a Wednesday; its week starts on Monday 16 March
MONDAY = date(2026, 3, 16)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _user(session, name, *, org=None, created=None, status=Status.ACTIVE) -> User:
    u = User(name=name, email=f'{name.lower()}@essen.de', email_key=f'{name.lower()}@essen.de', password_hash='x',
             status=status, organization_id=org.id if org else None, created_at=created or at(date(2025, 1, 1)))
    session.add(u)
    session.commit()
    return u


@pytest.fixture
def network(session):
    orgs = [Organization(name=f'Stadt {i:02}', name_key=f'stadt {i:02}', level='kommunal' if i < 10 else 'Land')
            for i in range(18)]
    session.add_all(orgs)
    session.commit()
    people = []
    # Organisation i gets i + 1 active members: the top 15 are organisations 17 … 3.
    for i, org in enumerate(orgs):
        people += [_user(session, f'P{i}x{k}', org=org) for k in range(i + 1)]
    _user(session, 'Ohneorg')
    _user(session, 'Weg', org=orgs[17], status=Status.DEACTIVATED)
    return orgs, people


def test_members_per_organization_top_fifteen_and_the_rest(session, ada_admin, network):
    shares = stats.members_per_organization(session, actor=ada_admin)
    assert [s.label for s in shares.items] == [f'Stadt {i:02}' for i in range(17, 2, -1)]
    assert shares.items[0].count == 18  # the deactivated member is not counted
    # Organisations 0, 1, 2 (1 + 2 + 3 members), the member without one and Ada (who has none either).
    assert shares.other == 6 + 1 + 1


def test_members_per_level(session, ada_admin, network):
    shares = {s.label: s.count for s in stats.members_per_level(session, actor=ada_admin).items}
    assert shares == {'kommunal': sum(range(1, 11)), 'Land': sum(range(11, 19)), '': 2}


def test_new_members_per_week_zero_filled_in_local_weeks(session, ada_admin):
    _user(session, 'Montag', created=datetime(2026, 3, 15, 23, 30, tzinfo=UTC))  # 00:30 on Monday 16 in Berlin
    _user(session, 'Sonntag', created=datetime(2026, 3, 15, 22, 30, tzinfo=UTC))  # 23:30 on Sunday in Berlin
    _user(session, 'Frueh', created=at(MONDAY - timedelta(weeks=25)))  # the oldest week shown
    _user(session, 'Zufrueh', created=at(MONDAY - timedelta(weeks=26)))  # one week too old
    _user(session, 'Wartend', created=at(TODAY), status=Status.PENDING)  # not a member yet
    weeks = stats.new_members_per_week(session, actor=ada_admin, day=TODAY)
    assert len(weeks) == 26
    assert weeks[-1].start == MONDAY and weeks[0].start == MONDAY - timedelta(weeks=25)
    assert [w.values[0] for w in weeks] == [1] + [0] * 23 + [1, 1]
    # Ada was created today by the fixture, which is not TODAY: nothing else counted.


def test_active_members_count_sign_ins_and_posts_once_per_member_and_week(session, ada_admin, mia_member):
    board = Board(slug='allgemein', name='Allgemein')
    session.add(board)
    session.commit()
    thread = Thread(board_id=board.id, author_id=mia_member.id, title='Frage', created_at=at(MONDAY))
    session.add(thread)
    session.commit()
    week_before = MONDAY - timedelta(weeks=1)
    session.add_all([
        LoginAttempt(email_key='mia', user_id=mia_member.id, success=True, at=at(MONDAY)),
        LoginAttempt(email_key='mia', user_id=mia_member.id, success=True, at=at(TODAY)),
        Post(thread_id=thread.id, number=1, author_id=mia_member.id, created_at=at(TODAY)),
        LoginAttempt(email_key='ada', user_id=ada_admin.id, success=False, at=at(TODAY)),  # failed: not active
        LoginAttempt(email_key='ada', user_id=ada_admin.id, success=True, at=at(week_before)),
        Post(thread_id=thread.id, number=2, author_id=mia_member.id, created_at=at(week_before)),
        Post(thread_id=thread.id, number=3, author_id=ada_admin.id, created_at=at(week_before), deleted=True),
    ])
    session.commit()
    weeks = stats.active_members_per_week(session, actor=ada_admin, day=TODAY)
    assert [w.values[0] for w in weeks[-3:]] == [0, 2, 1]
    assert sum(w.values[0] for w in weeks) == 3
    posting = stats.threads_and_posts_per_week(session, actor=ada_admin, day=TODAY)
    assert [w.values for w in posting[-3:]] == [(0, 0), (0, 1), (1, 1)]  # the deleted post is not counted


def test_events_per_month_count_single_events_and_every_date_of_a_series(session, ada_admin):
    def event(title, starts, **kw):
        session.add(Event(title=title, starts_at=starts, ends_at=starts + timedelta(hours=2), **kw))

    event('Vor sieben Monaten', at(date(2025, 8, 20)))
    event('September', at(date(2025, 9, 1)))  # the oldest month shown
    event('Heute', at(TODAY))
    event('Abgesagt', at(TODAY), cancelled=True)
    event('August', at(date(2026, 8, 31)))  # the last month shown
    event('Zu spät', at(date(2026, 9, 1)))
    # Every Tuesday 18:00 local from 3 March to 24 March 2026: 4 dates in March.
    session.add(Event(title='Stammtisch', starts_at=datetime(2026, 3, 3, 17, tzinfo=UTC),
                      ends_at=datetime(2026, 3, 3, 19, tzinfo=UTC), repeat=Repeat.WEEKLY, repeat_interval=1,
                      repeat_until=date(2026, 3, 24), series_ends_at=datetime(2026, 3, 24, 19, tzinfo=UTC)))
    session.commit()
    series_id = session.exec(select(Event.id).where(Event.title == 'Stammtisch')).one()
    # The date of 10 March was moved to 11 March: stored as its own row, counted once.
    event('Stammtisch (verschoben)', datetime(2026, 3, 11, 17, tzinfo=UTC), series_id=series_id, moved=True,
          recurrence_start=datetime(2026, 3, 10, 17, tzinfo=UTC))
    session.commit()
    months = stats.events_per_month(session, actor=ada_admin, day=TODAY)
    assert [m.start for m in months][:2] == [date(2025, 9, 1), date(2025, 10, 1)]
    assert months[-1].start == date(2026, 8, 1) and len(months) == 12
    counts = {m.start: m.values[0] for m in months}
    assert counts[date(2025, 9, 1)] == 1
    assert counts[date(2026, 3, 1)] == 1 + 4
    assert counts[date(2026, 8, 1)] == 1
    assert sum(counts.values()) == 7


@pytest.mark.parametrize('fn', [stats.members_per_organization, stats.members_per_level, stats.new_members_per_week,
                                stats.active_members_per_week, stats.threads_and_posts_per_week,
                                stats.events_per_month])
def test_only_administrators_see_statistics(session, mo_moderator, mia_member, dora_deactivated, fn):
    for who in (mo_moderator, mia_member, dora_deactivated, None):
        with pytest.raises(NotAllowed):
            fn(session, actor=who)


def test_the_same_figures_on_postgresql(postgres_url):
    """The CASE buckets, the UNION and the series expansion on a real PostgreSQL (migrated schema)."""
    from sqlalchemy import text
    from sqlmodel import Session

    from models.user import Role
    from services import audit, db, member_import
    from tests.services.conftest import make_user

    engine = db.make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text('DROP SCHEMA public CASCADE'))
        conn.execute(text('CREATE SCHEMA public'))
    db.use_engine(engine)
    db.upgrade(postgres_url)
    try:
        with Session(engine, expire_on_commit=False) as pg:
            ada = make_user(pg, 'Ada Admin', 'ada@essen.de', role=Role.ADMIN)
            org = Organization(name='Stadt Essen', name_key='stadt essen', level='kommunal')
            pg.add(org)
            pg.commit()
            _user(pg, 'Montag', org=org, created=datetime(2026, 3, 15, 23, 30, tzinfo=UTC))
            _user(pg, 'Sonntag', created=datetime(2026, 3, 15, 22, 30, tzinfo=UTC))
            pg.add(LoginAttempt(email_key='x', user_id=ada.id, success=True, at=at(TODAY)))
            pg.add(Event(title='Heute', starts_at=at(TODAY), ends_at=at(TODAY, 12)))
            pg.add(Event(title='Stammtisch', starts_at=datetime(2026, 3, 3, 17, tzinfo=UTC),
                         ends_at=datetime(2026, 3, 3, 19, tzinfo=UTC), repeat=Repeat.WEEKLY, repeat_interval=1,
                         repeat_until=date(2026, 3, 24), series_ends_at=datetime(2026, 3, 24, 19, tzinfo=UTC)))
            pg.commit()
            weeks = stats.new_members_per_week(pg, actor=ada, day=TODAY)
            assert [w.values[0] for w in weeks[-2:]] == [1, 1]
            assert stats.active_members_per_week(pg, actor=ada, day=TODAY)[-1].values == (1,)
            assert stats.threads_and_posts_per_week(pg, actor=ada, day=TODAY)[-1].values == (0, 0)
            months = {m.start: m.values[0] for m in stats.events_per_month(pg, actor=ada, day=TODAY)}
            assert months[date(2026, 3, 1)] == 5
            organizations = stats.members_per_organization(pg, actor=ada)
            assert organizations.items == (stats.Share('Stadt Essen', 1),) and organizations.other == 2
            assert {s.label: s.count for s in stats.members_per_level(pg, actor=ada).items} == {'kommunal': 1, '': 2}
            # The audit log's search and the import on PostgreSQL too.
            parsed = member_import.parse_csv(b'Name;E-Mail;Verwaltung\nNeu;neu@essen.de;STADT ESSEN\n')
            assert member_import.import_members(pg, actor=ada, parsed=parsed).invited == 1
            rows, total = audit.search_entries(pg, actor=ada, action='import.members', since=date(2026, 1, 1))
            assert total == 1 and rows[0].actor_name == 'Ada Admin' and rows[0].details['invited'] == 1
            assert b'import.members' in audit.entries_csv(pg, actor=ada, actor_name='ada')
    finally:
        engine.dispose()
