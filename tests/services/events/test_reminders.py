"""Reminders a day ahead: to those who accepted, exactly once, also across a restart."""

from datetime import date, timedelta

from models.event import Rsvp
from services import attendance, db, events
from services.local_time import to_utc
from tests.services.events.conftest import create, local, notices

STARTS = local(2027, 3, 10, 10)  # the default event of `create`


def test_reminders_go_to_those_who_accepted_once(session, mia_member, olaf, ben, kim):
    soon = create(session, mia_member)
    later = create(session, mia_member, title='Übermorgen', starts=local(2027, 3, 11, 10, 1),
                   ends=local(2027, 3, 11, 12))
    called_off = create(session, mia_member, title='Abgesagt', starts=local(2027, 3, 10, 14),
                        ends=local(2027, 3, 10, 15))
    attendance.rsvp(session, actor=olaf, event_id=soon, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=soon, answer='maybe')
    attendance.rsvp(session, actor=kim, event_id=soon, answer='no')
    attendance.rsvp(session, actor=olaf, event_id=later, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=called_off, answer='yes')
    events.cancel_event(session, actor=mia_member, event_id=called_off)
    now = to_utc(STARTS) - timedelta(hours=20)

    assert attendance.send_due_reminders(session, now=now) == 1

    reminders = notices(session, olaf.id, 'event.reminder')
    assert [(n.url, n.text) for n in reminders] == [(f'/events/{soon}', 'Erinnerung: „{title}“ beginnt bald.')]
    assert notices(session, ben.id, 'event.reminder') == []
    assert notices(session, kim.id, 'event.reminder') == []
    assert attendance.send_due_reminders(session, now=now) == 0
    assert attendance.send_due_reminders(session, now=now + timedelta(hours=1)) == 0
    assert len(notices(session, olaf.id, 'event.reminder')) == 1

    # "A restart": a new session sees what the first one marked.
    with db.session() as fresh:
        assert fresh.get(Rsvp, (soon, olaf.id)).reminded_at == now
        assert fresh.get(Rsvp, (later, olaf.id)).reminded_at is None
        assert attendance.send_due_reminders(fresh, now=now) == 0
    assert len(notices(session, olaf.id, 'event.reminder')) == 1

    # A day later the next event is due; the cancelled one never is.
    assert attendance.send_due_reminders(session, now=now + timedelta(hours=22)) == 1
    assert [n.url for n in notices(session, olaf.id, 'event.reminder')] == [f'/events/{soon}', f'/events/{later}']
    assert notices(session, ben.id, 'event.reminder') == []


def test_reminders_cover_exactly_the_next_24_hours(session, mia_member, olaf):
    event_id = create(session, mia_member)
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    starts_at = to_utc(STARTS)
    assert attendance.send_due_reminders(session, now=starts_at - timedelta(hours=24, seconds=1)) == 0
    assert attendance.send_due_reminders(session, now=starts_at) == 0  # already begun
    assert attendance.send_due_reminders(session, now=starts_at - timedelta(hours=24)) == 1
    assert len(notices(session, olaf.id, 'event.reminder')) == 1


def test_waitlisted_members_are_not_reminded(session, mia_member, olaf, ben):
    event_id = create(session, mia_member, capacity=1)
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='yes')
    assert attendance.send_due_reminders(session, now=to_utc(STARTS) - timedelta(hours=2)) == 1
    assert notices(session, ben.id, 'event.reminder') == []


def test_a_date_of_a_series_is_reminded(session, mia_member, olaf):
    series_id = create(session, mia_member, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    mine = attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17))
    starts_at = to_utc(local(2027, 3, 17, 10))
    assert attendance.send_due_reminders(session, now=starts_at - timedelta(hours=3)) == 1
    assert [n.url for n in notices(session, olaf.id, 'event.reminder')] == [f'/events/{mine.event_id}']
