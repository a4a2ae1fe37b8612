"""Creating, editing and cancelling events: validation, who may do what, the audit trail."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models.base import utcnow
from models.event import Event
from models.organization import Organization
from models.user import Status
from services import attendance, events
from services.errors import Invalid, NotAllowed, NotFound
from services.local_time import to_local, to_utc
from tests.services.events.conftest import audit_count, create, event_data, event_row, local


def _event_count(session) -> int:
    return session.execute(select(func.count()).select_from(Event)).scalar_one()


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize('changes, field', [
    (dict(title=''), 'title'),
    (dict(title='   '), 'title'),
    (dict(title='ab'), 'title'),
    (dict(title='  ab  '), 'title'),  # surrounding spaces do not count towards the three characters
    (dict(title='x' * 201), 'title'),
    (dict(ends=local(2027, 3, 10, 9)), 'ends'),
    (dict(ends=local(2027, 3, 10, 10)), 'ends'),
    (dict(ends=local(2027, 3, 24, 10, 1)), 'ends'),  # 14 days and a minute
    (dict(location=''), 'location'),
    (dict(location='   '), 'location'),
    (dict(format='hybrid', location='', online_url='https://meet.example.org/fachtag'), 'location'),
    (dict(format='online', location='', online_url='http://meet.example.org/fachtag'), 'online_url'),
    (dict(format='online', location='', online_url='javascript:alert(1)'), 'online_url'),
    (dict(format='online', location='', online_url='https://'), 'online_url'),
    (dict(format='online', location='', online_url='https:///pfad'), 'online_url'),
    (dict(format='online', location='', online_url='https://meet.example.org/a b'), 'online_url'),
    (dict(format='hybrid', online_url='ftp://meet.example.org/fachtag'), 'online_url'),
    (dict(format='sonstwo'), 'format'),
    (dict(capacity=0), 'capacity'),
    (dict(capacity=-5), 'capacity'),
    (dict(capacity='abc'), 'capacity'),
    (dict(capacity=100_001), 'capacity'),
    (dict(format='online', location='', online_capacity=0), 'online_capacity'),
    (dict(deadline=local(2027, 3, 10, 10, 1)), 'deadline'),
    (dict(deadline=local(2027, 3, 1), repeat='weekly'), 'deadline'),
    (dict(repeat='weekly', repeat_interval=0), 'repeat_interval'),
    (dict(repeat='weekly', repeat_interval=13), 'repeat_interval'),
    (dict(repeat='monthly_date', repeat_interval='zwei'), 'repeat_interval'),
    (dict(repeat='daily'), 'repeat'),
    (dict(repeat='weekly', repeat_until=date(2027, 3, 9)), 'repeat_until'),
    (dict(repeat='weekly', repeat_until=date(2027, 3, 10) + timedelta(days=732)), 'repeat_until'),
    (dict(repeat='weekly', repeat_until=date(2030, 1, 1)), 'repeat_until'),
    (dict(organization_id=999), 'organization_id'),
    (dict(tags=('a', 'b', 'c', 'd', 'e', 'f')), 'tags'),
])
def test_create_event_refuses_invalid_input_field_by_field(session, mia_member, changes, field):
    with pytest.raises(Invalid) as refused:
        create(session, mia_member, **changes)
    assert refused.value.field == field
    assert _event_count(session) == 0


def test_a_start_in_the_past_is_refused_for_a_new_event(session, mia_member):
    an_hour_ago = to_local(utcnow()) - timedelta(hours=1)
    with pytest.raises(Invalid) as refused:
        create(session, mia_member, starts=an_hour_ago, ends=an_hour_ago + timedelta(hours=2))
    assert refused.value.field == 'starts'
    yesterday = to_local(utcnow()).date() - timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        create(session, mia_member, all_day=True, starts=datetime.combine(yesterday, datetime.min.time()),
               ends=datetime.combine(yesterday, datetime.min.time()))
    assert refused.value.field == 'starts'
    assert _event_count(session) == 0


def test_the_limits_themselves_are_accepted(session, mia_member):
    fourteen_days = create(session, mia_member, title='x' * 200, ends=local(2027, 3, 24, 10))
    row = event_row(session, fourteen_days)
    assert len(row.title) == 200 and row.ends_at - row.starts_at == timedelta(days=14)
    short = create(session, mia_member, title='  Abc  ', capacity='12', deadline=local(2027, 3, 10, 10))
    row = event_row(session, short)
    assert (row.title, row.capacity) == ('Abc', 12)
    assert row.deadline == to_utc(local(2027, 3, 10, 10))
    online = create(session, mia_member, format='online', location='', online_url=' https://meet.example.org/x?a=1 ',
                    capacity=5, online_capacity=30)
    row = event_row(session, online)
    assert (row.online_url, row.capacity, row.online_capacity) == ('https://meet.example.org/x?a=1', None, 30)


def test_times_are_stored_in_utc(session, mia_member):
    event_id = create(session, mia_member)  # 10:00 in Berlin in March (winter time, UTC+1)
    row = event_row(session, event_id)
    assert row.starts_at == datetime(2027, 3, 10, 9, tzinfo=UTC)
    assert row.ends_at == datetime(2027, 3, 10, 11, tzinfo=UTC)
    assert row.organizer_id == mia_member.id and not row.cancelled and row.sequence == 0


def test_a_series_without_an_end_is_bounded_to_two_years(session, mia_member):
    event_id = create(session, mia_member, repeat='weekly')
    row = event_row(session, event_id)
    first = date(2027, 3, 10)
    assert row.repeat_until == first + timedelta(days=731)
    last = first + timedelta(days=7 * (731 // 7))  # the last Wednesday on or before that day
    assert row.series_ends_at == to_utc(datetime.combine(last, local(2027, 1, 1, 12).time()))


def test_series_ends_at_is_the_end_of_the_last_occurrence(session, mia_member):
    event_id = create(session, mia_member, repeat='monthly_date', repeat_until=date(2027, 7, 20))
    row = event_row(session, event_id)
    assert row.repeat_until == date(2027, 7, 20)
    assert row.series_ends_at == to_utc(local(2027, 7, 10, 12))  # summer time: 10:00 UTC


def test_a_series_up_to_exactly_two_years_is_accepted(session, mia_member):
    until = date(2027, 3, 10) + timedelta(days=731)
    row = event_row(session, create(session, mia_member, repeat='monthly_weekday', repeat_until=until))
    assert row.repeat_until == until


def test_an_existing_organisation_is_kept(session, mia_member):
    org = Organization(name='Stadt Essen', name_key='stadt essen')
    session.add(org)
    session.commit()
    row = event_row(session, create(session, mia_member, organization_id=org.id))
    assert row.organization_id == org.id


def test_pending_and_deactivated_members_cannot_create_events(session, pia_pending, dora_deactivated):
    for actor in (pia_pending, dora_deactivated):
        with pytest.raises(NotAllowed):
            create(session, actor)
    assert _event_count(session) == 0


def test_markdown_description_is_stored_rendered_without_script(session, mia_member):
    text = 'Wir treffen uns **pünktlich**.\n\n<script>alert("x")</script>\n\n[Link](javascript:alert(1))'
    row = event_row(session, create(session, mia_member, description=text))
    assert row.description == text
    assert '<strong>pünktlich</strong>' in row.description_html
    assert '<script' not in row.description_html.lower()
    assert 'javascript:' not in row.description_html.lower()


# ---------------------------------------------------------------- permissions


def test_only_organiser_or_moderation_may_change_an_event(session, mia_member, olaf, mo_moderator, ada_admin):
    event_id = create(session, mia_member)
    series_id = create(session, mia_member, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    with pytest.raises(NotAllowed):
        events.update_event(session, actor=olaf, event_id=event_id, data=event_data(title='Gekapert'))
    with pytest.raises(NotAllowed):
        events.cancel_event(session, actor=olaf, event_id=event_id)
    with pytest.raises(NotAllowed):
        events.cancel_event(session, actor=olaf, event_id=series_id, on=date(2027, 3, 17))
    with pytest.raises(NotAllowed):
        events.move_occurrence(session, actor=olaf, series_id=series_id, on=date(2027, 3, 17),
                               starts=local(2027, 3, 18), ends=local(2027, 3, 18, 12))
    with pytest.raises(NotAllowed):
        attendance.attendees_csv(session, actor=olaf, event_id=event_id)
    with pytest.raises(NotAllowed):
        events.event_for_editing(session, actor=olaf, event_id=event_id)
    row = event_row(session, event_id)
    assert (row.title, row.cancelled, row.sequence) == ('Fachtag E-Akte', False, 0)
    assert session.execute(select(func.count()).select_from(Event).where(Event.series_id == series_id)
                           ).scalar_one() == 0

    events.update_event(session, actor=mo_moderator, event_id=event_id, data=event_data(title='Fachtag E-Akte II'))
    assert event_row(session, event_id).title == 'Fachtag E-Akte II'
    events.cancel_event(session, actor=ada_admin, event_id=event_id)
    assert event_row(session, event_id).cancelled
    attendance.attendees_csv(session, actor=mo_moderator, event_id=event_id)
    events.update_event(session, actor=mia_member, event_id=event_id, data=event_data(title='Fachtag E-Akte III'))
    assert event_row(session, event_id).title == 'Fachtag E-Akte III'
    assert events.get_event(session, viewer=olaf, event_id=event_id).can_edit is False
    assert events.get_event(session, viewer=mo_moderator, event_id=event_id).can_edit is True


def test_a_deactivated_organiser_cannot_change_their_event(session, mia_member, ada_admin):
    from services import accounts

    event_id = create(session, mia_member)
    accounts.deactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    stale = replace(mia_member, status=Status.DEACTIVATED)
    with pytest.raises(NotAllowed):
        events.update_event(session, actor=stale, event_id=event_id, data=event_data(title='Neu'))
    with pytest.raises(NotAllowed):
        events.cancel_event(session, actor=stale, event_id=event_id)


def test_unknown_event_ids_are_not_found(session, mia_member, ada_admin):
    for call in (
        lambda: events.update_event(session, actor=ada_admin, event_id=999, data=event_data()),
        lambda: events.cancel_event(session, actor=ada_admin, event_id=999),
        lambda: events.move_occurrence(session, actor=ada_admin, series_id=999, on=date(2027, 3, 17),
                                       starts=local(2027, 3, 18), ends=local(2027, 3, 18, 12)),
        lambda: events.get_event(session, viewer=mia_member, event_id=999),
        lambda: attendance.attendees_csv(session, actor=ada_admin, event_id=999),
        lambda: attendance.rsvp(session, actor=mia_member, event_id=999, answer='yes'),
    ):
        with pytest.raises(NotFound):
            call()


def test_moving_a_date_of_a_single_event_is_not_found(session, mia_member):
    event_id = create(session, mia_member)
    with pytest.raises(NotFound):
        events.move_occurrence(session, actor=mia_member, series_id=event_id, on=date(2027, 3, 10),
                               starts=local(2027, 3, 11), ends=local(2027, 3, 11, 12))


# ---------------------------------------------------------------- editing and the audit trail


def test_create_update_and_cancel_each_write_one_audit_entry(session, mia_member):
    event_id = create(session, mia_member)
    assert audit_count(session, 'event.create', event_id) == 1
    events.update_event(session, actor=mia_member, event_id=event_id, data=event_data(title='Fachtag Neu'))
    assert audit_count(session, 'event.update', event_id) == 1
    events.cancel_event(session, actor=mia_member, event_id=event_id)
    assert audit_count(session, 'event.cancel', event_id) == 1
    events.cancel_event(session, actor=mia_member, event_id=event_id, cancelled=False)
    assert audit_count(session, 'event.reinstate', event_id) == 1
    assert audit_count(session, 'event.create') == 1 and audit_count(session, 'event.update') == 1
    assert audit_count(session, 'event.cancel') == 1


def test_update_event_changes_fields_and_raises_the_sequence(session, mia_member):
    event_id = create(session, mia_member, tags=('E-Akte',))
    before = event_row(session, event_id).updated_at
    events.update_event(session, actor=mia_member, event_id=event_id,
                        data=event_data(title='Fachtag Digitalisierung', starts=local(2027, 4, 1, 9),
                                        ends=local(2027, 4, 1, 17), location='Stadthaus Lünen', tags=('OZG',)))
    row = event_row(session, event_id)
    assert (row.title, row.location, row.sequence) == ('Fachtag Digitalisierung', 'Stadthaus Lünen', 1)
    assert row.starts_at == datetime(2027, 4, 1, 7, tzinfo=UTC)  # summer time
    assert row.updated_at > before
    view = events.get_event(session, viewer=mia_member, event_id=event_id)
    assert [t.name for t in view.tags] == ['OZG']


def test_a_past_start_is_allowed_when_editing_an_event_that_already_began(session, mia_member):
    now_local = to_local(utcnow())
    started = Event(title='Laufende Tagung', starts_at=utcnow() - timedelta(hours=1),
                    ends_at=utcnow() + timedelta(hours=1), location='Essen', organizer_id=mia_member.id)
    session.add(started)
    session.commit()
    events.update_event(session, actor=mia_member, event_id=started.id,
                        data=event_data(title='Laufende Tagung (Raum 2)', starts=now_local - timedelta(hours=1),
                                        ends=now_local + timedelta(hours=1)))
    assert event_row(session, started.id).title == 'Laufende Tagung (Raum 2)'


def test_form_values_round_trip_through_event_for_editing(session, mia_member):
    event_id = create(session, mia_member, all_day=True, starts=local(2027, 3, 27, 0), ends=local(2027, 3, 28, 0),
                      tags=('Klausur',))
    data, is_occurrence = events.event_for_editing(session, actor=mia_member, event_id=event_id)
    assert not is_occurrence
    assert (data.starts.date(), data.ends.date(), data.tags) == (date(2027, 3, 27), date(2027, 3, 28), ('Klausur',))
    events.update_event(session, actor=mia_member, event_id=event_id, data=data)
    row = event_row(session, event_id)
    assert to_local(row.starts_at) == local(2027, 3, 27, 0) and to_local(row.ends_at) == local(2027, 3, 29, 0)
    assert row.ends_at - row.starts_at == timedelta(hours=47)  # the night of the clock change is an hour short


def test_cancelling_tells_those_who_answered_once(session, mia_member, olaf, ben):
    from services import notifications

    event_id = create(session, mia_member)
    attendance.rsvp(session, actor=olaf, event_id=event_id, answer='yes')
    attendance.rsvp(session, actor=ben, event_id=event_id, answer='no')
    events.cancel_event(session, actor=mia_member, event_id=event_id)
    assert [n.kind for n in notifications.unread(session, viewer=olaf)] == ['event.cancelled']
    assert notifications.unread(session, viewer=ben) == []
    assert notifications.unread(session, viewer=mia_member) == []
    assert events.get_event(session, viewer=olaf, event_id=event_id).cancelled
    # Cancelling what is already cancelled (a second click) changes nothing and tells no one again.
    events.cancel_event(session, actor=mia_member, event_id=event_id)
    assert event_row(session, event_id).sequence == 1
    assert [n.kind for n in notifications.unread(session, viewer=olaf)] == ['event.cancelled']
