"""Repeat rules against dateutil's RFC 5545 implementation, and the named cases of the calendar."""

import calendar
import random
from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr

from models.event import Repeat
from services import recurrence
from services.recurrence import Rule

CODES = ('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')
KINDS = (Repeat.WEEKLY, Repeat.MONTHLY_WEEKDAY, Repeat.MONTHLY_DATE)


def _rrule_parts(first: date, kind: str, interval: int) -> dict[str, str]:
    """The RRULE for a rule, worked out here independently of the service."""
    parts = {'FREQ': 'WEEKLY' if kind == Repeat.WEEKLY else 'MONTHLY', 'INTERVAL': str(interval)}
    if kind == Repeat.WEEKLY:
        parts['BYDAY'] = CODES[first.weekday()]
    elif kind == Repeat.MONTHLY_WEEKDAY:
        nth = (first.day - 1) // 7 + 1
        parts['BYDAY'] = f'{-1 if nth == 5 else nth}{CODES[first.weekday()]}'
    else:
        parts['BYMONTHDAY'] = str(first.day)
    return parts


def _dateutil_days(first: date, kind: str, interval: int, until: date) -> list[date]:
    parts = _rrule_parts(first, kind, interval)
    rule = ';'.join(f'{k}={v}' for k, v in parts.items()) + f';UNTIL={until:%Y%m%d}T235959'
    return [d.date() for d in rrulestr(f'DTSTART:{first:%Y%m%d}T000000\nRRULE:{rule}')]


def _random_rules(count: int, seed: int):
    rng = random.Random(seed)
    for _ in range(count):
        first = date(2027, 1, 1) + timedelta(days=rng.randrange(730))
        if rng.random() < 0.25:  # the awkward days: 29th to 31st, fifth weekdays
            first = first.replace(day=min(rng.choice((29, 30, 31)), calendar.monthrange(first.year, first.month)[1]))
        kind = rng.choice(KINDS)
        interval = rng.choice((1, 1, 1, 2, 3, rng.randint(1, recurrence.MAX_INTERVAL)))
        until = first + timedelta(days=rng.randint(0, recurrence.MAX_SERIES_DAYS))
        yield first, kind, interval, until, rng


def test_occurrence_days_match_dateutil_for_random_rules_and_ranges():
    for first, kind, interval, until, rng in _random_rules(400, seed=20261128):
        rule = Rule(kind, interval, until)
        expected_all = _dateutil_days(first, kind, interval, until)
        assert expected_all and expected_all[0] == first
        for _ in range(3):
            start = first + timedelta(days=rng.randint(-90, 800))
            end = start + timedelta(days=rng.choice((1, 7, 31, 62, rng.randint(1, 400))))
            got = list(recurrence.occurrence_days(first, rule, start, end))
            assert got == [d for d in expected_all if start <= d < end], (first, kind, interval, until, start, end)
        assert list(recurrence.occurrence_days(first, rule, first - timedelta(days=10), until + timedelta(days=40))) \
            == expected_all, (first, kind, interval, until)


def test_last_day_matches_dateutil_for_random_rules():
    for first, kind, interval, until, _rng in _random_rules(400, seed=7):
        expected = _dateutil_days(first, kind, interval, until)[-1]
        assert recurrence.last_day(first, Rule(kind, interval, until)) == expected, (first, kind, interval, until)


def test_is_occurrence_matches_dateutil():
    for first, kind, interval, until, rng in _random_rules(150, seed=99):
        rule = Rule(kind, interval, until)
        expected = set(_dateutil_days(first, kind, interval, until))
        for _ in range(10):
            day = first + timedelta(days=rng.randint(-10, 740))
            assert recurrence.is_occurrence(first, rule, day) == (day in expected), (first, kind, interval, day)
        for day in list(expected)[:5]:
            assert recurrence.is_occurrence(first, rule, day)


def test_ical_rule_matches_the_rrule_checked_against_dateutil():
    for first, kind, interval, until, _rng in _random_rules(200, seed=3):
        parts = {k: str(v) for k, v in recurrence.ical_rule(first, Rule(kind, interval, until)).items()}
        expected = _rrule_parts(first, kind, interval)
        if interval == 1:
            expected.pop('INTERVAL')
        if kind == Repeat.WEEKLY and 'BYDAY' not in parts:  # implied by DTSTART's weekday (RFC 5545)
            expected.pop('BYDAY')
        assert parts == expected


def test_every_first_tuesday():
    first = date(2027, 1, 5)  # "jeden ersten Dienstag"
    assert recurrence.nth_weekday(first) == 1
    rule = Rule(Repeat.MONTHLY_WEEKDAY, 1, date(2027, 12, 31))
    days = list(recurrence.occurrence_days(first, rule, date(2027, 1, 1), date(2027, 7, 1)))
    assert days == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2), date(2027, 4, 6), date(2027, 5, 4),
                    date(2027, 6, 1)]
    assert all(d.weekday() == 1 and d.day <= 7 for d in days)
    assert recurrence.ical_rule(first, rule) == {'FREQ': 'MONTHLY', 'BYDAY': '1TU'}


def test_a_fifth_weekday_becomes_the_last_one():
    first = date(2027, 1, 29)  # the fifth Friday of January 2027
    assert recurrence.nth_weekday(first) == -1
    rule = Rule(Repeat.MONTHLY_WEEKDAY, 1, date(2027, 12, 31))
    days = list(recurrence.occurrence_days(first, rule, first, date(2027, 7, 1)))
    assert days == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26), date(2027, 4, 30), date(2027, 5, 28),
                    date(2027, 6, 25)]
    assert recurrence.ical_rule(first, rule)['BYDAY'] == '-1FR'
    assert recurrence.nth_weekday(date(2027, 1, 22)) == 4  # a fourth one stays the fourth


def test_monthly_on_the_31st_skips_short_months():
    first = date(2027, 1, 31)
    rule = Rule(Repeat.MONTHLY_DATE, 1, date(2027, 12, 31))
    days = list(recurrence.occurrence_days(first, rule, first, date(2028, 1, 1)))
    assert days == [date(2027, m, 31) for m in (1, 3, 5, 7, 8, 10, 12)]
    every_second = list(recurrence.occurrence_days(first, Rule(Repeat.MONTHLY_DATE, 2, date(2027, 12, 31)), first,
                                                   date(2028, 1, 1)))
    assert every_second == [date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31), date(2027, 7, 31)]
    leap = list(recurrence.occurrence_days(date(2027, 1, 29), Rule(Repeat.MONTHLY_DATE, 1, date(2028, 3, 31)),
                                           date(2027, 2, 1), date(2028, 4, 1)))
    assert date(2028, 2, 29) in leap and all(d.month != 2 or d.year == 2028 for d in leap)


@pytest.mark.parametrize('kind, first, until, last', [
    (Repeat.WEEKLY, date(2027, 1, 4), date(2027, 2, 3), date(2027, 2, 1)),
    (Repeat.WEEKLY, date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 4)),
    (Repeat.MONTHLY_DATE, date(2027, 1, 31), date(2027, 6, 30), date(2027, 5, 31)),
    (Repeat.MONTHLY_WEEKDAY, date(2027, 1, 29), date(2027, 4, 29), date(2027, 3, 26)),
])
def test_last_day(kind, first, until, last):
    assert recurrence.last_day(first, Rule(kind, 1, until)) == last


def test_occurrence_starts_keep_the_wall_clock_time():
    first = datetime(2027, 3, 21, 10, 0)
    rule = Rule(Repeat.WEEKLY, 1, date(2027, 4, 30))
    starts = list(recurrence.occurrence_starts(first, rule, date(2027, 3, 20), date(2027, 4, 5)))
    assert starts == [datetime(2027, 3, 21, 10), datetime(2027, 3, 28, 10), datetime(2027, 4, 4, 10)]


def test_an_empty_range_has_no_days():
    rule = Rule(Repeat.WEEKLY, 1, date(2027, 6, 30))
    assert list(recurrence.occurrence_days(date(2027, 3, 1), rule, date(2027, 7, 1), date(2027, 8, 1))) == []
    assert list(recurrence.occurrence_days(date(2027, 3, 1), rule, date(2027, 2, 1), date(2027, 3, 1))) == []
    assert list(recurrence.occurrence_days(date(2027, 3, 1), rule, date(2027, 4, 1), date(2027, 3, 1))) == []
