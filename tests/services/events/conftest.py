"""Shared set-up of the event calendar service tests.

The tests run on 2026-11-28: events are planned for 2027 (naive Berlin wall-clock times, as the form sends them).
"""

from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from models.audit import AuditEntry
from models.event import Answer, Event, Rsvp, Seat
from models.notification import Notification
from services import events
from services.events import EventInput
from tests.services.conftest import make_user


@pytest.fixture(autouse=True)
def fresh_objects(request: pytest.FixtureRequest) -> None:
    """As in the board tests: one session serves a whole test, so what a commit wrote is read back from the
    database (as the next action's new session would). Tests with their own database do not ask for `session`."""
    if 'session' in request.fixturenames:
        request.getfixturevalue('session').expire_on_commit = True


@pytest.fixture
def olaf(session):
    return make_user(session, 'Olaf Other', 'olaf@essen.de')


@pytest.fixture
def ben(session):
    return make_user(session, 'Ben Becker', 'ben@bochum.de')


@pytest.fixture
def kim(session):
    return make_user(session, 'Kim Klein', 'kim@dortmund.de')


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A wall-clock time in Berlin, as typed into the form."""
    return datetime(year, month, day, hour, minute)


def event_data(**changes: Any) -> EventInput:
    """A valid on-site event on Wednesday 2027-03-10, 10:00-12:00, with the given changes."""
    base = EventInput(title='Fachtag E-Akte', starts=local(2027, 3, 10, 10), ends=local(2027, 3, 10, 12),
                      location='Rathaus Essen, Raum 101')
    return replace(base, **changes)


def create(session: Session, actor: Any, **changes: Any) -> int:
    return events.create_event(session, actor=actor, data=event_data(**changes))


def event_row(session: Session, event_id: int) -> Event:
    """The event as stored now."""
    row = session.get(Event, event_id, populate_existing=True)
    assert row is not None
    return row


def stored_counters(session: Session, event_id: int) -> dict[str, int]:
    row = event_row(session, event_id)
    return {'onsite_taken': row.onsite_taken, 'online_taken': row.online_taken, 'maybe_count': row.maybe_count,
            'waitlist_count': row.waitlist_count}


def counted(session: Session, event_id: int) -> dict[str, int]:
    """The same counters, counted from the answers themselves."""
    rows = session.execute(select(Rsvp.answer, Rsvp.seat).where(Rsvp.event_id == event_id)).all()
    tally = Counter((a, s if a == Answer.YES else '') for a, s in rows)
    return {'onsite_taken': tally[(Answer.YES, Seat.ONSITE)], 'online_taken': tally[(Answer.YES, Seat.ONLINE)],
            'maybe_count': tally[(Answer.MAYBE, '')],
            'waitlist_count': sum(n for (a, _s), n in tally.items() if a == Answer.WAITLIST)}


def answer_of(session: Session, event_id: int, user_id: int) -> str:
    row = session.get(Rsvp, (event_id, user_id), populate_existing=True)
    return row.answer if row is not None else ''


def audit_count(session: Session, action: str, target_id: int | None = None) -> int:
    query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    if target_id is not None:
        query = query.where(AuditEntry.target_id == str(target_id))
    return session.execute(query).scalar_one()


def notices(session: Session, user_id: int, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(session.execute(query.execution_options(populate_existing=True)).scalars())
