"""Reading the calendar: ranges, filters and the next events."""

from datetime import date

import pytest

from models.organization import Organization
from services import attendance, events
from services.errors import NotAllowed
from services.events import Filters
from tests.services.events.conftest import create, local


def _titles(session, viewer, start=date(2027, 3, 1), end=date(2027, 4, 1), **filters) -> list[str]:
    return [o.title for o in events.calendar_range(session, viewer=viewer, start=start, end=end,
                                                   filters=Filters(**filters))]


def test_an_event_running_into_the_range_is_shown(session, mia_member, olaf):
    create(session, mia_member, title='Klausurwoche', starts=local(2027, 3, 8, 9), ends=local(2027, 3, 12, 16))
    create(session, mia_member, title='Vorher', starts=local(2027, 3, 5, 9), ends=local(2027, 3, 5, 16))
    assert _titles(session, olaf, date(2027, 3, 10), date(2027, 3, 11)) == ['Klausurwoche']
    assert _titles(session, olaf, date(2027, 3, 12), date(2027, 3, 13)) == ['Klausurwoche']
    assert _titles(session, olaf, date(2027, 3, 13), date(2027, 3, 20)) == []
    assert _titles(session, olaf) == ['Vorher', 'Klausurwoche']


def test_the_calendar_is_ordered_by_start(session, mia_member, olaf):
    create(session, mia_member, title='Später', starts=local(2027, 3, 10, 14), ends=local(2027, 3, 10, 15))
    create(session, mia_member, title='Serie', starts=local(2027, 3, 3, 12), ends=local(2027, 3, 3, 13),
           repeat='weekly', repeat_until=date(2027, 3, 10))
    create(session, mia_member, title='Ganztags', all_day=True, starts=local(2027, 3, 10, 0),
           ends=local(2027, 3, 10, 0))
    create(session, mia_member, title='Früh', starts=local(2027, 3, 10, 8), ends=local(2027, 3, 10, 9))
    assert _titles(session, olaf, date(2027, 3, 10), date(2027, 3, 11)) == ['Ganztags', 'Früh', 'Serie', 'Später']


def test_filters(session, mia_member, olaf):
    org = Organization(name='Stadt Lünen', name_key='stadt lünen')
    session.add(org)
    session.commit()
    create(session, mia_member, title='Vor Ort', tags=('E-Akte',))
    create(session, mia_member, title='Im Netz', format='online', location='', online_url='https://meet.example.org/x',
           organization_id=org.id)
    create(session, mia_member, title='Serie online', format='online', location='', repeat='weekly',
           repeat_until=date(2027, 3, 20), tags=('E-Akte',), organization_id=org.id)
    assert _titles(session, olaf, format='online') == ['Im Netz', 'Serie online', 'Serie online']
    tag = [t for t in events.event_tags(session, viewer=olaf) if t.name == 'E-Akte'][0]
    assert _titles(session, olaf, tag=tag.key) == ['Serie online', 'Vor Ort', 'Serie online']
    assert _titles(session, olaf, organization_id=org.id) == ['Im Netz', 'Serie online', 'Serie online']
    assert _titles(session, olaf, format='hybrid') == []
    assert events.organizations_with_events(session, viewer=olaf) == [(org.id, 'Stadt Lünen')]


def test_my_events(session, mia_member, olaf, ben):
    accepted = create(session, mia_member, title='Zugesagt')
    create(session, mia_member, title='Unbeantwortet')
    declined = create(session, mia_member, title='Abgesagt')
    full = create(session, mia_member, title='Voll', capacity=1)
    series_id = create(session, mia_member, title='Serie', repeat='weekly', repeat_until=date(2027, 3, 31))
    attendance.rsvp(session, actor=olaf, event_id=accepted, answer='yes')
    attendance.rsvp(session, actor=olaf, event_id=declined, answer='no')
    attendance.rsvp(session, actor=ben, event_id=full, answer='yes')
    attendance.rsvp(session, actor=olaf, event_id=full, answer='yes')  # waitlist
    attendance.rsvp(session, actor=olaf, event_id=series_id, answer='maybe', on=date(2027, 3, 17))
    mine = events.calendar_range(session, viewer=olaf, start=date(2027, 3, 1), end=date(2027, 4, 1),
                                 filters=Filters(mine=True))
    assert sorted((o.title, o.my_answer) for o in mine) == [('Serie', 'maybe'), ('Voll', 'waitlist'),
                                                             ('Zugesagt', 'yes')]
    upcoming = events.upcoming(session, viewer=olaf, mine=True, limit=10)
    assert [o.title for o in upcoming] == [o.title for o in sorted(mine, key=lambda o: o.starts_at)]
    # The network's next events: all start at the same time, so by title.
    assert [o.title for o in events.upcoming(session, viewer=olaf, limit=3)] == ['Abgesagt', 'Serie', 'Unbeantwortet']


def test_upcoming_leaves_out_cancelled_events(session, mia_member, olaf):
    first = create(session, mia_member, title='Erste', starts=local(2027, 1, 10), ends=local(2027, 1, 10, 12))
    create(session, mia_member, title='Zweite', starts=local(2027, 1, 20), ends=local(2027, 1, 20, 12))
    create(session, mia_member, title='Dritte', starts=local(2027, 2, 20), ends=local(2027, 2, 20, 12))
    events.cancel_event(session, actor=mia_member, event_id=first)
    assert [o.title for o in events.upcoming(session, viewer=olaf, limit=5)] == ['Zweite', 'Dritte']


def test_only_active_members_read_the_calendar(session, mia_member, pia_pending, dora_deactivated):
    event_id = create(session, mia_member)
    for viewer in (pia_pending, dora_deactivated):
        with pytest.raises(NotAllowed):
            events.calendar_range(session, viewer=viewer, start=date(2027, 3, 1), end=date(2027, 4, 1))
        with pytest.raises(NotAllowed):
            events.get_event(session, viewer=viewer, event_id=event_id)
