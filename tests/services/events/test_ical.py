"""iCalendar export of one event or series, and each member's subscription feed."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from sqlalchemy import select, text

from models.audit import AuditEntry
from services import attendance, calendar_feed, events, recurrence
from services.errors import Invalid, NotAllowed, NotFound
from services.local_time import ZONE, to_local
from tests.services.events.conftest import create, event_data, event_row, local


def _parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def _vevents(cal: Calendar) -> list:
    return list(cal.walk('VEVENT'))


def _ics(session, viewer, event_id, **kwargs) -> Calendar:
    _name, data = calendar_feed.event_ics(session, viewer=viewer, event_id=event_id, **kwargs)
    return _parse(data)


def _uids(cal: Calendar) -> list[str]:
    return [str(v['UID']) for v in _vevents(cal)]


# ---------------------------------------------------------------- one event


def test_single_event_ics(session, mia_member, olaf):
    event_id = create(session, mia_member, description='Bitte **pünktlich**.', tags=('E-Akte',))
    name, data = calendar_feed.event_ics(session, viewer=olaf, event_id=event_id, base_url='https://netz.example')
    assert name == f'veranstaltung-{event_id}-2027-03-10.ics'
    cal = _parse(data)
    (vevent,) = _vevents(cal)
    assert str(vevent['SUMMARY']) == 'Fachtag E-Akte'
    assert str(vevent['UID']) == f'event-{event_id}@verwaltungsnetz'
    assert int(vevent['SEQUENCE']) == 0
    assert 'DTSTAMP' in vevent and vevent['DTSTAMP'].dt.utcoffset() == timedelta(0)
    start = vevent['DTSTART']
    assert start.params['TZID'] == 'Europe/Berlin'
    assert start.dt.replace(tzinfo=None) == local(2027, 3, 10, 10)
    assert start.dt.astimezone(UTC) == datetime(2027, 3, 10, 9, tzinfo=UTC)
    assert vevent['DTEND'].dt.astimezone(UTC) == datetime(2027, 3, 10, 11, tzinfo=UTC)
    assert str(vevent['STATUS']) == 'CONFIRMED'
    assert str(vevent['LOCATION']) == 'Rathaus Essen, Raum 101'
    assert str(vevent['URL']) == f'https://netz.example/events/{event_id}'
    assert 'pünktlich' in str(vevent['DESCRIPTION'])
    zones = [str(tz['TZID']) for tz in cal.walk('VTIMEZONE')]
    assert zones == ['Europe/Berlin']
    assert b'TZID=Europe/Berlin' in data


def test_uid_stays_and_sequence_grows_with_every_update(session, mia_member, olaf):
    event_id = create(session, mia_member)
    first = _vevents(_ics(session, olaf, event_id))[0]
    uid, sequences = str(first['UID']), [int(first['SEQUENCE'])]
    for n in range(3):
        events.update_event(session, actor=mia_member, event_id=event_id,
                            data=event_data(title=f'Fachtag E-Akte ({n + 2}. Fassung)'))
        vevent = _vevents(_ics(session, olaf, event_id))[0]
        assert str(vevent['UID']) == uid
        assert str(vevent['SUMMARY']) == f'Fachtag E-Akte ({n + 2}. Fassung)'
        sequences.append(int(vevent['SEQUENCE']))
    assert sequences == [0, 1, 2, 3]
    events.cancel_event(session, actor=mia_member, event_id=event_id)
    vevent = _vevents(_ics(session, olaf, event_id))[0]
    assert str(vevent['STATUS']) == 'CANCELLED'
    assert int(vevent['SEQUENCE']) == 4 and str(vevent['UID']) == uid


def test_all_day_events_have_date_values(session, mia_member, olaf):
    event_id = create(session, mia_member, all_day=True, starts=local(2027, 3, 27, 0), ends=local(2027, 3, 28, 0))
    _name, data = calendar_feed.event_ics(session, viewer=olaf, event_id=event_id)
    (vevent,) = _vevents(_parse(data))
    assert type(vevent['DTSTART'].dt) is date and type(vevent['DTEND'].dt) is date
    assert (vevent['DTSTART'].dt, vevent['DTEND'].dt) == (date(2027, 3, 27), date(2027, 3, 29))  # DTEND: exclusive
    assert b'DTSTART;VALUE=DATE:20270327' in data and b'DTEND;VALUE=DATE:20270329' in data
    assert str(vevent['TRANSP']) == 'TRANSPARENT'


def test_a_series_has_its_rule_exceptions_and_overrides(session, mia_member, olaf):
    series_id = create(session, mia_member, title='Stammtisch', starts=local(2027, 3, 3, 18),
                       ends=local(2027, 3, 3, 20), repeat='weekly', repeat_until=date(2027, 6, 30))
    attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 10))
    events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 17))
    events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 3, 24),
                           starts=local(2027, 3, 25, 19), ends=local(2027, 3, 25, 21))
    cal = _ics(session, olaf, series_id)
    items = _vevents(cal)
    uid = f'event-{series_id}@verwaltungsnetz'
    assert _uids(cal) == [uid, uid]  # the series and the moved date; the date only answered needs no override
    main, override = items
    assert 'RECURRENCE-ID' not in main
    rule = main['RRULE']
    assert rule['FREQ'] == ['WEEKLY']
    assert rule['UNTIL'][0].astimezone(ZONE).date() == date(2027, 6, 30)
    exdates = [d.dt for ex in (main['EXDATE'] if isinstance(main['EXDATE'], list) else [main['EXDATE']])
               for d in ex.dts]
    assert exdates == [datetime(2027, 3, 17, 18, tzinfo=ZONE)]
    assert override['RECURRENCE-ID'].dt == datetime(2027, 3, 24, 18, tzinfo=ZONE)
    assert override['DTSTART'].dt == datetime(2027, 3, 25, 19, tzinfo=ZONE)
    assert override['DTSTART'].params['TZID'] == 'Europe/Berlin'
    assert int(override['SEQUENCE']) >= 1
    # The rule, expanded as a calendar program would, gives the dates the calendar shows.
    expanded = rrulestr(main['RRULE'].to_ical().decode(), dtstart=main['DTSTART'].dt)
    days = [d.date() for d in expanded]
    first = date(2027, 3, 3)
    assert days == list(recurrence.occurrence_days(first, events.rule_of(event_row(session, series_id)), first,
                                                   date(2027, 7, 1)))
    assert all(d.hour == 18 and d.tzinfo is not None for d in expanded)


def test_cancelling_one_date_raises_the_series_sequence(session, mia_member, olaf):
    # RFC 5545 3.8.7.4: a change to EXDATE is a significant revision, so SEQUENCE grows (else Outlook keeps the
    # cancelled date of an imported series).
    series_id = create(session, mia_member, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    before = _vevents(_ics(session, olaf, series_id))[0]
    events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 17))
    after = _vevents(_ics(session, olaf, series_id))[0]
    assert 'EXDATE' in after and 'EXDATE' not in before
    assert int(after['SEQUENCE']) > int(before['SEQUENCE'])


def test_a_monthly_series_rule(session, mia_member, olaf):
    series_id = create(session, mia_member, title='Erster Dienstag', starts=local(2027, 1, 5, 9),
                       ends=local(2027, 1, 5, 10), repeat='monthly_weekday', repeat_interval=2,
                       repeat_until=date(2027, 12, 31))
    main = _vevents(_ics(session, olaf, series_id))[0]
    assert main['RRULE']['FREQ'] == ['MONTHLY'] and main['RRULE']['INTERVAL'] == [2]
    assert main['RRULE'].to_ical().decode().count('BYDAY=1TU') == 1


def test_an_all_day_series_uses_dates_throughout(session, mia_member, olaf):
    series_id = create(session, mia_member, title='Aktionstag', all_day=True, starts=local(2027, 3, 6, 0),
                       ends=local(2027, 3, 6, 0), repeat='weekly', repeat_until=date(2027, 4, 30))
    events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 13))
    main = _vevents(_ics(session, olaf, series_id))[0]
    assert type(main['DTSTART'].dt) is date
    assert main['RRULE']['UNTIL'] == [date(2027, 4, 30)]
    exdate = main['EXDATE'] if not isinstance(main['EXDATE'], list) else main['EXDATE'][0]
    assert [d.dt for d in exdate.dts] == [date(2027, 3, 13)]


def test_a_cancelled_series(session, mia_member, olaf):
    series_id = create(session, mia_member, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    events.cancel_event(session, actor=mia_member, event_id=series_id)
    main = _vevents(_ics(session, olaf, series_id))[0]
    assert str(main['STATUS']) == 'CANCELLED' and int(main['SEQUENCE']) == 1


def test_event_ics_needs_an_active_member_and_an_existing_event(session, mia_member, pia_pending):
    event_id = create(session, mia_member)
    with pytest.raises(NotAllowed):
        calendar_feed.event_ics(session, viewer=pia_pending, event_id=event_id)
    with pytest.raises(NotFound):
        calendar_feed.event_ics(session, viewer=mia_member, event_id=999)


# ---------------------------------------------------------------- the subscription feed


def _feed(session, token) -> Calendar:
    return _parse(calendar_feed.feed_ics(session, token=token))


def test_feed_token_is_long_hex_and_stable(session, mia_member):
    token = calendar_feed.my_feed(session, actor=mia_member).token
    assert re.fullmatch(r'[0-9a-f]+', token) and len(token) * 4 >= 128
    assert calendar_feed.my_feed(session, actor=mia_member).token == token
    assert calendar_feed.my_feed(session, actor=mia_member).scope == 'accepted'
    from services import db

    with db.session() as fresh:
        assert calendar_feed.my_feed(fresh, actor=mia_member).token == token


def test_feed_tokens_differ_between_members(session, mia_member, olaf):
    assert calendar_feed.my_feed(session, actor=mia_member).token != calendar_feed.my_feed(session, actor=olaf).token


def test_accepted_feed_carries_my_answered_events_only(session, mia_member, olaf):
    accepted = create(session, olaf, title='Zugesagt')
    maybe = create(session, olaf, title='Vielleicht dabei')
    declined = create(session, olaf, title='Abgesagt von mir')
    unanswered = create(session, olaf, title='Nicht beantwortet')
    series_id = create(session, olaf, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    attendance.rsvp(session, actor=mia_member, event_id=accepted, answer='yes')
    attendance.rsvp(session, actor=mia_member, event_id=maybe, answer='maybe')
    attendance.rsvp(session, actor=mia_member, event_id=declined, answer='no')
    occurrence = attendance.rsvp(session, actor=mia_member, event_id=series_id, answer='yes',
                                 on=date(2027, 3, 17)).event_id
    token = calendar_feed.my_feed(session, actor=mia_member).token

    cal = _feed(session, token)

    uids = _uids(cal)
    assert f'event-{accepted}@verwaltungsnetz' in uids
    assert f'event-{maybe}@verwaltungsnetz' in uids
    assert f'event-{occurrence}@verwaltungsnetz' in uids
    assert f'event-{declined}@verwaltungsnetz' not in uids
    assert f'event-{unanswered}@verwaltungsnetz' not in uids
    assert f'event-{series_id}@verwaltungsnetz' not in uids
    assert len(uids) == 3
    assert [str(tz['TZID']) for tz in cal.walk('VTIMEZONE')] == ['Europe/Berlin']


def test_feed_with_scope_all_carries_every_event(session, mia_member, olaf):
    single = create(session, olaf, title='Einzeln')
    series_id = create(session, olaf, title='Stammtisch', repeat='weekly', repeat_until=date(2027, 6, 30))
    attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17))
    info = calendar_feed.set_feed_scope(session, actor=mia_member, scope='all')
    assert info.scope == 'all'
    cal = _feed(session, info.token)
    assert sorted(_uids(cal)) == sorted([f'event-{single}@verwaltungsnetz', f'event-{series_id}@verwaltungsnetz'])
    assert [v for v in _vevents(cal) if 'RRULE' in v]
    with pytest.raises(Invalid) as refused:
        calendar_feed.set_feed_scope(session, actor=mia_member, scope='alles')
    assert refused.value.field == 'scope'
    back = calendar_feed.set_feed_scope(session, actor=mia_member, scope='accepted')
    assert back.token == info.token and _uids(_feed(session, info.token)) == []


def test_renewing_the_feed_retires_the_old_address(session, mia_member):
    event_id = create(session, mia_member)
    attendance.rsvp(session, actor=mia_member, event_id=event_id, answer='yes')
    old = calendar_feed.my_feed(session, actor=mia_member).token
    new = calendar_feed.renew_feed(session, actor=mia_member).token
    assert new != old and len(new) == len(old)
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token=old)
    assert _uids(_feed(session, new)) == [f'event-{event_id}@verwaltungsnetz']
    assert calendar_feed.my_feed(session, actor=mia_member).token == new
    newer = calendar_feed.renew_feed(session, actor=mia_member).token
    for retired in (old, new):
        with pytest.raises(NotFound):
            calendar_feed.feed_ics(session, token=retired)
    assert _uids(_feed(session, newer)) == [f'event-{event_id}@verwaltungsnetz']
    entries = session.execute(select(AuditEntry).where(AuditEntry.action == 'calendar.feed_renew')).scalars().all()
    assert len(entries) == 2


def test_wrong_tokens_are_not_found(session, mia_member):
    token = calendar_feed.my_feed(session, actor=mia_member).token
    flipped = token[:-1] + ('0' if token[-1] != '0' else '1')
    for wrong in (flipped, '', 'a' * 500, token.upper(), token + '0', token[:-2], ' ' + token, '0' * len(token)):
        with pytest.raises(NotFound):
            calendar_feed.feed_ics(session, token=wrong)


def test_a_deactivated_members_feed_is_not_found(session, mia_member, ada_admin):
    from services import accounts

    token = calendar_feed.my_feed(session, actor=mia_member).token
    assert _feed(session, token) is not None
    accounts.deactivate_user(session, actor=ada_admin, user_id=mia_member.id)
    with pytest.raises(NotFound):
        calendar_feed.feed_ics(session, token=token)


def test_the_token_is_not_stored_in_clear(session, mia_member):
    token = calendar_feed.my_feed(session, actor=mia_member).token
    renewed = calendar_feed.renew_feed(session, actor=mia_member).token
    calendar_feed.set_feed_scope(session, actor=mia_member, scope='all')
    rows = session.execute(text('SELECT * FROM calendar_feed')).all()
    assert len(rows) == 1
    stored = ' '.join(str(v) for v in rows[0])
    for secret in (token, renewed):
        assert secret not in stored and secret[:16] not in stored
    audit = ' '.join(str(v) for row in session.execute(text('SELECT * FROM audit_entry')).all() for v in row)
    assert token not in audit and renewed not in audit


def test_feed_times_are_in_berlin_with_a_timezone(session, mia_member):
    event_id = create(session, mia_member, starts=local(2027, 10, 31, 10), ends=local(2027, 10, 31, 11))
    attendance.rsvp(session, actor=mia_member, event_id=event_id, answer='yes')
    (vevent,) = _vevents(_feed(session, calendar_feed.my_feed(session, actor=mia_member).token))
    assert vevent['DTSTART'].params['TZID'] == 'Europe/Berlin'
    assert vevent['DTSTART'].dt.astimezone(UTC) == datetime(2027, 10, 31, 9, tzinfo=UTC)
    assert to_local(vevent['DTSTART'].dt) == local(2027, 10, 31, 10)
