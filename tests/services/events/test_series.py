"""Series in the calendar: expanded per range, single dates cancelled, moved and answered; the clock change."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from models.event import Event
from services import attendance, events, notifications
from services.errors import Invalid, NotAllowed, NotFound
from services.local_time import ZONE, to_utc
from tests.services.events.conftest import answer_of, create, event_row, local

UNTIL = date(2027, 6, 30)


@pytest.fixture
def series_id(session, mia_member) -> int:
    """Weekly on Wednesdays, 18:00-20:00, from 2027-03-03 to the end of June."""
    return create(session, mia_member, title='Stammtisch Digitalisierung', starts=local(2027, 3, 3, 18),
                  ends=local(2027, 3, 3, 20), repeat='weekly', repeat_until=UNTIL)


def _range(session, viewer, start: date, end: date):
    return events.calendar_range(session, viewer=viewer, start=start, end=end)


def _local_starts(items) -> list[datetime]:
    return [o.starts_at.astimezone(ZONE).replace(tzinfo=None) for o in items]


def _children(session, series_id) -> list[Event]:
    return list(session.execute(select(Event).where(Event.series_id == series_id)
                                .execution_options(populate_existing=True)).scalars())


def test_calendar_range_expands_a_series_only_within_the_range(session, mia_member, olaf, series_id):
    items = _range(session, olaf, date(2027, 3, 15), date(2027, 3, 29))
    assert [(o.event_id, o.on) for o in items] == [(series_id, date(2027, 3, 17)), (series_id, date(2027, 3, 24))]
    assert _local_starts(items) == [local(2027, 3, 17, 18), local(2027, 3, 24, 18)]
    assert all(o.recurring and not o.cancelled and o.ends_at - o.starts_at == timedelta(hours=2) for o in items)
    assert items[0].url == f'/events/{series_id}?on=2027-03-17'
    assert _range(session, olaf, date(2027, 2, 1), date(2027, 3, 3)) == []  # before the first
    assert [o.on for o in _range(session, olaf, date(2027, 6, 28), date(2027, 7, 31))] == [date(2027, 6, 30)]
    assert _range(session, olaf, date(2027, 7, 1), date(2027, 8, 31)) == []  # after the last
    april = _range(session, olaf, date(2027, 4, 1), date(2027, 5, 1))
    assert [o.on for o in april] == [date(2027, 4, d) for d in (7, 14, 21, 28)]
    assert _local_starts(april)[0] == local(2027, 4, 7, 18)  # summer time, same wall-clock time
    assert _children(session, series_id) == []  # reading stores nothing


def test_a_range_longer_than_two_months_is_cut(session, olaf, series_id):
    items = _range(session, olaf, date(2027, 3, 1), date(2027, 12, 31))
    assert max(o.on for o in items) < date(2027, 3, 1) + timedelta(days=events.MAX_RANGE_DAYS)
    assert _range(session, olaf, date(2027, 3, 10), date(2027, 3, 10)) == []


def test_a_cancelled_date_shows_cancelled_and_the_others_do_not(session, mia_member, olaf, series_id):
    row_id = events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 17))
    assert row_id != series_id
    items = _range(session, olaf, date(2027, 3, 10), date(2027, 4, 1))
    assert [(o.starts_at.astimezone(ZONE).date(), o.cancelled) for o in items] == [
        (date(2027, 3, 10), False), (date(2027, 3, 17), True), (date(2027, 3, 24), False),
        (date(2027, 3, 31), False)]
    assert [o.event_id for o in items if o.cancelled] == [row_id]
    assert not event_row(session, series_id).cancelled
    view = events.get_event(session, viewer=olaf, event_id=series_id, on=date(2027, 3, 17))
    assert view.cancelled and view.id == row_id
    assert not events.get_event(session, viewer=olaf, event_id=series_id, on=date(2027, 3, 24)).cancelled
    with pytest.raises(NotAllowed):
        attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17))
    assert attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 24)).answer == 'yes'
    # Reinstated, the date is back.
    events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 17), cancelled=False)
    items = _range(session, olaf, date(2027, 3, 17), date(2027, 3, 18))
    assert [(o.event_id, o.cancelled) for o in items] == [(row_id, False)]


def test_cancelling_the_whole_series_cancels_every_date(session, mia_member, olaf, series_id):
    attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 24))
    events.cancel_event(session, actor=mia_member, event_id=series_id)
    items = _range(session, olaf, date(2027, 3, 1), date(2027, 4, 1))
    assert len(items) == 5 and all(o.cancelled for o in items)


def test_reinstating_a_series_keeps_a_date_cancelled_on_its_own(session, mia_member, olaf, series_id):
    holiday = events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 17))
    events.cancel_event(session, actor=mia_member, event_id=series_id)
    events.cancel_event(session, actor=mia_member, event_id=series_id, cancelled=False)
    items = _range(session, olaf, date(2027, 3, 10), date(2027, 3, 25))
    assert [(o.event_id, o.cancelled) for o in items] == [(series_id, False), (holiday, True), (series_id, False)]


def test_moving_one_date_leaves_the_others(session, mia_member, olaf, series_id):
    row_id = events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 3, 24),
                                    starts=local(2027, 3, 25, 19), ends=local(2027, 3, 25, 21))
    items = _range(session, olaf, date(2027, 3, 15), date(2027, 4, 1))
    assert _local_starts(items) == [local(2027, 3, 17, 18), local(2027, 3, 25, 19), local(2027, 3, 31, 18)]
    moved = items[1]
    assert (moved.event_id, moved.on, moved.recurring) == (row_id, None, True)
    assert moved.ends_at - moved.starts_at == timedelta(hours=2)
    # The week of the old date alone shows nothing at the old time.
    assert _range(session, olaf, date(2027, 3, 24), date(2027, 3, 25)) == []
    # A date moved out of the viewed range still replaces its computed date.
    events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 4, 7),
                           starts=local(2027, 4, 20, 18), ends=local(2027, 4, 20, 20))
    assert [o.on for o in _range(session, olaf, date(2027, 4, 5), date(2027, 4, 12))] == []
    row = event_row(session, row_id)
    assert row.moved and row.series_id == series_id and row.sequence == 1
    assert row.recurrence_start == to_utc(local(2027, 3, 24, 18))
    view = events.get_event(session, viewer=olaf, event_id=row_id)
    assert view.moved and view.starts_at == to_utc(local(2027, 3, 25, 19))
    assert view.series is not None and view.series.id == series_id
    # Moving the same date again changes the same row.
    again = events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 3, 24),
                                   starts=local(2027, 3, 26, 19), ends=local(2027, 3, 26, 21))
    assert again == row_id
    assert _local_starts(_range(session, olaf, date(2027, 3, 22), date(2027, 3, 29))) == [local(2027, 3, 26, 19)]


def test_moving_a_date_into_the_past_is_refused(session, mia_member, series_id):
    with pytest.raises(Invalid) as refused:
        events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 3, 24),
                               starts=local(2025, 3, 25, 19), ends=local(2025, 3, 25, 21))
    assert refused.value.field == 'starts'


def test_answering_a_series_needs_a_date(session, mia_member, olaf, ben, series_id):
    with pytest.raises(NotAllowed):
        attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes')
    mine = attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17))
    assert mine.answer == 'yes' and mine.event_id != series_id
    row = event_row(session, mine.event_id)
    assert row.series_id == series_id and row.repeat == ''
    assert row.recurrence_start == to_utc(local(2027, 3, 17, 18)) == row.starts_at
    assert row.title == 'Stammtisch Digitalisierung' and not row.moved
    # A second answer for the same date uses the same row.
    assert attendance.rsvp(session, actor=ben, event_id=series_id, answer='maybe', on=date(2027, 3, 17)).event_id \
        == mine.event_id
    assert len(_children(session, series_id)) == 1
    items = _range(session, olaf, date(2027, 3, 15), date(2027, 3, 29))
    assert [(o.event_id, o.on, o.my_answer) for o in items] == [
        (mine.event_id, None, 'yes'), (series_id, date(2027, 3, 24), '')]
    view = events.get_event(session, viewer=olaf, event_id=series_id, on=date(2027, 3, 17))
    assert (view.id, view.mine.answer, view.onsite_taken, view.maybe_count) == (mine.event_id, 'yes', 1, 1)
    assert events.get_event(session, viewer=olaf, event_id=series_id).is_series


def test_a_day_that_is_not_an_occurrence_is_not_found(session, mia_member, olaf, series_id):
    thursday, after_end = date(2027, 3, 18), date(2027, 7, 7)
    for day in (thursday, after_end, date(2027, 2, 24)):
        with pytest.raises(NotFound):
            attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=day)
        with pytest.raises(NotFound):
            events.get_event(session, viewer=olaf, event_id=series_id, on=day)
        with pytest.raises(NotFound):
            events.cancel_event(session, actor=mia_member, event_id=series_id, on=day)
        with pytest.raises(NotFound):
            events.move_occurrence(session, actor=mia_member, series_id=series_id, on=day,
                                   starts=local(2027, 3, 19, 18), ends=local(2027, 3, 19, 20))
    assert _children(session, series_id) == []


def test_changing_the_series_reaches_its_stored_future_dates(session, mia_member, olaf, series_id):
    answered = attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17)).event_id
    moved = events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 3, 24),
                                   starts=local(2027, 3, 25, 18), ends=local(2027, 3, 25, 20))
    data, is_occurrence = events.event_for_editing(session, actor=mia_member, event_id=series_id)
    assert not is_occurrence and data.repeat == 'weekly' and data.repeat_until == UNTIL
    events.update_event(session, actor=mia_member, event_id=series_id,
                        data=replace(data, title='Stammtisch Verwaltung digital', location='Rathaus Lünen'))
    for row_id in (answered, moved):
        row = event_row(session, row_id)
        assert (row.title, row.location, row.sequence) == ('Stammtisch Verwaltung digital', 'Rathaus Lünen', 2 if
                                                           row_id == moved else 1)
    assert event_row(session, answered).starts_at == to_utc(local(2027, 3, 17, 18))
    assert event_row(session, moved).starts_at == to_utc(local(2027, 3, 25, 18))
    items = _range(session, olaf, date(2027, 3, 15), date(2027, 4, 1))
    assert [(o.title, o.starts_at.astimezone(ZONE).replace(tzinfo=None)) for o in items] == [
        ('Stammtisch Verwaltung digital', local(2027, 3, 17, 18)),
        ('Stammtisch Verwaltung digital', local(2027, 3, 25, 18)),
        ('Stammtisch Verwaltung digital', local(2027, 3, 31, 18))]
    assert answer_of(session, answered, olaf.id) == 'yes'
    assert [n.kind for n in notifications.unread(session, viewer=olaf)] == ['event.changed']


def test_a_new_time_for_the_series_moves_its_stored_dates_but_not_the_moved_one(session, mia_member, olaf,
                                                                                  series_id):
    answered = attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17)).event_id
    cancelled = events.cancel_event(session, actor=mia_member, event_id=series_id, on=date(2027, 3, 31))
    moved = events.move_occurrence(session, actor=mia_member, series_id=series_id, on=date(2027, 3, 24),
                                   starts=local(2027, 3, 25, 18), ends=local(2027, 3, 25, 20))
    data, _ = events.event_for_editing(session, actor=mia_member, event_id=series_id)
    events.update_event(session, actor=mia_member, event_id=series_id,
                        data=replace(data, starts=local(2027, 3, 3, 19), ends=local(2027, 3, 3, 21)))
    assert event_row(session, answered).starts_at == to_utc(local(2027, 3, 17, 19))  # follows the new time
    assert event_row(session, cancelled).starts_at == to_utc(local(2027, 3, 31, 19))
    assert event_row(session, moved).starts_at == to_utc(local(2027, 3, 25, 18))  # keeps its own time
    items = _range(session, olaf, date(2027, 3, 15), date(2027, 4, 8))
    # Each date once: the moved date does not come back on its old day at the new time.
    assert [(o.starts_at.astimezone(ZONE).replace(tzinfo=None), o.cancelled) for o in items] == [
        (local(2027, 3, 17, 19), False), (local(2027, 3, 25, 18), False), (local(2027, 3, 31, 19), True),
        (local(2027, 4, 7, 19), False)]
    view = events.get_event(session, viewer=olaf, event_id=series_id, on=date(2027, 3, 24))
    assert view.id == moved


def test_changing_one_stored_date_leaves_the_series(session, mia_member, olaf, series_id):
    row_id = attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=date(2027, 3, 17)).event_id
    data, is_occurrence = events.event_for_editing(session, actor=mia_member, event_id=row_id)
    assert is_occurrence
    events.update_event(session, actor=mia_member, event_id=row_id, data=replace(data, title='Stammtisch Spezial'))
    assert event_row(session, row_id).title == 'Stammtisch Spezial'
    assert event_row(session, series_id).title == 'Stammtisch Digitalisierung'
    titles = [o.title for o in _range(session, olaf, date(2027, 3, 15), date(2027, 3, 29))]
    assert titles == ['Stammtisch Spezial', 'Stammtisch Digitalisierung']


# ---------------------------------------------------------------- the clock change (last Sundays of March/October)


@pytest.mark.parametrize('day, utc_hour', [(date(2027, 3, 28), 8), (date(2027, 10, 31), 9),
                                           (date(2027, 3, 27), 9), (date(2027, 10, 30), 8)])
def test_a_single_event_on_the_day_of_the_clock_change_stays_at_ten(session, mia_member, olaf, day, utc_hour):
    event_id = create(session, mia_member, starts=datetime.combine(day, local(2027, 1, 1, 10).time()),
                      ends=datetime.combine(day, local(2027, 1, 1, 12).time()))
    expected = datetime.combine(day, local(2027, 1, 1, utc_hour).time(), UTC)
    view = events.get_event(session, viewer=olaf, event_id=event_id)
    assert view.starts_at == expected
    assert view.starts_at.astimezone(ZONE).hour == 10 and view.ends_at.astimezone(ZONE).hour == 12
    items = _range(session, olaf, day, day + timedelta(days=1))
    assert [o.starts_at for o in items] == [expected]


@pytest.mark.parametrize('first, change, before_utc, after_utc', [
    (date(2027, 3, 21), date(2027, 3, 28), 9, 8),
    (date(2027, 10, 24), date(2027, 10, 31), 8, 9),
])
def test_a_weekly_series_across_the_clock_change_stays_at_ten(session, mia_member, olaf, first, change, before_utc,
                                                               after_utc):
    series_id = create(session, mia_member, title='Sonntagsrunde', starts=datetime.combine(first, datetime.min.time())
                       .replace(hour=10), ends=datetime.combine(first, datetime.min.time()).replace(hour=11),
                       repeat='weekly', repeat_until=first + timedelta(days=60))
    items = _range(session, olaf, first, first + timedelta(days=21))
    assert [o.starts_at for o in items] == [
        datetime.combine(first, datetime.min.time()).replace(hour=before_utc, tzinfo=UTC),
        datetime.combine(change, datetime.min.time()).replace(hour=after_utc, tzinfo=UTC),
        datetime.combine(change + timedelta(days=7), datetime.min.time()).replace(hour=after_utc, tzinfo=UTC)]
    assert all(o.starts_at.astimezone(ZONE).hour == 10 and o.ends_at.astimezone(ZONE).hour == 11 for o in items)
    view = events.get_event(session, viewer=olaf, event_id=series_id, on=change)
    assert view.starts_at.astimezone(ZONE).hour == 10 and view.starts_at.hour == after_utc
    assert view.ends_at - view.starts_at == timedelta(hours=1)
    # A stored date on the day of the change keeps 10:00 too.
    row_id = attendance.rsvp(session, actor=olaf, event_id=series_id, answer='yes', on=change).event_id
    assert event_row(session, row_id).starts_at.astimezone(ZONE).hour == 10
    assert [o.starts_at.astimezone(ZONE).hour for o in _range(session, olaf, first, first + timedelta(days=21))] == \
        [10, 10, 10]
    # The series' end is the end of its last date, in that date's offset.
    last = events.get_event(session, viewer=olaf, event_id=series_id).series.last_day
    assert event_row(session, series_id).series_ends_at == to_utc(datetime.combine(last, datetime.min.time())
                                                                  .replace(hour=11))


def test_an_all_day_series_keeps_whole_days_across_the_clock_change(session, mia_member, olaf):
    create(session, mia_member, title='Aktionstag', all_day=True, starts=local(2027, 3, 21, 0),
           ends=local(2027, 3, 21, 0), repeat='weekly', repeat_until=date(2027, 4, 30))
    items = _range(session, olaf, date(2027, 3, 20), date(2027, 4, 5))
    assert [(o.starts_at.astimezone(ZONE).replace(tzinfo=None), o.ends_at.astimezone(ZONE).replace(tzinfo=None))
            for o in items] == [(local(2027, 3, d, 0), local(2027, 3, d + 1, 0)) for d in (21, 28)] + \
        [(local(2027, 4, 4, 0), local(2027, 4, 5, 0))]
    assert all(o.all_day for o in items)
