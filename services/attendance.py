"""Answers to events (Zusage / Vielleicht / Absage), seats and the waitlist, the attendee list, reminders.

Seats are taken by one conditional UPDATE of the event's counter ("… WHERE taken < capacity"): the database decides,
so two members asking for the last seat at the same moment cannot both get it. Whoever finds no seat joins the
waitlist, in order; a freed seat goes to the first in line at once.
"""

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.base import utcnow
from models.event import Answer, Event, EventFormat, Rsvp, Seat
from models.organization import Organization
from models.user import User
from services import audit, bus, notifications
from services.board_views import AuthorRef, authors
from services.errors import Invalid, NotAllowed
from services.event_views import Attendee, MyAnswer
from services.events import (
    MAX_ATTENDEES_SHOWN,
    MSG_CANCELLED,
    MSG_CLOSED,
    MSG_PICK_DATE,
    MSG_STARTED,
    _event,
    may_edit,
    occurrence_row,
)
from services.local_time import aware, to_local
from services.permissions import require_active

E = Event.__table__
R = Rsvp.__table__
REMINDER_AHEAD = timedelta(hours=24)
ANSWERS = (Answer.YES, Answer.MAYBE, Answer.NO)
MSG_PROMOTED = 'Nachgerückt: Sie haben einen Platz bei „{title}“.'
MSG_REMINDER = 'Erinnerung: „{title}“ beginnt bald.'


def answer_blocked(event: Event, starts_at: datetime | None = None) -> str:
    """'' when answers are open, else why not (a catalogue key). Declining stays possible until the start."""
    if event.cancelled:
        return MSG_CANCELLED
    if (starts_at or aware(event.starts_at)) <= utcnow():
        return MSG_STARTED
    return ''


def _capacity_column(seat: str) -> tuple[Any, Any]:
    return (E.c.online_taken, E.c.online_capacity) if seat == Seat.ONLINE else (E.c.onsite_taken, E.c.capacity)


def _take_seat(session: Session, event_id: int, seat: str) -> bool:
    taken, capacity = _capacity_column(seat)
    result = session.execute(update(E).where(E.c.id == event_id, (capacity.is_(None)) | (taken < capacity))
                             .values({taken: taken + 1}))
    return result.rowcount == 1


def _release_seat(session: Session, event_id: int, seat: str) -> None:
    taken, _capacity = _capacity_column(seat)
    session.execute(update(E).where(E.c.id == event_id, taken > 0).values({taken: taken - 1}))


def _count(session: Session, event_id: int, column: Any, delta: int) -> None:
    session.execute(update(E).where(E.c.id == event_id).values({column: func.max(column + delta, 0)
                                                                if session.get_bind().dialect.name == 'sqlite'
                                                                else func.greatest(column + delta, 0)}))


def _seat_for(event: Event, seat: str | None) -> str:
    if event.format == EventFormat.ONLINE:
        return Seat.ONLINE
    if event.format == EventFormat.ONSITE:
        return Seat.ONSITE
    if seat not in (Seat.ONSITE, Seat.ONLINE):
        raise Invalid('seat', 'Bitte wählen Sie: vor Ort oder online.')
    return seat  # type: ignore[return-value]


def rsvp(session: Session, *, actor: Any, event_id: int, answer: str, seat: str | None = None,
         on: Any = None) -> MyAnswer:
    """Answer for an event (or one date of a series, `on`). A yes without a free seat joins the waitlist."""
    require_active(actor)
    if answer not in ANSWERS:
        raise Invalid('answer', 'Bitte wählen Sie Zusage, Vielleicht oder Absage.')
    event = _event(session, event_id)
    if event.repeat:
        if on is None:
            raise NotAllowed(MSG_PICK_DATE)
        event = occurrence_row(session, event, on)
    blocked = answer_blocked(event)
    if blocked:
        raise NotAllowed(blocked)
    if answer != Answer.NO and event.deadline is not None and aware(event.deadline) <= utcnow():
        raise NotAllowed(MSG_CLOSED)
    seat = _seat_for(event, seat) if answer == Answer.YES else None
    assert event.id is not None
    current = session.get(Rsvp, (event.id, actor.id))
    before = (current.answer, current.seat) if current is not None else ('', '')
    if answer == Answer.YES and before[0] in (Answer.YES, Answer.WAITLIST) and before[1] == seat:
        return my_answer(session, actor.id, event.id)  # nothing changes; the waitlist place is kept
    now = utcnow()
    freed = ''
    if before[0] == Answer.YES:
        _release_seat(session, event.id, before[1])
        freed = before[1]
    elif before[0] == Answer.WAITLIST:
        _count(session, event.id, E.c.waitlist_count, -1)
    elif before[0] == Answer.MAYBE:
        _count(session, event.id, E.c.maybe_count, -1)
    stored = answer
    if answer == Answer.YES:
        if not _take_seat(session, event.id, seat):  # type: ignore[arg-type]
            stored = Answer.WAITLIST
            _count(session, event.id, E.c.waitlist_count, 1)
    elif answer == Answer.MAYBE:
        _count(session, event.id, E.c.maybe_count, 1)
    if current is None:
        current = Rsvp(event_id=event.id, user_id=actor.id, answer=stored, seat=seat or Seat.ONSITE, queued_at=now,
                       answered_at=now)
        session.add(current)
    else:
        current.answer, current.answered_at = stored, now
        if seat:
            current.seat = seat
        if stored == Answer.WAITLIST:
            current.queued_at = now
    try:
        session.flush()
    except IntegrityError:  # the same member answered twice at the same moment (double click): the first counts
        session.rollback()
        return my_answer(session, actor.id, event.id)
    promoted = fill_free_seats(session, event.id) if freed else []
    audit.record(session, 'event.rsvp', actor_id=actor.id, target_type='event', target_id=event.id, answer=stored)
    session.commit()
    notifications.announce(promoted)
    bus.publish('events.rsvp', event_id=event.id, series_id=event.series_id, user_id=actor.id, promoted=promoted)
    return my_answer(session, actor.id, event.id)


def fill_free_seats(session: Session, event_id: int) -> list[int]:
    """Move the first in line up while seats are free (after a cancellation or more seats); tell each of them.
    Runs in the caller's transaction; returns who moved up."""
    event = session.get(Event, event_id)
    if event is None or event.cancelled or aware(event.starts_at) <= utcnow():
        return []
    moved: list[int] = []
    for seat in (Seat.ONSITE, Seat.ONLINE):
        while True:
            first = session.execute(select(R.c.user_id).where(R.c.event_id == event_id, R.c.answer == Answer.WAITLIST,
                                                              R.c.seat == seat)
                                    .order_by(R.c.queued_at, R.c.user_id).limit(1)).scalar()
            if first is None or not _take_seat(session, event_id, seat):
                break
            session.execute(update(R).where(R.c.event_id == event_id, R.c.user_id == first)
                            .values(answer=Answer.YES, answered_at=utcnow()))
            _count(session, event_id, E.c.waitlist_count, -1)
            moved += notifications.notify(session, [first], kind='event.promoted', url=f'/events/{event_id}',
                                          group_key=f'event:{event_id}', text=MSG_PROMOTED, title=event.title)
    return moved


def decline_future(session: Session, user_id: int, *, limit: int = 1000) -> tuple[list[int], list[int]]:
    """Turn a leaving member's answers to events still ahead into "no", freeing their seats for the waitlist.

    Runs in the caller's transaction, without an audit entry of its own (the caller records why); returns
    (the events concerned, who moved up) so that the caller can publish and announce after its commit.
    """
    rows = session.execute(select(R.c.event_id, R.c.answer, R.c.seat).join(E, E.c.id == R.c.event_id).where(
        R.c.user_id == user_id, R.c.answer.in_([Answer.YES, Answer.MAYBE, Answer.WAITLIST]),
        E.c.starts_at > utcnow()).limit(limit)).all()
    promoted: list[int] = []
    for event_id, answer, seat in rows:
        if answer == Answer.YES:
            _release_seat(session, event_id, seat)
        elif answer == Answer.WAITLIST:
            _count(session, event_id, E.c.waitlist_count, -1)
        else:
            _count(session, event_id, E.c.maybe_count, -1)
        session.execute(update(R).where(R.c.event_id == event_id, R.c.user_id == user_id)
                        .values(answer=Answer.NO, answered_at=utcnow()))
        if answer == Answer.YES:
            promoted += fill_free_seats(session, event_id)
    return [r[0] for r in rows], promoted


def my_answer(session: Session, user_id: int, event_id: int) -> MyAnswer:
    row = session.get(Rsvp, (event_id, user_id))
    if row is None:
        return MyAnswer('', event_id=event_id)
    session.refresh(row)
    position = 0
    if row.answer == Answer.WAITLIST:
        position = session.execute(select(func.count()).select_from(R).where(
            R.c.event_id == event_id, R.c.answer == Answer.WAITLIST, R.c.seat == row.seat,
            (R.c.queued_at < row.queued_at) | and_(R.c.queued_at == row.queued_at, R.c.user_id < user_id)
        )).scalar_one() + 1
    return MyAnswer(row.answer, row.seat, position, event_id)


def attendees(session: Session, event_id: int) -> tuple[Attendee, ...]:
    """Who said yes, maybe or waits (in the waitlist's order); the page is for signed-in members only."""
    rows = session.execute(select(R.c.user_id, R.c.answer, R.c.seat, R.c.answered_at, R.c.queued_at).where(
        R.c.event_id == event_id, R.c.answer.in_([Answer.YES, Answer.MAYBE, Answer.WAITLIST]))
        .order_by(R.c.answer, R.c.queued_at, R.c.user_id).limit(MAX_ATTENDEES_SHOWN)).all()
    people = authors(session, [r[0] for r in rows])
    missing = AuthorRef(0, '', '', '')
    return tuple(Attendee(people.get(r[0], missing), r[1], r[2], r[3]) for r in rows if r[0] in people)


def attendees_csv(session: Session, *, actor: Any, event_id: int) -> tuple[str, str]:
    """The attendee list as CSV for the organiser (Excel-friendly: `;`, UTF-8 with BOM); (file name, text)."""
    require_active(actor)
    event = _event(session, event_id)
    if not may_edit(event, actor):
        raise NotAllowed('Die Teilnehmendenliste exportieren können die Organisation und die Moderation.')
    U, O = User.__table__, Organization.__table__  # noqa: N806, E741
    rows = session.execute(select(U.c.name, O.c.name, R.c.answer, R.c.seat, R.c.answered_at)
                           .select_from(R.join(U, U.c.id == R.c.user_id).outerjoin(O, O.c.id == U.c.organization_id))
                           .where(R.c.event_id == event_id, R.c.answer != Answer.NO)
                           .order_by(R.c.answer, R.c.queued_at, R.c.user_id)).all()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=';', lineterminator='\r\n')
    labels = {Answer.YES: 'Zusage', Answer.MAYBE: 'Vielleicht', Answer.WAITLIST: 'Warteliste'}
    writer.writerow(['Name', 'Verwaltung', 'Antwort', 'Teilnahme', 'Geantwortet am'])
    for name, org, answer, seat, at in rows:
        writer.writerow([_cell(name), _cell(org or ''), labels.get(answer, answer),
                         'online' if seat == Seat.ONLINE else 'vor Ort', f'{to_local(at):%d.%m.%Y %H:%M}'])
    audit.record(session, 'event.export_attendees', actor_id=actor.id, target_type='event', target_id=event_id)
    session.commit()
    day = to_local(event.starts_at)
    return f'teilnehmende-{event_id}-{day:%Y-%m-%d}.csv', '\ufeff' + out.getvalue()


def _cell(text: str) -> str:
    """Keep spreadsheet programs from running a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ('=', '+', '-', '@', '\t', '\r') else text


def send_due_reminders(session: Session, *, now: datetime | None = None, limit: int = 1000) -> int:
    """Remind everyone who accepted an event that starts within a day. Each answer is marked in the same
    transaction as its notice, so a restart neither loses a reminder nor sends one twice. Returns how many."""
    now = now or utcnow()
    rows = session.execute(select(R.c.event_id, R.c.user_id, E.c.title).join(E, E.c.id == R.c.event_id).where(
        R.c.answer == Answer.YES, R.c.reminded_at.is_(None), E.c.cancelled.is_(False), E.c.repeat == '',
        E.c.starts_at > now, E.c.starts_at <= now + REMINDER_AHEAD).limit(limit)).all()
    told: list[int] = []
    for event_id, user_id, title in rows:
        marked = session.execute(update(R).where(R.c.event_id == event_id, R.c.user_id == user_id,
                                                 R.c.reminded_at.is_(None)).values(reminded_at=now))
        if marked.rowcount == 1:
            told += notifications.notify(session, [user_id], kind='event.reminder', url=f'/events/{event_id}',
                                         group_key=f'event:{event_id}', text=MSG_REMINDER, title=title)
    session.commit()
    notifications.announce(sorted(set(told)))
    return len(told)
